#pragma once

#include <memory>
#include <string>

#include "eddy/core/status.h"
#include "eddy/core/time.h"

namespace eddy::api {
class JobClient;
}

namespace eddy::rest {

/// Flink's REST API for the jobs of this process (local mode), the part a job's
/// operator needs to drive it from outside (`eddy savepoint|stop|cancel|list`):
///
///   GET   /jobs                              {"jobs":[{"id","status"}]}
///   GET   /jobs/:jobid                       {"jid","name","state"}
///   POST  /jobs/:jobid/savepoints            {"target-directory","cancel-job"} -> 202 {"request-id"}
///   POST  /jobs/:jobid/stop                  {"targetDirectory","drain"}       -> 202 {"request-id"}
///   GET   /jobs/:jobid/savepoints/:triggerid {"status":{"id":"IN_PROGRESS"|"COMPLETED"},
///                                             "operation":{"location"} | {"failure-cause":{...}}}
///   PATCH /jobs/:jobid?mode=cancel           202 {}
///
/// Errors are Flink's `{"errors":["..."]}` with 400 (bad request), 404 (unknown job
/// or trigger) or 409 (the job is no longer running).
/// Thread: start/stop/addJob from the owner's thread; requests are served on the
/// server's own threads; savepoints run on a thread each.
class RestServer {
 public:
  RestServer();
  ~RestServer();  // Stops, and waits for savepoints in progress.
  RestServer(const RestServer&) = delete;
  RestServer& operator=(const RestServer&) = delete;

  /// Listens on `host`:`port` (port 0: any free one) in the background and returns the
  /// port. Fails, naming the address, when it cannot bind.
  Result<int> start(const std::string& host, int port);
  /// Stops serving, after waiting up to `grace` until clients fetched the outcome of
  /// every savepoint they started (a stop-with-savepoint ends the job, and with it
  /// usually the process, before its client asked where the savepoint went).
  void stop(Duration grace = Duration(10'000));

  /// Serves `client`'s job, named `name`, under client->getJobID(). The client must
  /// outlive the server (or its stop()).
  void addJob(const std::string& name, api::JobClient* client);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace eddy::rest
