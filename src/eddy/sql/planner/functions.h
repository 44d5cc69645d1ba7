#pragma once

#include <string>
#include <vector>

#include "eddy/sql/exec/expression.h"
#include "eddy/sql/parser/sql_error.h"

namespace eddy::sql {

/// The type both `a` and `b` convert to without loss (Flink's implicit widening:
/// integers < DECIMAL < DOUBLE, strings to VARCHAR, timestamps to the larger
/// precision), or false when they have none.
bool commonType(const LogicalType& a, const LogicalType& b, LogicalType* out);
/// Whether a value of type `from` may be written where `to` is expected without a CAST
/// (Flink's LogicalTypeCasts.supportsImplicitCast, as INSERT INTO checks the query
/// against the sink): numbers to DECIMAL and DOUBLE (also narrower ones: a DECIMAL too
/// big for its type is NULL), integers to wider integers, text to text, bytes to bytes,
/// a TIMESTAMP or TIMESTAMP_LTZ to either at any precision, a TIMESTAMP to DATE / TIME,
/// each type to itself.
bool implicitlyCastable(const LogicalType& from, const LogicalType& to);
/// `e` as type `t`: itself when it already is, else a CAST.
ExprP coerce(ExprP e, const LogicalType& t);

/// Binds a call of Flink's scalar function or operator `name` (upper case) to `args`:
/// checks the argument types, inserts implicit casts, and picks the result type by
/// Flink's rules. Errors name the function and the argument at `pos`.
Result<ExprP> bindCall(const std::string& name, std::vector<ExprP> args, Pos pos);

/// A user-defined scalar function (Flink's ScalarFunction with one eval method): the
/// argument types it takes (arguments are cast to them implicitly where Flink would),
/// its result type, and `eval` over one row's argument values. With `null_on_null`, a
/// NULL argument gives NULL without calling eval. `eval` runs on task threads, on
/// copies of the plan: it must not change shared state without synchronization.
struct ScalarFunction {
  std::vector<LogicalType> argument_types;
  LogicalType result_type;
  RowFunction eval;
  bool null_on_null = true;
};

/// Binds a call of the user-defined function `name` to `args`: checks the count and the
/// types (an argument that cannot become the declared type is an error at `pos`).
Result<ExprP> bindUserFunction(const std::string& name, const ScalarFunction& f, std::vector<ExprP> args, Pos pos);

/// A ROW value of `fields` named `names` (a table's ROW column read whole: its fields
/// are kept as columns). Its type is nullable, as the column's is; the value never is.
ExprP namedRow(const std::vector<std::string>& names, std::vector<ExprP> fields);

/// Whether `name` is a scalar function or operator bindCall knows, and every name it
/// knows (for "did you mean").
bool isScalarFunction(const std::string& name);
std::vector<std::string> scalarFunctionNames();

}  // namespace eddy::sql
