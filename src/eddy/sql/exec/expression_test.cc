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

ExprP caseOf(std::vector<ExprP> args) { return std::make_unique<CaseCall>(LogicalType::bigint(), std::move(args)); }

TEST(CaseCall, DecidesItsConstantConditions) {
  // CASE WHEN 2 = 0 THEN $1 WHEN 2 = 2 THEN $2 ELSE $3 END: the second arm, alone.
  std::vector<ExprP> args;
  args.push_back(eq(lit(2), lit(0)));
  args.push_back(ref(1, LogicalType::bigint()));
  args.push_back(eq(lit(2), lit(2)));
  args.push_back(ref(2, LogicalType::bigint()));
  args.push_back(ref(3, LogicalType::bigint()));
  EXPECT_EQ(static_cast<CaseCall&>(*caseOf(std::move(args))).withConstantConditionsDecided()->toString(), "$2");

  // A column's condition stays; a true one after it becomes the ELSE; NULL is not true.
  ExprP null_int = std::make_unique<Literal>(Value::nullValue(), LogicalType::integer(), "NULL");
  args.clear();
  args.push_back(eq(std::move(null_int), lit(1)));
  args.push_back(ref(1, LogicalType::bigint()));
  args.push_back(eq(ref(0), lit(1)));
  args.push_back(ref(2, LogicalType::bigint()));
  args.push_back(eq(lit(1), lit(1)));
  args.push_back(ref(3, LogicalType::bigint()));
  args.push_back(ref(4, LogicalType::bigint()));
  EXPECT_EQ(static_cast<CaseCall&>(*caseOf(std::move(args))).withConstantConditionsDecided()->toString(),
            "CASE(=($0, 1), $2, $3)");

  // Every condition false and no ELSE: NULL.
  args.clear();
  args.push_back(eq(lit(1), lit(0)));
  args.push_back(ref(1, LogicalType::bigint()));
  ExprP none = static_cast<CaseCall&>(*caseOf(std::move(args))).withConstantConditionsDecided();
  RecordBatch two;
  two.kinds.assign(2, RowKind::kInsert);
  const Column& values = none->eval(two);
  ASSERT_EQ(values.size(), 2u);
  EXPECT_TRUE(values.null[0] && values.null[1]);
}

TEST(IsConstant, OnlyLiteralsThroughOperators) {
  EXPECT_TRUE(isConstant(*eq(lit(1), lit(2))));
  EXPECT_TRUE(isConstant(*logical(LogicalCall::Op::kAnd, eq(lit(1), lit(2)), lit(1, LogicalType::boolean()))));
  EXPECT_FALSE(isConstant(*eq(ref(0), lit(2))));
  EXPECT_FALSE(isConstant(NowCall(NowCall::What::kProcTime, LogicalType::timestamp(3), "PROCTIME")));
}

}  // namespace
}  // namespace eddy::sql
