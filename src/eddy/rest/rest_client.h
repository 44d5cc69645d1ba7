#pragma once

#include <memory>
#include <string>
#include <vector>

#include "eddy/core/status.h"
#include "eddy/core/time.h"

namespace eddy::rest {

/// The client side of RestServer (what Flink's CLI does through the REST API): the
/// `eddy savepoint|stop|cancel|list` commands. Failures name the address and the cause:
/// a refused connection, the server's error message, a malformed answer.
/// Thread: one thread at a time.
class RestClient {
 public:
  RestClient(std::string host, int port);
  ~RestClient();
  RestClient(const RestClient&) = delete;
  RestClient& operator=(const RestClient&) = delete;

  struct JobInfo {
    std::string id;
    std::string status;
  };
  Result<std::vector<JobInfo>> listJobs();
  /// Starts a savepoint into `directory` (then cancels the job with `cancel_job`);
  /// returns the trigger id to wait for.
  Result<std::string> triggerSavepoint(const std::string& job_id, const std::string& directory, bool cancel_job);
  /// Starts stop-with-savepoint into `directory`; returns the trigger id.
  Result<std::string> stopWithSavepoint(const std::string& job_id, const std::string& directory);
  /// Polls the trigger every `poll` until it completed: the savepoint's path, or its
  /// failure cause as the error.
  Result<std::string> waitForSavepoint(const std::string& job_id, const std::string& trigger_id,
                                       Duration poll = Duration(100));
  Status cancel(const std::string& job_id);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace eddy::rest
