#include "eddy/api/job_client.h"

namespace eddy::api {

JobClient::JobClient(Run run) {
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

}  // namespace eddy::api
