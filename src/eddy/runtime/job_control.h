#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>

#include "eddy/core/status.h"

namespace eddy::runtime {

/// The handle a job client holds on a running job (what Flink's JobClient reaches
/// through the dispatcher): savepoints, stop-with-savepoint, cancel. The executor
/// attaches each attempt of the job while it runs; between attempts (a restart) a
/// request waits for the next one.
/// Thread: any thread.
class JobControl {
 public:
  /// What an attempt offers: `savepoint(dir, stop)` takes a savepoint into `dir` and
  /// returns its path once written (with `stop`, the sources emit nothing after it);
  /// `cancel()` cancels the attempt's tasks.
  struct Attempt {
    std::function<Result<std::string>(const std::string& dir, bool stop)> savepoint;
    std::function<void()> cancel;
  };

  /// Executor side: the attempt now running, or none (`attach({})`) when it ended.
  void attach(Attempt attempt);
  /// Environment side: the job ended for good; requests fail from now on.
  void finished();

  /// Client side. Savepoints need checkpointing enabled on the job.
  Result<std::string> triggerSavepoint(const std::string& dir);
  /// Takes a savepoint with the sources stopped at it, then ends the job; its result is
  /// a success (Flink's stop-with-savepoint). Returns the savepoint's path.
  Result<std::string> stopWithSavepoint(const std::string& dir);
  /// Cancels the job; it ends with a cancelled status and is not restarted.
  void cancel();
  /// Whether the client ended the job (cancel, or stop-with-savepoint).
  bool cancelRequested() const;
  bool stopped() const;
  /// Whether the job ended for good (finished() was called).
  bool isFinished() const;

 private:
  /// Calls fn on the running attempt outside the lock, counted in `calls_` so the
  /// attempt outlives the call; `wait`: for an attempt to run (a restart between two).
  Result<std::string> call(const std::function<Result<std::string>(const Attempt&)>& fn, bool wait);

  mutable std::mutex mu_;
  std::condition_variable cv_;
  Attempt attempt_;           // Guarded by mu_.
  bool attached_ = false;     // Guarded by mu_.
  bool finished_ = false;     // Guarded by mu_.
  bool cancel_requested_ = false;  // Guarded by mu_.
  bool stopped_ = false;      // Guarded by mu_.
  int calls_ = 0;             // Guarded by mu_. Calls into attempt_ in progress.
};

}  // namespace eddy::runtime
