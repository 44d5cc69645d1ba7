#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "eddy/core/clock.h"
#include "eddy/sql/exec/logical_type.h"
#include "eddy/sql/exec/record_batch.h"
#include "eddy/sql/exec/value.h"

namespace eddy::sql {

/// A bound, typed scalar expression evaluated a batch at a time: eval() returns a
/// column of the batch's length, owned by the expression (or the input's own column)
/// and valid until the next eval(). Expressions are built by the planner, copied per
/// subtask with clone(), and used by one thread.
class Expression;
/// What an input column reference becomes in a copy: given the column's index and type,
/// the expression to use in its place.
using InputMap = std::function<std::unique_ptr<Expression>(int index, const LogicalType& type)>;

class Expression {
 public:
  explicit Expression(LogicalType type) : type_(type) {}
  virtual ~Expression() = default;
  virtual const Column& eval(const RecordBatch& in) = 0;
  /// A copy whose input references are replaced by `map` (the planner merges and
  /// prunes with it; clone() is the identity).
  virtual std::unique_ptr<Expression> cloneWith(const InputMap& map) const = 0;
  std::unique_ptr<Expression> clone() const;
  /// As EXPLAIN shows it: `$1`, `*($2, 0.908)`, `>($0, 10)`.
  virtual std::string toString() const = 0;
  const LogicalType& type() const { return type_; }

 protected:
  LogicalType type_;
};
using ExprP = std::unique_ptr<Expression>;

/// Whether `e` has one value on every row: literals combined by operators, AND/OR/NOT,
/// IS tests and casts (no input, no function call, no clock).
bool isConstant(const Expression& e);

/// Marks in `used` (sized to the input's width) every input column `e` reads.
void markInputs(const Expression& e, std::vector<bool>& used);
/// How many times `e` reads each input column (`reads` grows as needed).
void countInputs(const Expression& e, std::vector<int>& reads);

/// Column `index` of the input, as is.
class InputRef final : public Expression {
 public:
  InputRef(int index, LogicalType type) : Expression(type), index_(index) {}
  const Column& eval(const RecordBatch& in) override { return in.columns[static_cast<size_t>(index_)]; }
  ExprP cloneWith(const InputMap& map) const override { return map(index_, type_); }
  std::string toString() const override { return "$" + std::to_string(index_); }
  int index() const { return index_; }

 private:
  int index_;
};

/// A constant.
class Literal final : public Expression {
 public:
  Literal(Value v, LogicalType type, std::string text) : Expression(type), v_(std::move(v)), text_(std::move(text)) {}
  const Column& eval(const RecordBatch& in) override;
  ExprP cloneWith(const InputMap&) const override { return std::make_unique<Literal>(v_, type_, text_); }
  std::string toString() const override { return text_; }
  const Value& value() const { return v_; }

 private:
  Value v_;
  std::string text_;
  Column out_{type_.storage()};
};

/// A row-at-a-time function: `fn(args)` per row. With `strict`, a NULL argument gives
/// NULL without calling fn (most of Flink's functions).
using RowFunction = std::function<Value(const std::vector<Value>& args)>;

class RowCall final : public Expression {
 public:
  RowCall(std::string name, LogicalType type, std::vector<ExprP> args, RowFunction fn, bool strict)
      : Expression(type), name_(std::move(name)), args_(std::move(args)), fn_(std::move(fn)), strict_(strict) {}
  const Column& eval(const RecordBatch& in) override;
  ExprP cloneWith(const InputMap& map) const override;
  std::string toString() const override;

