#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "eddy/api/data_stream.h"
#include "eddy/core/status.h"
#include "eddy/sql/exec/table_sinks.h"
#include "eddy/sql/planner/planner.h"
#include "eddy/sql/table/table.h"
#include "eddy/sql/table/row.h"

namespace eddy::api {
class StreamExecutionEnvironment;
}

namespace eddy::sql {

/// A SQL session (Flink's TableEnvironment in streaming mode, local execution): a
/// catalog of tables and views, configuration set with SET, and statements run with
/// executeSql. A SELECT or INSERT runs as a job on the embedded runtime until its
/// bounded inputs end; a SELECT's changelog goes to the session's collector in Flink's
/// print format (`+I[...]`).
/// Thread: one thread uses a session.
class TableEnvironment {
 public:
  /// `out` receives result rows and statement messages ("[INFO] ..."); default stdout.
  explicit TableEnvironment(std::shared_ptr<ChangelogCollector> out = nullptr);
  /// A session bridged to the DataStream API (Flink's StreamTableEnvironment.create):
  /// fromDataStream reads streams of `env`, toDataStream / toChangelogStream add a
  /// query's operators to `env`, whose execute() then runs them with the rest of the
  /// job. executeSql still runs INSERT and SELECT statements as jobs of their own.
  /// `env` must outlive the session.
  static std::unique_ptr<TableEnvironment> create(api::StreamExecutionEnvironment& env,
                                                  std::shared_ptr<ChangelogCollector> out = nullptr);

  /// The result of one SELECT (Flink's sqlQuery), not yet run.
  Result<Table> sqlQuery(const std::string& query);
  /// Names `table` for the statements that follow (Flink's createTemporaryView).
  Status createTemporaryView(const std::string& name, const Table& table);
  /// A table over `stream` (Flink's fromDataStream): each Row's fields are the columns
  /// of `schema` (a field of another type fails the job, naming the column), its kind
  /// the row's change kind. With `rowtime` set, that column (TIMESTAMP(3) or
  /// TIMESTAMP_LTZ(3), appended after the fields) holds each record's timestamp and is
  /// the rowtime attribute, the stream's watermarks its watermarks (Flink's
  /// columnByMetadata("rowtime") with SOURCE_WATERMARK()). Needs a session made by create.
  Result<Table> fromDataStream(const api::DataStream<Row>& stream, const Schema& schema,
                               const std::string& rowtime = "");
  /// `table`'s rows as a stream of +I Rows (Flink's toDataStream); a table with updates
  /// is refused, as Flink does. Records carry the rowtime as their timestamp.
  Result<api::DataStream<Row>> toDataStream(const Table& table);
  /// `table`'s changelog: every change as a Row of its kind (Flink's toChangelogStream).
  Result<api::DataStream<Row>> toChangelogStream(const Table& table);

  /// Runs every statement of `script` in order. Every statement is checked first (parsed,
  /// bound, planned, connectors opened) on a copy of the session, so a script with an
  /// error in any statement runs nothing; the error names the line and column. A job
  /// that fails while running stops the script there.
  Status executeScript(const std::string& script);
  /// Runs one statement (a script of one).
  Status executeSql(const std::string& statement) { return executeScript(statement); }
  /// The plan of a query, as EXPLAIN prints it.
  Result<std::string> explainSql(const std::string& query);

  /// Registers a user-defined scalar function under `name` for the statements that
  /// follow (Flink's createTemporarySystemFunction; names are not case sensitive).
  void createTemporarySystemFunction(const std::string& name, ScalarFunction function);
  /// Registers a user-defined aggregate function (Flink's AggregateFunction): usable
  /// wherever COUNT or SUM are (GROUP BY, window and OVER aggregations, FILTER).
  void createTemporarySystemFunction(const std::string& name, AggregateFunction function);
  /// Registers a user-defined table function (Flink's TableFunction), called as
  /// `LATERAL TABLE(name(args))`.
  void createTemporarySystemFunction(const std::string& name, TableFunction function);

