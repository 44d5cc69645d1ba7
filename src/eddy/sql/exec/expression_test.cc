#include "eddy/sql/exec/expression.h"

#include <gtest/gtest.h>

namespace eddy::sql {
namespace {

ExprP ref(int c, LogicalType t = LogicalType::integer()) { return std::make_unique<InputRef>(c, t); }
ExprP lit(int64_t v, LogicalType t = LogicalType::integer()) {
  return std::make_unique<Literal>(Value::ofInt(v), t, std::to_string(v));
}
ExprP eq(ExprP a, ExprP b) { return std::make_unique<BinaryCall>(BinaryOp::kEq, LogicalType::boolean(), std::move(a), std::move(b)); }
ExprP logical(LogicalCall::Op op, ExprP a, ExprP b) {
  std::vector<ExprP> args;
  args.push_back(std::move(a));
  args.push_back(std::move(b));
  return std::make_unique<LogicalCall>(op, std::move(args));
}

TEST(ColumnEqualities, FindsEqualitiesAndInListsAmongTheConjuncts) {
  // $0 = 2 AND ($3 = 1 OR 4 = $3) AND ($1 = 5 OR $2 = 6)
  ExprP filter = logical(LogicalCall::Op::kAnd, eq(ref(0), lit(2)),
                         logical(LogicalCall::Op::kAnd,
                                 logical(LogicalCall::Op::kOr, eq(ref(3), lit(1)), eq(lit(4), ref(3))),
                                 logical(LogicalCall::Op::kOr, eq(ref(1), lit(5)), eq(ref(2), lit(6)))));
  std::vector<ColumnEquality> found = columnEqualities(*filter);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].column, 0);
  EXPECT_EQ(found[0].values, std::vector<int64_t>({2}));
  EXPECT_EQ(found[1].column, 3);
  EXPECT_EQ(found[1].values, std::vector<int64_t>({1, 4}));
}

TEST(ColumnEqualities, IgnoresWhatDoesNotPinAColumn) {
  // An OR is not a conjunct's restriction of the row; a DECIMAL's integer is scaled;
  // a comparison of two columns pins neither.
  EXPECT_TRUE(columnEqualities(*logical(LogicalCall::Op::kOr, eq(ref(0), lit(1)), eq(ref(1), lit(1)))).empty());
  EXPECT_TRUE(columnEqualities(*eq(ref(0, LogicalType::decimal(10, 2)), lit(100, LogicalType::decimal(10, 2)))).empty());
  EXPECT_TRUE(columnEqualities(*eq(ref(0), ref(1))).empty());
  auto lt = std::make_unique<BinaryCall>(BinaryOp::kLt, LogicalType::boolean(), ref(0), lit(3));
  EXPECT_TRUE(columnEqualities(*lt).empty());
  // FilterThen (merged Calcs) is a conjunction too.
  FilterThen both(eq(ref(0), lit(7)), eq(ref(2), lit(8)));
  ASSERT_EQ(columnEqualities(both).size(), 2u);
  EXPECT_EQ(columnEqualities(both)[1].column, 2);
}

}  // namespace
}  // namespace eddy::sql