 private:
  std::string name_;
  std::vector<ExprP> args_;
  RowFunction fn_;
  bool strict_;
  Column out_{type_.storage()};
  std::vector<Value> row_;
};

/// Vectorized binary operators on one storage (the planner coerces both sides first):
/// arithmetic on int64 or double, comparison on int64, double or strings.
enum class BinaryOp { kAdd, kSub, kMul, kDiv, kMod, kEq, kNe, kLt, kLe, kGt, kGe };
const char* binaryOpName(BinaryOp op);

class BinaryCall final : public Expression {
 public:
  BinaryCall(BinaryOp op, LogicalType type, ExprP a, ExprP b)
      : Expression(type), op_(op), a_(std::move(a)), b_(std::move(b)) {}
  const Column& eval(const RecordBatch& in) override;
  ExprP cloneWith(const InputMap& m) const override {
    return std::make_unique<BinaryCall>(op_, type_, a_->cloneWith(m), b_->cloneWith(m));
  }
  std::string toString() const override {
    return std::string(binaryOpName(op_)) + "(" + a_->toString() + ", " + b_->toString() + ")";
  }
  BinaryOp op() const { return op_; }
  const Expression& left() const { return *a_; }
  const Expression& right() const { return *b_; }

 private:
  const Column& evalDecimal(const Column& a, const Column& b, size_t n);
  BinaryOp op_;
  ExprP a_, b_;
  Column out_{type_.storage()};
};

/// AND / OR with SQL's three-valued logic, NOT.
class LogicalCall final : public Expression {
 public:
  enum class Op { kAnd, kOr, kNot };
  LogicalCall(Op op, std::vector<ExprP> args) : Expression(LogicalType::boolean()), op_(op), args_(std::move(args)) {}
  const Column& eval(const RecordBatch& in) override;
  ExprP cloneWith(const InputMap& map) const override;
  std::string toString() const override;
  Op op() const { return op_; }
  const std::vector<ExprP>& args() const { return args_; }

 private:
  Op op_;
  std::vector<ExprP> args_;
  Column out_{Storage::kInt64};
};

/// PROCTIME(), CURRENT_TIMESTAMP / NOW(), LOCALTIMESTAMP, CURRENT_DATE: the time when a
/// row is evaluated (Flink evaluates them per record in streaming mode), read from the
/// clock setSqlClock installed (the system clock by default). The session time zone is
/// UTC, so local and zoned timestamps have the same value.
class NowCall final : public Expression {
 public:
  // kCurrentWatermark: Flink's CURRENT_WATERMARK(rowtime), the watermark of the Calc
  // evaluating it (NULL before the first one).
  enum class What { kProcTime, kCurrentTimestamp, kLocalTimestamp, kCurrentDate, kLocalTime, kCurrentWatermark };
  NowCall(What what, LogicalType type, std::string name)
      : Expression(type), what_(what), name_(std::move(name)) {}
  const Column& eval(const RecordBatch& in) override;
  ExprP cloneWith(const InputMap&) const override { return std::make_unique<NowCall>(what_, type_, name_); }
  std::string toString() const override { return name_ + "()"; }

 private:
  What what_;
  std::string name_;
  Column out_{Storage::kInt64};
};

/// The clock NowCall reads (tests install a manual one); null restores the system clock.
void setSqlClock(const Clock* clock);
/// The clock setSqlClock installed, else the system clock (also when a session's jobs
/// start, for SHOW JOBS).
const Clock& sqlClock();
/// The watermark CURRENT_WATERMARK reads on this thread: the Calc operator sets its own
/// before it evaluates a batch.
void setCurrentWatermark(int64_t watermark);

/// Two row filters in turn: `second` is evaluated only on the rows `first` keeps (so an
/// expression that may fail, a CAST, never sees a row the first filter dropped). What
/// merging two Calcs' filters gives. NULL counts as false.
class FilterThen final : public Expression {
 public:
  FilterThen(ExprP first, ExprP second)
      : Expression(LogicalType::boolean()), first_(std::move(first)), second_(std::move(second)) {}
  const Column& eval(const RecordBatch& in) override;
  ExprP cloneWith(const InputMap& m) const override {
    return std::make_unique<FilterThen>(first_->cloneWith(m), second_->cloneWith(m));
  }
  std::string toString() const override { return "AND(" + first_->toString() + ", " + second_->toString() + ")"; }
  const Expression& first() const { return *first_; }
  const Expression& second() const { return *second_; }

