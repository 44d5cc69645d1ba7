#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "eddy/core/status.h"
#include "eddy/sql/parser/ast.h"

namespace eddy::sql {

/// Parses a script of `;`-separated statements in Flink's SQL dialect (recursive
/// descent). Nothing is checked against a catalog here. Errors read `SQL error at line
/// L, column C: ...` and name the token found and what was expected.
Result<std::vector<std::unique_ptr<ast::Statement>>> parseScript(std::string_view sql);

/// Parses one expression (for computed columns and tests).
Result<ast::ExprPtr> parseExpression(std::string_view sql);

}  // namespace eddy::sql
