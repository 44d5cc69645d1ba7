#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "eddy/sql/parser/sql_error.h"

namespace eddy::sql::ast {

/// Whether `name` (upper case) is one of Flink's built-in aggregate functions (COUNT,
/// SUM, ..., JSON_OBJECTAGG): what makes a call an aggregation rather than a row function.
bool isBuiltinAggregate(const std::string& name);
/// The built-in aggregate functions' names, upper case (SHOW FUNCTIONS, "did you mean").
const std::vector<std::string>& builtinAggregateNames();

struct RowField;

/// A SQL data type as written: `DECIMAL(10, 2)`, `TIMESTAMP(3)`, `STRING NOT NULL`,
/// `ROW<id BIGINT, name STRING>`.
struct DataType {
  std::string name;  // Upper case: INT, BIGINT, VARCHAR, TIMESTAMP, TIMESTAMP_LTZ, ROW, ...
  int precision = -1;
  int scale = -1;
  bool not_null = false;
  Pos pos;
  std::vector<RowField> fields;  // ROW; ARRAY's element, MAP's key and value (unnamed)
};

struct RowField {
  std::string name;
  std::shared_ptr<DataType> type;
};

struct Query;

/// An expression. One node type keeps the parser and binder small: `kind` says which
/// fields mean something.
struct Expr {
  enum class Kind {
    kLiteral,   // text + literal; NULL, TRUE/FALSE, numbers, strings
    kColumn,    // names: [qualifier.]column
    kStar,      // names: [qualifier] (*, t.*)
    kCall,      // name (upper case) + args; operators too ("+", "AND", "NOT", "IS NULL", ...)
    kCast,      // args[0], type
    kCase,      // args: [operand?] when/then pairs, [else]; has_operand, has_else
    kInterval,  // literal text + unit (upper case), e.g. '5' MINUTE
    kSubquery,  // query: scalar subquery
    kExists,    // query
    kInQuery,   // args[0] IN (query); negated
    kOver,      // args[0] is the aggregate call; window spec in `over`
  };
  enum class LiteralType { kNull, kBool, kInteger, kDecimal, kDouble, kString, kBinary, kTimestamp, kDate, kTime };

