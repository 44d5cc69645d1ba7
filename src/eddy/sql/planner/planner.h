#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "eddy/sql/parser/ast.h"
#include "eddy/sql/parser/object_path.h"
#include "eddy/sql/planner/functions.h"
#include "eddy/sql/planner/optimizer.h"
#include "eddy/sql/planner/plan.h"

namespace eddy::sql {

/// What the session knows: tables and views by name (case-sensitive, as Flink), in
/// in-memory catalogs and databases (Flink's GenericInMemoryCatalog). An object's key
/// is objectKey of its path: its bare name in default_catalog.default_database.
struct Catalog {
  struct Database {
    std::string comment;
    std::map<std::string, std::string> properties;
  };
  struct InMemoryCatalog {
    std::string default_database;  // What USE CATALOG makes current.
    std::map<std::string, Database> databases;
  };
  std::map<std::string, InMemoryCatalog> catalogs{
      {kDefaultCatalog, InMemoryCatalog{kDefaultDatabase, {{kDefaultDatabase, Database{}}}}}};
  std::string current_catalog = kDefaultCatalog, current_database = kDefaultDatabase;

  /// The key of the object `written` (`t`, `db.t`, `cat.db.t`) names from the current
  /// database; an error for a name of more than three parts.
  Result<std::string> keyOf(const std::string& written) const { return keyOf(written, current_catalog, current_database); }
  Result<std::string> keyOf(const std::string& written, const std::string& catalog, const std::string& database) const;
  bool hasDatabase(const std::string& catalog, const std::string& database) const;
  /// The keys of the views, and with `with_tables` the tables too, in `catalog`: in
  /// its `database`, or in any when that is null.
  std::vector<std::string> objectsIn(const std::string& catalog, const std::string* database, bool with_tables) const;
  /// OK when catalog.database exists, else the error that names it.
  Status checkDatabase(const std::string& catalog, const std::string& database) const;

  std::map<std::string, std::shared_ptr<TableDef>> tables;
  struct View {
    std::shared_ptr<ast::Query> query;  // A CREATE VIEW's query ...
    PlanPtr plan;                       // ... or a Table's plan (createTemporaryView).
    std::vector<std::string> columns;
    Schema schema;
    std::string text;  // A CREATE VIEW's query as written ("": a Table's).
    bool temporary = false;
    // The database its query's names are resolved in: the current one when it was made.
    std::string catalog = kDefaultCatalog, database = kDefaultDatabase;
  };
  std::map<std::string, View> views;
  /// User-defined scalar functions, by upper-case name (function names are not case
  /// sensitive).
  std::map<std::string, ScalarFunction> functions;
  /// User-defined aggregate functions, by upper-case name.
  std::map<std::string, std::shared_ptr<const AggregateFunction>> aggregate_functions;
  /// User-defined table functions (LATERAL TABLE), by upper-case name.
  std::map<std::string, std::shared_ptr<const TableFunction>> table_functions;
  std::vector<std::string> names() const;
};

/// Resolves a CREATE TABLE against the connector rules: types, computed columns,
/// watermark (its column becomes the rowtime attribute).
Result<std::shared_ptr<TableDef>> bindCreateTable(const ast::Statement& st);

/// CREATE TABLE `own` ... LIKE `base` (Flink's MergeTableLikeUtil): one CREATE TABLE
/// with base's columns, then own's, merged feature by feature as own's LIKE options say
/// (default INCLUDING ALL OVERWRITING OPTIONS). Both statements are consumed. Errors
/// are Flink's, at own's position.
Result<std::unique_ptr<ast::Statement>> mergeTableLike(ast::Statement base, ast::Statement own);

/// Turns a query into a plan: names resolved against `catalog`, types checked and
/// coerced, aggregates and windows recognised. Errors read `SQL error at line L,
/// column C: ...`.
Result<PlanPtr> planQuery(const ast::Query& query, const Catalog& catalog, const OptimizerOptions& options = {});

/// A deep copy of a parsed expression.
ast::ExprPtr copyExpr(const ast::Expr& e);

/// Whether `column` is a field of the ROW column `prefix` (named `prefix.field...`: a
/// table keeps a ROW column as one column per field).
bool isFieldOf(const std::string& column, const std::string& prefix);
/// The ROW value of the ROW column `prefix` read from its field columns among
/// `columns` (nested ROWs too, fields in column order; NULL where its rowNullMarker
/// column, if any, says so); null when it has none.
ExprP rowOfColumns(const Schema& columns, const std::string& prefix);

/// Parses a data type as written in DDL.
Result<LogicalType> bindType(const ast::DataType& t);

}  // namespace eddy::sql
