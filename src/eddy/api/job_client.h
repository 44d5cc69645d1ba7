#pragma once

#include <functional>
#include <string>
#include <thread>

#include "eddy/runtime/job_control.h"
#include "eddy/runtime/job_result.h"

namespace eddy::api {

/// A job running in the background (Flink's JobClient, from executeAsync): savepoints,
/// stop-with-savepoint, cancel, and the result once it ends. The environment that
/// started it must outlive it. Destroying a client whose job still runs cancels the job
/// and waits for it.
/// Thread: any thread; calls block until done. getJobExecutionResult and the
/// destructor from one thread (the owner's).
class JobClient {
 public:
  using Run = std::function<runtime::JobExecutionResult(runtime::JobControl*)>;
  explicit JobClient(Run run);
  ~JobClient();
  JobClient(const JobClient&) = delete;
  JobClient& operator=(const JobClient&) = delete;

  /// Takes a savepoint into `directory` while the job goes on (Flink's
  /// triggerSavepoint) and returns its path, to start a job from later
  /// (`SavepointRestoreSettings::forPath`, `--from-savepoint`). The job must have
  /// checkpointing enabled. Self-contained: incremental RocksDB files are copied in.
  Result<std::string> triggerSavepoint(const std::string& directory) { return control_.triggerSavepoint(directory); }
  /// Takes a savepoint with the sources stopped at it, then ends the job, which
  /// succeeds; records after the savepoint are not processed (Flink's
  /// stopWithSavepoint without draining). Returns the savepoint's path.
  Result<std::string> stopWithSavepoint(const std::string& directory) { return control_.stopWithSavepoint(directory); }
  /// Cancels the job: it ends with a cancelled status, without restarts, and its
  /// checkpoints are kept or deleted as the externalized-checkpoint cleanup says.
  void cancel() { control_.cancel(); }
  /// Waits for the end of the job and returns its result.
  const runtime::JobExecutionResult& getJobExecutionResult();

  /// The job's id: 32 hex digits, random per job (Flink's JobID), by which the REST
  /// API and the `eddy` command name it.
  const std::string& getJobID() const { return job_id_; }
  /// Flink's job status, as the REST API reports it: RUNNING until the job ended, then
  /// FINISHED, CANCELED or FAILED.
  std::string getJobStatus() const;

 private:
  std::string job_id_;
  runtime::JobControl control_;
  runtime::JobExecutionResult result_;
  std::thread thread_;
};

}  // namespace eddy::api
