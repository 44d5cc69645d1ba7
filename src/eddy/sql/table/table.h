#pragma once

#include <memory>
#include <string>
#include <vector>

#include "eddy/core/status.h"
#include "eddy/sql/planner/plan.h"

namespace eddy::sql {

class TableEnvironment;
class GroupedTable;

/// A query's result as a value (Flink's Table), from sqlQuery, fromDataStream or the
/// relational methods below: it can be named with createTemporaryView, turned into a
/// DataStream, transformed further, inserted into a table or run.
///
/// The relational methods are Flink's Table API with SQL text for its expressions:
/// `t.select("a, b * 2 AS c")`, `t.where("a > 1")`, `t.groupBy("k").select("k, SUM(v)")`.
/// Each plans a SELECT over this table (and, for joins and set operations, the other),
/// so its names, types and semantics are SQL's; an error names the method and the
/// cause. A Table belongs to the session that made it, which must outlive it.
class Table {
 public:
  /// The columns: names, types, time attributes.
  const Schema& getSchema() const { return plan_->schema; }
  /// Whether its changelog is insert-only (toDataStream takes only such tables).
  bool isInsertOnly() const { return plan_->mode == ChangelogMode::kInsertOnly; }
  /// The optimized plan, as EXPLAIN prints it.
  std::string explain() const;

  /// SELECT `fields` (expressions, `*`, aliases with AS).
  Result<Table> select(const std::string& fields) const;
  /// The rows `predicate` holds for (Flink's where / filter).
  Result<Table> where(const std::string& predicate) const;
  Result<Table> filter(const std::string& predicate) const { return where(predicate); }
  /// Grouped by `keys` (expressions), for a select of keys and aggregates.
  GroupedTable groupBy(const std::string& keys) const;
  /// The distinct rows.
  Result<Table> distinct() const;
  /// The columns renamed, in order (`"x, y"`; Flink's as).
  Result<Table> as(const std::string& names) const;
  /// Every column, then `fields` (Flink's addColumns).
  Result<Table> addColumns(const std::string& fields) const;
  /// Every column but those named (Flink's dropColumns).
  Result<Table> dropColumns(const std::string& names) const;
  /// The columns, those in `renames` (`"a AS x, b AS y"`) under their new names.
  Result<Table> renameColumns(const std::string& renames) const;
  /// Sorted by `fields` (`"a DESC, b"`): on a time attribute in streaming mode, as SQL's
  /// ORDER BY; with fetch, a Top-N.
  Result<Table> orderBy(const std::string& fields) const;
  /// The first `n` rows (after orderBy: of its order).
  Result<Table> fetch(int64_t n) const;
  Result<Table> limit(int64_t n) const { return fetch(n); }
  /// Joined with `right` on `condition` (over both tables' column names, which must not
  /// clash): inner, left, right and full outer joins.
  Result<Table> join(const Table& right, const std::string& condition) const;
  Result<Table> leftOuterJoin(const Table& right, const std::string& condition) const;
  Result<Table> rightOuterJoin(const Table& right, const std::string& condition) const;
  Result<Table> fullOuterJoin(const Table& right, const std::string& condition) const;
  /// Set operations with a table of the same column types (Flink's union is distinct).
  Result<Table> unionAll(const Table& other) const;
  Result<Table> union_(const Table& other) const;
  Result<Table> intersect(const Table& other) const;
  Result<Table> minus(const Table& other) const;

  /// Runs `INSERT INTO table SELECT * FROM this` as a job (Flink's executeInsert).
  Status executeInsert(const std::string& table) const;
  /// Runs the query as a job, its changelog to the session's collector (Flink's
  /// execute().print()).
  Status execute() const;

 private:
  friend class TableEnvironment;
  friend class GroupedTable;
  Table(PlanPtr plan, TableEnvironment* env) : plan_(std::move(plan)), env_(env) {}
  Result<Table> over(const std::string& method, const std::string& sql, const Table* other = nullptr) const;
  Result<Table> joined(const Table& right, const std::string& kind, const std::string& condition,
                       const std::string& method) const;
  // The table itself, or what it refuses to be used for (an orderBy that can only be
  // followed by fetch).
  Status usable(const std::string& method) const;
  PlanPtr plan_;
  TableEnvironment* env_;
  // orderBy's table before its sort and the ORDER BY text, for a fetch to take; and, when
  // the sort alone cannot be planned (streaming, not on a time attribute), why.
  struct Sort {
    PlanPtr unsorted;
    std::string order;
    std::shared_ptr<const Status> alone_refused;
  };
  std::shared_ptr<const Sort> sort_;
};

/// A table grouped by keys (Flink's GroupedTable), for its select.
class GroupedTable {
 public:
  /// SELECT `fields` (the keys and aggregates of the others) per group.
  Result<Table> select(const std::string& fields) const;

 private:
  friend class Table;
  GroupedTable(Table table, std::string keys) : table_(std::move(table)), keys_(std::move(keys)) {}
  Table table_;
  std::string keys_;
};

}  // namespace eddy::sql
