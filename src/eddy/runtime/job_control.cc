#include "eddy/runtime/job_control.h"

namespace eddy::runtime {

void JobControl::attach(Attempt attempt) {
  std::function<void()> cancel_now;
  {
    std::unique_lock<std::mutex> lock(mu_);
    // The attempt ending (or replaced) must not be called into any more: wait for the
    // calls in progress (a savepoint fails once its attempt stopped).
    cv_.wait(lock, [&] { return calls_ == 0; });
    attached_ = static_cast<bool>(attempt.cancel);
    attempt_ = std::move(attempt);
    // A cancel that came between two attempts applies to the new one.
    if (attached_ && cancel_requested_) cancel_now = attempt_.cancel;
  }
  cv_.notify_all();
  if (cancel_now) cancel_now();
}

Result<std::string> JobControl::call(const std::function<Result<std::string>(const Attempt&)>& fn, bool wait) {
  Attempt attempt;
  {
    std::unique_lock<std::mutex> lock(mu_);
    if (wait) cv_.wait(lock, [&] { return attached_ || finished_; });
    if (!attached_) return Status::unavailable("the job is not running");
    attempt = attempt_;
    ++calls_;
  }
  Result<std::string> r = fn(attempt);
  {
    std::lock_guard<std::mutex> lock(mu_);
    --calls_;
  }
  cv_.notify_all();
  return r;
}

void JobControl::finished() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    finished_ = true;
    attached_ = false;
    attempt_ = Attempt{};
  }
  cv_.notify_all();
}

Result<std::string> JobControl::triggerSavepoint(const std::string& dir) {
  return call([&](const Attempt& a) { return a.savepoint(dir, /*stop=*/false); }, /*wait=*/true);
}

Result<std::string> JobControl::stopWithSavepoint(const std::string& dir) {
  return call([&](const Attempt& a) -> Result<std::string> {
    Result<std::string> path = a.savepoint(dir, /*stop=*/true);
    if (!path.isOk()) return path;
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopped_ = true;
      cancel_requested_ = true;
    }
    a.cancel();
    return path;
  }, /*wait=*/true);
}

void JobControl::cancel() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    cancel_requested_ = true;  // Also for an attempt still to come.
  }
  (void)call([](const Attempt& a) -> Result<std::string> {
    a.cancel();
    return std::string();
  }, /*wait=*/false);
}

bool JobControl::cancelRequested() const {
  std::lock_guard<std::mutex> lock(mu_);
  return cancel_requested_;
}

bool JobControl::stopped() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stopped_;
}

bool JobControl::isFinished() const {
  std::lock_guard<std::mutex> lock(mu_);
  return finished_;
}

}  // namespace eddy::runtime
