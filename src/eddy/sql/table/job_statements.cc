// The session's job and module statements: how a job is named, SHOW JOBS and STOP JOB;
// LOAD / UNLOAD MODULE and USE MODULES over the one module, core; ADD / REMOVE JAR and
// SHOW JARS.

#include <algorithm>
#include <set>

#include "eddy/sql/exec/value.h"
#include "eddy/sql/parser/sql_error.h"
#include "eddy/sql/table/table_environment.h"

namespace eddy::sql {

namespace {

// Flink's SHOW JOBS start time: an ISO-8601 instant in UTC, to the millisecond.
std::string isoInstant(int64_t epoch_ms) {
  std::string text = formatTimestamp(epoch_ms, 3);  // yyyy-MM-dd HH:mm:ss.SSS
  text[10] = 'T';
  return text + "Z";
}

}  // namespace

std::string TableEnvironment::jobName(const std::vector<const ast::Statement*>& inserts, const ast::Query* select) const {
  // As Flink's TableEnvironment names them: 'pipeline.name' when set, else "collect"
  // for a query and "insert-into_" with the sinks' full names for INSERTs.
  auto set = config_.find("pipeline.name");
  if (set != config_.end() && !set->second.empty()) return set->second;
  if (select) return "collect";
  std::string name = "insert-into_";
  for (size_t i = 0; i < inserts.size(); ++i) {
    Result<std::string> key = catalog_.keyOf(inserts[i]->name);
    const ObjectPath path = objectPathOf(key.isOk() ? *key : inserts[i]->name);
    name += (i ? "," : "") + path.catalog + "." + path.database + "." + path.name;
  }
  return name;
}

Status TableEnvironment::runJobStatement(const ast::Statement& st) {
  if (st.kind == ast::Statement::Kind::kShowJobs) {
    std::vector<std::vector<std::string>> rows;
    for (const JobRecord& job : jobs_) rows.push_back({job.id, job.name, job.status, isoInstant(job.start_time_ms)});
    out_->table(StatementTable::ofText({"job id", "job name", "status", "start time"}, rows));
    return Status::ok();
  }
  // STOP JOB: the local client runs each job to its end before it reads the next
  // statement, so there is never a running job to stop.
  for (const JobRecord& job : jobs_) {
    if (job.id == st.name) {
      return sqlError(st.pos, "Could not stop job " + st.name + ": it is " + job.status +
                                  ", not running (the local client runs each job to its end before the next "
                                  "statement)");
    }
  }
  return sqlError(st.pos, "Could not stop job " + st.name + ": this session ran no job with that id (SHOW JOBS lists them)");
}

Status TableEnvironment::runModuleStatement(const ast::Statement& st) {
  // Eddy's built-in functions are its one module, `core`, always loaded and used (as
  // Flink's session starts); what Flink's ModuleManager would refuse is refused alike.
  const std::string& first = st.alter_names.front();
  if (st.value == "LOAD") {
    if (first == "core") return sqlError(st.pos, "A module with name 'core' already exists");
    return sqlError(st.pos, "Could not find any factory for identifier '" + first +
                                "' that implements 'org.apache.flink.table.factories.ModuleFactory' in the "
                                "classpath (Eddy has one module, 'core')");
  }
  std::set<std::string> seen;
  for (const std::string& name : st.alter_names) {
    if (name != "core") return sqlError(st.pos, "No module with name '" + name + "' exists");
    if (!seen.insert(name).second) return sqlError(st.pos, "Module '" + name + "' appears more than once");
  }
  if (st.value == "UNLOAD") {
    return sqlError(st.pos, "the 'core' module holds Eddy's built-in functions and cannot be unloaded");
  }
  info("[INFO] Execute statement succeeded.");  // USE MODULES core: as it is.
  return Status::ok();
}

Status TableEnvironment::runJarStatement(const ast::Statement& st) {
  // Eddy runs no JVM, so a jar's classes are never loaded; a Flink script's ADD JAR is
  // kept in the session's list (SHOW JARS) with a warning rather than refused, so the
  // statements that follow run on Eddy's built-in connectors and formats (one that
  // needed the jar's code fails at its own statement, naming what is missing).
  if (st.value == "SHOW") {
    std::vector<std::vector<std::string>> rows;
    for (const std::string& jar : jars_) rows.push_back({jar});
    out_->table(StatementTable::ofText({"jars"}, rows));
    return Status::ok();
  }
  auto listed = std::find(jars_.begin(), jars_.end(), st.name);
  if (st.value == "REMOVE") {
    if (listed == jars_.end()) return sqlError(st.pos, "The specified jar " + st.name + " is not added");
    jars_.erase(listed);
    info("[INFO] Execute statement succeeded.");
    return Status::ok();
  }
  if (listed == jars_.end()) jars_.push_back(st.name);
  info("[WARNING] Eddy runs no JVM: the jar " + st.name + " is listed by SHOW JARS but not loaded (connectors and "
       "formats are built in, user-defined functions are C++ through the Table API)");
  info("[INFO] Execute statement succeeded.");
  return Status::ok();
}

}  // namespace eddy::sql
