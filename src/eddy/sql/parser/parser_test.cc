#include "eddy/sql/parser/parser.h"

#include <gtest/gtest.h>

namespace eddy::sql {
namespace {

TEST(SqlParser, ParsesCreateTableWithWatermarkAndOptions) {
  auto r = parseScript(
      "CREATE TABLE orders (id BIGINT, price DECIMAL(10, 2), ts TIMESTAMP(3),\n"
      "  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND, PRIMARY KEY (id) NOT ENFORCED)\n"
      "WITH ('connector' = 'filesystem', 'path' = '/tmp/x.csv');");
  ASSERT_TRUE(r.isOk()) << r.status().message();
  const auto& st = *(*r)[0];
  EXPECT_EQ(st.kind, ast::Statement::Kind::kCreateTable);
  ASSERT_EQ(st.columns.size(), 3u);
  EXPECT_EQ(st.columns[1].type.name, "DECIMAL");
  EXPECT_EQ(st.columns[1].type.precision, 10);
  EXPECT_EQ(st.columns[1].type.scale, 2);
  EXPECT_EQ(st.watermark_column, "ts");
  ASSERT_EQ(st.primary_key.size(), 1u);
  EXPECT_EQ(st.options.size(), 2u);
}

TEST(SqlParser, ErrorNamesLineColumnAndToken) {
  auto r = parseScript("SELECT a,\n  FROM t");
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().message(), "SQL error at line 2, column 3: unexpected 'FROM', expected an expression");
}

TEST(SqlParser, UnterminatedStringIsAnErrorAtItsStart) {
  auto r = parseScript("SELECT 'abc FROM t");
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().message(), "SQL error at line 1, column 8: unterminated string literal");
}

TEST(SqlParser, ParsesWindowTvfGroupByAndCte) {
  auto r = parseScript(
      "WITH w AS (SELECT * FROM TABLE(HOP(TABLE bids, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '5' MINUTE)))\n"
      "SELECT window_start, COUNT(DISTINCT uid) AS c FROM w GROUP BY window_start, window_end HAVING COUNT(*) > 1");
  ASSERT_TRUE(r.isOk()) << r.status().message();
  const auto& q = *(*r)[0]->query;
  ASSERT_EQ(q.with.size(), 1u);
  const auto& inner = *q.with[0].query->selects[0];
  EXPECT_EQ(inner.from->kind, ast::TableRef::Kind::kFunction);
  EXPECT_EQ(inner.from->name, "HOP");
  EXPECT_EQ(inner.from->args.size(), 2u);
  const auto& outer = *q.selects[0];
  EXPECT_EQ(outer.group_by.size(), 2u);
  EXPECT_TRUE(outer.items[1].expr->distinct);
  EXPECT_NE(outer.having, nullptr);
}

TEST(SqlParser, OperatorPrecedence) {
  auto r = parseExpression("a + b * c = d OR NOT e AND f");
  ASSERT_TRUE(r.isOk()) << r.status().message();
  const ast::Expr& e = **r;
  EXPECT_EQ(e.name, "OR");
  EXPECT_EQ(e.args[0]->name, "=");
  EXPECT_EQ(e.args[0]->args[0]->name, "+");
  EXPECT_EQ(e.args[0]->args[0]->args[1]->name, "*");
  EXPECT_EQ(e.args[1]->name, "AND");
  EXPECT_EQ(e.args[1]->args[0]->name, "NOT");
}

TEST(SqlParser, SuggestsCloseNames) {
  EXPECT_EQ(closestName("prise", {"price", "id", "ts"}), "price");
  EXPECT_EQ(closestName("zzz", {"price", "id"}), "");
}

}  // namespace
}  // namespace eddy::sql