  /// Test connector data: rows and watermarks of a 'values' table, read by the jobs
  /// that follow.
  ValuesData& valuesOf(const std::string& table);
  const Catalog& catalog() const { return catalog_; }
  /// SET options (Flink's keys: 'parallelism.default', 'table.exec.state.ttl', ...).
  const std::map<std::string, std::string>& config() const { return config_; }
  /// Rows the sinks of the last job (SELECT or INSERT) received.
  int64_t lastJobRowsWritten() const { return last_job_rows_; }
  /// A job this session ran, as SHOW JOBS lists it.
  struct JobRecord {
    std::string id;      // 32 hex digits, Flink's JobID.
    std::string name;    // 'pipeline.name', else Flink's: "collect" or "insert-into_<sinks>".
    std::string status;  // FINISHED, FAILED or CANCELED.
    int64_t start_time_ms = 0;  // Epoch milliseconds, from the SQL clock (sqlClock()).
  };
  const std::vector<JobRecord>& jobs() const { return jobs_; }

 private:
  friend class Table;
  Status run(const ast::Statement& st);
  // The query `sql` with `inputs` named `$table0`, `$table1`, ... for it alone (the
  // Table API's relational methods); errors start with `what`.
  Result<Table> queryOver(const std::vector<const Table*>& inputs, const std::string& sql, const std::string& what);
  // Names `inputs` `$table0`, `$table1`, ... as views of `catalog`: their keys.
  static Result<std::vector<std::string>> nameInputs(Catalog& catalog, const std::vector<const Table*>& inputs);
  // The same for a statement run as a job (executeInsert, execute).
  Status runOver(const std::vector<const Table*>& inputs, const std::string& sql, const std::string& what);
  // CREATE / DROP CATALOG, CREATE / DROP / ALTER DATABASE, USE.
  Status runCatalogStatement(const ast::Statement& st);
  // The key of the object `written` names from the current database; an error at `pos`.
  Result<std::string> objectKey(const std::string& written, Pos pos) const;
  // RENAME TO: the new name's key, free, in a database that exists.
  Result<std::string> renameTarget(const ast::Statement& st, const std::string& from) const;
  // A database as written ([catalog.]database) as (catalog, database), unchecked.
  Result<std::pair<std::string, std::string>> databasePath(const std::string& written, Pos pos) const;
  // SHOW ... FROM|IN `written` ([catalog.]database; "" the current one), checked.
  Result<std::pair<std::string, std::string>> databaseOf(const std::string& written, Pos pos) const;
  // CREATE TABLE ... LIKE: the base table's definition merged with this one.
  Result<std::shared_ptr<TableDef>> createTableLike(const ast::Statement& st);
  /// ALTER TABLE's ADD / MODIFY / DROP / RENAME of columns, the watermark or the primary
  /// key: the table's definition changed and bound again.
  Result<std::shared_ptr<TableDef>> alterSchema(const ast::Statement& st, const TableDef& table);
  Result<api::DataStream<Row>> toStream(const Table& table, bool changelog);
  Status runJob(const std::vector<const ast::Statement*>& inserts, const ast::Query* select);
  // SHOW JOBS and STOP JOB; LOAD / UNLOAD MODULE, USE MODULES (job_statements.cc).
  Status runJobStatement(const ast::Statement& st);
  Status runModuleStatement(const ast::Statement& st);
  Status runJarStatement(const ast::Statement& st);
  // The name a job of these statements runs under, as Flink names it.
  std::string jobName(const std::vector<const ast::Statement*>& inserts, const ast::Query* select) const;
  void info(const std::string& s);

  std::shared_ptr<ChangelogCollector> out_;
  Catalog catalog_;
  std::map<std::string, std::string> config_;
  int64_t last_job_rows_ = 0;
  std::vector<JobRecord> jobs_;
  std::vector<std::string> jars_;  // ADD JAR's paths, listed, never loaded.
  bool dry_run_ = false;  // Checking a script: plan and translate, run no job.
  std::set<std::string> dry_written_paths_;  // ... and the filesystem paths it writes.
  // Bridged to the DataStream API (create): the environment, and the streams that
  // fromDataStream turned into tables, by the id their table's options name.
  api::StreamExecutionEnvironment* stream_env_ = nullptr;
  std::shared_ptr<std::map<std::string, api::DataStream<RecordBatch>>> streams_ =
      std::make_shared<std::map<std::string, api::DataStream<RecordBatch>>>();
};

}  // namespace eddy::sql
