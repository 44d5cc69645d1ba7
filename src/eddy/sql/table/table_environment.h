#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "eddy/core/status.h"
#include "eddy/sql/exec/table_sinks.h"
#include "eddy/sql/planner/planner.h"

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

  /// Test connector data: rows and watermarks of a 'values' table, read by the jobs
  /// that follow.
  ValuesData& valuesOf(const std::string& table);
  const Catalog& catalog() const { return catalog_; }
  /// SET options (Flink's keys: 'parallelism.default', 'table.exec.state.ttl', ...).
  const std::map<std::string, std::string>& config() const { return config_; }
  /// Rows the sinks of the last job (SELECT or INSERT) received.
  int64_t lastJobRowsWritten() const { return last_job_rows_; }

 private:
  Status run(const ast::Statement& st);
  Status runJob(const std::vector<const ast::Statement*>& inserts, const ast::Query* select);
  void info(const std::string& s);

  std::shared_ptr<ChangelogCollector> out_;
  Catalog catalog_;
  std::map<std::string, std::string> config_;
  int64_t last_job_rows_ = 0;
  bool dry_run_ = false;  // Checking a script: plan and translate, run no job.
  std::set<std::string> dry_written_paths_;  // ... and the filesystem paths it writes.
};

}  // namespace eddy::sql