 private:
  ExprP first_, second_;
  RecordBatch selected_;
  std::vector<uint32_t> rows_;
  Column out_{Storage::kInt64};
};

/// CASE WHEN c1 THEN v1 ... ELSE e END (conditions already boolean; ELSE defaults to NULL).
class CaseCall final : public Expression {
 public:
  CaseCall(LogicalType type, std::vector<ExprP> args) : Expression(type), args_(std::move(args)) {}
  const Column& eval(const RecordBatch& in) override;
  ExprP cloneWith(const InputMap& map) const override;
  std::string toString() const override;
  /// This CASE with its constant conditions decided (isConstant): an arm whose condition
  /// is false or NULL is dropped, one whose condition is true ends the CASE as its
  /// ELSE; what is left with no condition is that value alone. What a scan's computed
  /// column becomes once a pushed filter pins the column it branches on.
  ExprP withConstantConditionsDecided() const;

 private:
  std::vector<ExprP> args_;  // cond, value, cond, value, ..., [else]
  Column out_{type_.storage()};
  std::vector<const Column*> cols_;  // The arguments' values for this batch.
  std::vector<uint32_t> pick_;       // Per row: the argument it takes (kNone: NULL).
};

/// IS [NOT] NULL, IS [NOT] TRUE/FALSE: never NULL.
class IsCall final : public Expression {
 public:
  enum class What { kNull, kNotNull, kTrue, kNotTrue, kFalse, kNotFalse };
  IsCall(What what, ExprP arg) : Expression(LogicalType::boolean().notNull()), what_(what), arg_(std::move(arg)) {}
  const Column& eval(const RecordBatch& in) override;
  ExprP cloneWith(const InputMap& m) const override { return std::make_unique<IsCall>(what_, arg_->cloneWith(m)); }
  std::string toString() const override;
  const Expression& arg() const { return *arg_; }

 private:
  What what_;
  ExprP arg_;
  Column out_{Storage::kInt64};
};

/// Converts a Value of type `from` to type `to`; fails (error text) when the text or
/// number does not fit. Used by CAST and the planner's implicit coercions.
bool castValue(const Value& in, const LogicalType& from, const LogicalType& to, Value& out, std::string* error);
/// Converts text read from a file (csv, json) to type `t`, as castValue from STRING does,
/// except that bytes are base64 there (as Flink's formats write them, formatForFile).
bool parseFileText(const std::string& text, const LogicalType& t, Value& out, std::string* error);

/// CAST(x AS t); TRY_CAST gives NULL where CAST fails. A failing CAST fails the job
/// with the value and the target type named (Flink throws too).
class CastCall final : public Expression {
 public:
  CastCall(LogicalType to, ExprP arg, bool try_cast)
      : Expression(to), arg_(std::move(arg)), try_(try_cast) {}
  const Column& eval(const RecordBatch& in) override;
  ExprP cloneWith(const InputMap& m) const override {
    return std::make_unique<CastCall>(type_, arg_->cloneWith(m), try_);
  }
  std::string toString() const override { return "CAST(" + arg_->toString() + " AS " + type_.toString() + ")"; }
  const Expression& arg() const { return *arg_; }

 private:
  ExprP arg_;
  bool try_;
  Column out_{type_.storage()};
};

/// An integer column a filter pins to constants: a row passes only if the column is
/// one of `values`.
struct ColumnEquality {
  int column;
  std::vector<int64_t> values;
};
/// The conjuncts of `filter` of the form `$c = k` or an OR of those on one column, with
/// k an integer literal (not DECIMAL): what a scan may skip rows by.
std::vector<ColumnEquality> columnEqualities(const Expression& filter);

/// Evaluation errors (a failing CAST, division by zero) surface as this exception,
/// which the task turns into a failed job naming the operator.
struct EvalError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace eddy::sql