  Kind kind = Kind::kLiteral;
  Pos pos;
  std::string name;
  std::vector<std::string> names;
  std::vector<std::unique_ptr<Expr>> args;
  LiteralType literal = LiteralType::kNull;
  std::string text;
  std::string unit;  // Interval: YEAR, MONTH, DAY, HOUR, MINUTE, SECOND (+ " TO " forms).
  DataType type;
  bool distinct = false;  // COUNT(DISTINCT x)
  bool ignore_nulls = false;  // ARRAY_AGG(x IGNORE NULLS)
  bool negated = false;
  // kColumn: a column of the enclosing query's row, never of the subquery the reference
  // stands in (a quantified comparison's left side, moved into its subquery).
  bool outer_ref = false;
  bool has_operand = false;
  bool has_else = false;
  std::shared_ptr<Query> query;
  std::unique_ptr<Expr> filter;  // agg(...) FILTER (WHERE filter)
  // OVER (PARTITION BY ... ORDER BY ... ROWS|RANGE BETWEEN ... AND CURRENT ROW)
  struct Window {
    std::vector<std::unique_ptr<Expr>> partition_by;
    std::vector<std::unique_ptr<Expr>> order_by;
    std::vector<bool> order_desc;
    std::vector<std::optional<bool>> order_nulls_first;  // NULLS FIRST / LAST; unset: the default.
    bool rows = false;             // ROWS vs RANGE
    bool has_frame = false;
    bool unbounded = true;         // UNBOUNDED PRECEDING
    std::unique_ptr<Expr> preceding;  // n PRECEDING (rows: integer, range: interval)
    bool start_following = false;     // The start is `preceding` FOLLOWING instead.
    bool current_start = false;       // BETWEEN CURRENT ROW AND ...
    // The frame's end: CURRENT ROW (neither set), n FOLLOWING, or UNBOUNDED FOLLOWING.
    std::unique_ptr<Expr> following;
    bool end_preceding = false;  // The end is `following` PRECEDING instead.
    bool unbounded_following = false;
  };
  std::shared_ptr<Window> over;
};
using ExprPtr = std::unique_ptr<Expr>;

struct SelectItem {
  ExprPtr expr;
  std::string alias;
  Pos pos;
};

struct MatchRecognize;

struct TableRef {
  enum class Kind { kNamed, kSubquery, kFunction, kJoin, kLateral, kValues, kMatchRecognize };
  enum class JoinType { kInner, kLeft, kRight, kFull, kCross };
  Kind kind = Kind::kNamed;
  Pos pos;
  std::string name;   // kNamed: table; kFunction: TUMBLE/HOP/CUMULATE/SESSION
  std::string alias;
  std::vector<std::string> column_aliases;
  std::shared_ptr<Query> query;  // kSubquery
  bool lateral = false;          // kSubquery: LATERAL (SELECT ...), reading the columns before it
  // kFunction: TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL ...)); args after the table.
  std::unique_ptr<TableRef> input;
  std::vector<std::string> descriptor;
  std::vector<ExprPtr> args;
  std::vector<ExprPtr> partition_keys;  // SESSION(TABLE t PARTITION BY k, ...)
  // kJoin
  JoinType join = JoinType::kInner;
  std::unique_ptr<TableRef> left;
  std::unique_ptr<TableRef> right;
  ExprPtr on;
  std::vector<std::string> using_columns;  // JOIN ... USING (c, ...)
  bool natural = false;                    // NATURAL JOIN: USING every common column
  // FOR SYSTEM_TIME AS OF expr (on a kNamed right side)
  ExprPtr system_time;
  // kLateral: LATERAL TABLE(call), a user-defined table function's call, or
  // UNNEST(expr) (name "UNNEST") [WITH ORDINALITY].
  ExprPtr call;
  bool with_ordinality = false;
  // kNamed: /*+ OPTIONS('k' = 'v', ...) */, options over the table's for this query.
  std::vector<std::pair<std::string, std::string>> hint_options;
  // kValues: VALUES (e, ...), (e, ...): its rows of constant expressions.
  std::vector<std::vector<ExprPtr>> rows;
  // kMatchRecognize: `input` MATCH_RECOGNIZE (...).
  std::shared_ptr<MatchRecognize> match;
};

struct OrderItem {
  ExprPtr expr;
  bool desc = false;
  std::optional<bool> nulls_first;  // NULLS FIRST / LAST; unset: the default.
};

/// One variable of a MATCH_RECOGNIZE pattern with its quantifier: `A` (1, 1), `B+`
/// (1, unbounded), `C*?` (0, unbounded, reluctant), `D{2,3}`.
struct PatternTerm {
  std::string var;
  Pos pos;
  int64_t min = 1;
  int64_t max = 1;  // -1: no upper bound.
  bool reluctant = false;
};

/// `t MATCH_RECOGNIZE (PARTITION BY ... ORDER BY ... MEASURES ... ONE ROW PER MATCH
/// AFTER MATCH SKIP ... PATTERN (...) WITHIN interval DEFINE ...)`.
struct MatchRecognize {
  std::vector<ExprPtr> partition_by;
  std::vector<OrderItem> order_by;
  Pos order_pos;
  std::vector<SelectItem> measures;
  enum class Skip { kToNextRow, kPastLastRow, kToFirst, kToLast };
  Skip skip = Skip::kToNextRow;  // Calcite's default.
  std::string skip_var;          // kToFirst / kToLast
  Pos skip_pos;
  std::vector<PatternTerm> pattern;  // A concatenation.
  Pos pattern_pos;
  ExprPtr within;  // An INTERVAL literal, or null.
  struct Definition {
    std::string var;
    Pos pos;
    ExprPtr condition;
  };
  std::vector<Definition> define;
};

/// One SELECT block.
struct Select {
  Pos pos;
  bool distinct = false;
  std::vector<SelectItem> items;
  std::unique_ptr<TableRef> from;
  ExprPtr where;
  // GROUP BY; grouping_sets non-empty for GROUPING SETS/ROLLUP/CUBE (each a list of
  // indexes into group_by).
  std::vector<ExprPtr> group_by;
  std::vector<std::vector<int>> grouping_sets;
  bool has_grouping_sets = false;
  ExprPtr having;
  // SELECT /*+ STATE_TTL('t' = '1d', ...) */: per input name, the idle-state retention of
  // this SELECT's regular joins and group aggregation (Flink's STATE_TTL hint).
  std::vector<std::pair<std::string, std::string>> state_ttl;
  Pos state_ttl_pos;
};

struct Cte {
  std::string name;
  Pos pos;
  std::shared_ptr<Query> query;
};

/// WITH ctes; a SELECT, or UNION ALL of several; ORDER BY; LIMIT.
struct Query {
  Pos pos;
  std::vector<Cte> with;
  std::vector<std::shared_ptr<Select>> selects;  // Set operation operands, or one
  std::vector<std::shared_ptr<Query>> union_queries;  // Parenthesized operands, when set.
  // The set operation between operand i and i + 1 (INTERSECT binds tighter).
  enum class SetOp { kUnionAll, kUnion, kIntersect, kExcept, kIntersectAll, kExceptAll };
  std::vector<SetOp> set_ops;
  std::vector<OrderItem> order_by;
  std::optional<int64_t> limit;
  std::optional<int64_t> offset;  // OFFSET n [ROW|ROWS]
};

struct ColumnDef {
  std::string name;
  Pos pos;
  DataType type;
  ExprPtr computed;  // AS expr
  bool metadata = false;
  std::string metadata_key;
  bool is_virtual = false;
};

struct Statement {
  enum class Kind {
    kCreateTable,
    kCreateView,
    kDropTable,
    kDropView,
    kShowTables,  // [FROM | IN `key`]: a database, else the current one
    kShowViews,   // [FROM | IN `key`]
    kShowCatalogObjects,  // SHOW CATALOGS / DATABASES / FUNCTIONS / [FULL] MODULES / CURRENT CATALOG|DATABASE: `name` says which.
    kUse,                 // USE CATALOG c (`key` = "CATALOG") / USE db: `name`.
    kDescribe,
    kShowCreateTable,  // SHOW CREATE TABLE `name`
    kShowCreateView,   // SHOW CREATE VIEW `name`
    kSet,
    kReset,
    kExplain,
    kInsert,
    kQuery,
    kStatementSet,
    kAlterTable,  // ALTER TABLE name RENAME TO `key` | SET (options) | RESET (option keys in `options`)
    kAlterView,   // ALTER VIEW name RENAME TO `key` (`value` "RENAME") | AS query (`value` "AS")
    kCreateCatalog,   // CREATE CATALOG `name` WITH (options)
    kDropCatalog,     // DROP CATALOG [IF EXISTS] `name`
    kCreateDatabase,  // CREATE DATABASE [IF NOT EXISTS] `name` [COMMENT `value`] [WITH (options)]
    kDropDatabase,    // DROP DATABASE [IF EXISTS] `name` [RESTRICT | CASCADE (`value`)]
    kAlterDatabase,   // ALTER DATABASE `name` SET (options)
    kShowJobs,        // SHOW JOBS: the jobs this session ran
    kStopJob,         // STOP JOB 'id' (`name`) [WITH SAVEPOINT (`key` "SAVEPOINT")] [WITH DRAIN (`value` "DRAIN")]
    kModule,          // LOAD MODULE m [WITH (...)] / UNLOAD MODULE m / USE MODULES m, ...: `value` says which, names in `alter_names`
    kJar,             // ADD JAR 'path' / REMOVE JAR 'path' / SHOW JARS: `value` says which, the path in `name`
  };
  Kind kind = Kind::kQuery;
  Pos pos;
  std::string text;  // The statement's own text.
  std::string name;  // table or view (a path as joinPath writes it: `t`, `db.t`, `cat.db.t`)
  // SHOW TABLES / VIEWS / COLUMNS / FUNCTIONS / DATABASES / CATALOGS [NOT] LIKE | ILIKE
  // 'pattern': only the names that match (ILIKE: ignoring case).
  std::optional<std::string> like;
  bool not_like = false;
  bool ilike = false;
  bool if_not_exists = false;
  bool if_exists = false;
  // CREATE OR REPLACE TABLE ... AS (kOrReplace) / REPLACE TABLE ... AS (kReplace: the
  // table must exist): Flink's RTAS.
  enum class Replace { kNo, kOrReplace, kReplace };
  Replace replace = Replace::kNo;
  bool temporary = false;
  std::vector<ColumnDef> columns;
  std::string watermark_column;
  ExprPtr watermark;
  std::vector<std::string> primary_key;
  std::vector<std::string> partition_keys;  // PARTITIONED BY (...)
  std::vector<std::pair<std::string, std::string>> options;  // WITH ('k' = 'v')
  // CREATE TABLE ... LIKE `like_table` (strategy feature, ...): each as
  // (INCLUDING|EXCLUDING|OVERWRITING, ALL|CONSTRAINTS|GENERATED|METADATA|OPTIONS|PARTITIONS|WATERMARKS).
  std::string like_table;
  std::vector<std::pair<std::string, std::string>> like_options;
  std::vector<std::string> view_columns;
  std::string query_text;  // CREATE VIEW: its query as written (SHOW CREATE VIEW).
  std::shared_ptr<Query> query;  // view, insert, query, explain
  // ALTER TABLE ... ADD | MODIFY (value "ADD" / "MODIFY"): the elements in `columns`,
  // `watermark`, `primary_key`, each column's place ("" | "FIRST" | "AFTER c");
  // DROP (value "DROP"): the columns, or "WATERMARK" / "PRIMARY KEY" as flags;
  // RENAME a TO b (value "RENAME COLUMN"): alter_names {a}, key b.
  std::vector<std::string> column_places;
  std::vector<std::string> alter_names;
  bool drop_watermark = false, drop_primary_key = false;
  std::vector<std::string> insert_columns;
  bool overwrite = false;  // INSERT OVERWRITE
  // INSERT ... PARTITION (k = 'v', ...): static partition values, each a literal.
  std::vector<std::pair<std::string, ExprPtr>> static_partitions;
  std::vector<std::pair<std::string, std::string>> hint_options;  // INSERT INTO t /*+ OPTIONS(...) */
  std::string key, value;       // SET
  std::vector<std::unique_ptr<Statement>> statements;  // statement set, explain's target
};

}  // namespace eddy::sql::ast
