#pragma once

// The planner's table of built-in scalar functions, shared by the files that register
// them (functions.cc, collection_functions.cc). Not a public contract: bindCall in
// functions.h is.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "eddy/sql/exec/expression.h"
#include "eddy/sql/parser/sql_error.h"

namespace eddy::sql::builtin {

using Args = std::vector<ExprP>;
using RowFn = std::function<Value(const std::vector<Value>&)>;
/// Binds a call of `name` to its arguments: checks them, casts them, types the result.
using Binder = std::function<Result<ExprP>(const std::string& name, Args args, Pos pos)>;

/// Every built-in function by its upper-case name (operators too: "+", "=", "ITEM").
std::map<std::string, Binder>& registry();

/// A row-at-a-time call of `fn`. `strict`: a NULL argument gives NULL without calling
/// it, and the result is nullable when an argument is.
ExprP row(const std::string& name, LogicalType type, Args args, RowFn fn, bool strict = true);
/// "function NAME: why" at `pos`.
Status argError(const std::string& name, Pos pos, const std::string& why);
/// An error unless `args` has from `lo` to `hi` arguments.
Status arity(const std::string& name, const Args& args, size_t lo, size_t hi, Pos pos);

/// An error unless argument `i` is a string (or NULL) / numeric (or NULL).
Status needString(const std::string& name, const Args& args, size_t i, Pos pos);
Status needNumeric(const std::string& name, const Args& args, size_t i, Pos pos);

/// Registers ARRAY and MAP constructors, element access and functions (collection_functions.cc).
void registerCollectionFunctions();
/// Registers JSON_VALUE, JSON_QUERY and JSON_EXISTS (json_path_functions.cc).
void registerJsonPathFunctions();
/// Registers Flink 2's string functions (BTRIM, STARTSWITH, TRANSLATE, PRINTF,
/// REGEXP_COUNT, ...), JSON_QUOTE / JSON_UNQUOTE and the hyperbolic functions
/// (extra_functions.cc).
void registerExtraFunctions();

}  // namespace eddy::sql::builtin
