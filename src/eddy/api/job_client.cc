#include "eddy/api/job_client.h"

#include "eddy/core/random_id.h"

namespace eddy::api {

JobClient::JobClient(Run run) : job_id_(randomHexId(4)) {
  thread_ = std::thread([this, run = std::move(run)] {
    result_ = run(&control_);
    control_.finished();
  });
}

JobClient::~JobClient() {
  if (thread_.joinable()) {
    control_.cancel();
    thread_.join();
  }
}

const runtime::JobExecutionResult& JobClient::getJobExecutionResult() {
  if (thread_.joinable()) thread_.join();
  return result_;
}

std::string JobClient::getJobStatus() const {
  if (!control_.isFinished()) return "RUNNING";
  // finished() happens after result_ is set, under the control's lock, which
  // isFinished() took: result_ is safe to read now.
  if (result_.status.isOk()) return "FINISHED";
  if (result_.status.code() == StatusCode::kCancelled) return "CANCELED";
  return "FAILED";
}

}  // namespace eddy::api
