// The Table API's relational methods, against the same queries in SQL.
#include "eddy/sql/table/table.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "eddy/api/testing_util.h"
#include "eddy/sql/table/table_environment.h"

namespace eddy::sql {
namespace {

const char* kOrders =
    "CREATE TABLE orders (id INT, customer STRING, amount INT) WITH ('connector' = 'values');\n"
    "CREATE TABLE customers (cid STRING, city STRING) WITH ('connector' = 'values');\n"
    "SET 'execution.runtime-mode' = 'batch';\n";

class TableApi : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(env_.executeScript(kOrders).isOk());
    auto row = [](std::vector<std::string> fields) {
      ValuesData::Item item;
      item.fields = std::move(fields);
      return item;
    };
    auto& orders = env_.valuesOf("orders");
    orders.items.push_back(row({"1", "ann", "10"}));
    orders.items.push_back(row({"2", "bob", "25"}));
    orders.items.push_back(row({"3", "ann", "5"}));
    auto& customers = env_.valuesOf("customers");
    customers.items.push_back(row({"ann", "oslo"}));
    customers.items.push_back(row({"cid", "rome"}));
    out_->take();
  }
  // The sorted +I rows a table's execute() prints.
  std::vector<std::string> rows(const Result<Table>& t) {
    EXPECT_TRUE(t.isOk()) << t.status().message();
    if (!t.isOk()) return {};
    Status st = t.value().execute();
    EXPECT_TRUE(st.isOk()) << st.message();
    std::vector<std::string> r;
    for (const auto& l : out_->take()) {
      if (l.rfind("+I", 0) == 0) r.push_back(l);
    }
    std::sort(r.begin(), r.end());
    return r;
  }
  std::vector<std::string> sql(const std::string& query) { return rows(env_.sqlQuery(query)); }
  Table orders() { return env_.sqlQuery("SELECT * FROM orders").value(); }
  Table customers() { return env_.sqlQuery("SELECT * FROM customers").value(); }

  std::shared_ptr<ListCollector> out_ = std::make_shared<ListCollector>();
  TableEnvironment env_{out_};
};

TEST_F(TableApi, SelectWhereAndGroupByAreTheirSql) {
  EXPECT_EQ(rows(orders().where("amount > 6").value().select("id, amount * 2 AS twice")),
            sql("SELECT id, amount * 2 AS twice FROM orders WHERE amount > 6"));
  Result<Table> totals = orders().groupBy("customer").select("customer, SUM(amount) AS total, COUNT(*) AS n");
  ASSERT_TRUE(totals.isOk()) << totals.status().message();
  EXPECT_EQ(totals->getSchema()[1].name, "total");
  EXPECT_EQ(rows(totals), (std::vector<std::string>{"+I[ann, 15, 2]", "+I[bob, 25, 1]"}));
  EXPECT_EQ(rows(orders().select("customer").value().distinct()), (std::vector<std::string>{"+I[ann]", "+I[bob]"}));
}

TEST_F(TableApi, ColumnsAreRenamedAddedAndDropped) {
  Result<Table> renamed = orders().as("n, who, how_much");
  ASSERT_TRUE(renamed.isOk()) << renamed.status().message();
  EXPECT_EQ(renamed->getSchema()[2].name, "how_much");
  Result<Table> reshaped = orders().addColumns("amount + 1 AS more").value().dropColumns("customer");
  ASSERT_TRUE(reshaped.isOk()) << reshaped.status().message();
  ASSERT_EQ(reshaped->getSchema().size(), 3u);
  EXPECT_EQ(reshaped->getSchema()[2].name, "more");
  EXPECT_EQ(rows(reshaped), (std::vector<std::string>{"+I[1, 10, 11]", "+I[2, 25, 26]", "+I[3, 5, 6]"}));
  Result<Table> swapped = orders().renameColumns("customer AS who");
  ASSERT_TRUE(swapped.isOk()) << swapped.status().message();
  EXPECT_EQ(swapped->getSchema()[1].name, "who");
  Result<Table> quoted = orders().renameColumns("`customer` AS `the who`, amount AS how_much");
  ASSERT_TRUE(quoted.isOk()) << quoted.status().message();
  EXPECT_EQ(quoted->getSchema()[1].name, "the who");
  EXPECT_EQ(quoted->getSchema()[2].name, "how_much");
  EXPECT_FALSE(orders().dropColumns("nope").isOk());
  EXPECT_FALSE(orders().as("only_one").isOk());
}

TEST_F(TableApi, JoinsAndSetOperations) {
  EXPECT_EQ(rows(orders().join(customers(), "customer = cid").value().select("id, city")),
            (std::vector<std::string>{"+I[1, oslo]", "+I[3, oslo]"}));
  EXPECT_EQ(rows(orders().leftOuterJoin(customers(), "customer = cid").value().select("id, city")),
            (std::vector<std::string>{"+I[1, oslo]", "+I[2, null]", "+I[3, oslo]"}));
  Table who = orders().select("customer").value();
  Table known = customers().select("cid").value();
  EXPECT_EQ(rows(who.unionAll(known)).size(), 5u);
  EXPECT_EQ(rows(who.union_(known)), (std::vector<std::string>{"+I[ann]", "+I[bob]", "+I[cid]"}));
  EXPECT_EQ(rows(who.intersect(known)), (std::vector<std::string>{"+I[ann]"}));
  EXPECT_EQ(rows(who.minus(known)), (std::vector<std::string>{"+I[bob]"}));
}

TEST_F(TableApi, OrderByThenFetchIsATopN) {
  Result<Table> top = orders().orderBy("amount DESC").value().fetch(2);
  ASSERT_TRUE(top.isOk()) << top.status().message();
  EXPECT_EQ(rows(top), (std::vector<std::string>{"+I[1, ann, 10]", "+I[2, bob, 25]"}));
}

TEST_F(TableApi, ExecuteInsertWritesIntoATable) {
  ASSERT_TRUE(env_.executeSql("CREATE TABLE sink (customer STRING, total INT) WITH ('connector' = 'print')").isOk());
  out_->take();
  Status st = orders().groupBy("customer").select("customer, SUM(amount)").value().executeInsert("sink");
  ASSERT_TRUE(st.isOk()) << st.message();
  std::vector<std::string> printed = out_->take();
  EXPECT_NE(std::find(printed.begin(), printed.end(), "+I[bob, 25]"), printed.end());
  // The input's name was the statement's alone.
  EXPECT_EQ(env_.catalog().views.size(), 0u);
}

TEST_F(TableApi, ErrorsNameTheMethodAndTheCause) {
  Result<Table> bad = orders().select("nope + 1");
  ASSERT_FALSE(bad.isOk());
  EXPECT_EQ(bad.status().message().rfind("Table.select: ", 0), 0u) << bad.status().message();
  EXPECT_NE(bad.status().message().find("Column 'nope' not found"), std::string::npos) << bad.status().message();
  EXPECT_FALSE(orders().where("amount >").isOk());
}

}  // namespace
}  // namespace eddy::sql
