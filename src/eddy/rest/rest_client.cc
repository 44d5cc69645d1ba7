#include "eddy/rest/rest_client.h"

#include <httplib.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

namespace eddy::rest {

namespace {

using json = nlohmann::json;

}  // namespace

struct RestClient::Impl {
  std::string address;
  httplib::Client http;

  Impl(const std::string& host, int port) : address(host + ":" + std::to_string(port)), http(host, port) {
    http.set_connection_timeout(5, 0);
    http.set_read_timeout(60, 0);
  }

  /// The JSON answer of a request that must return `expected`; else the error names
  /// the address, the request and what the server said.
  Result<json> answer(const httplib::Result& r, const std::string& what, int expected) {
    if (!r) {
      const std::string why = r.error() == httplib::Error::Connection ? "connection refused or unreachable"
                                                                      : "request failed (" + httplib::to_string(r.error()) + ")";
      return Status::unavailable("cannot reach the REST API at " + address + " (" + what + "): " + why +
                                 "; is the job running with --rest-port?");
    }
    json body = json::parse(r->body.empty() ? std::string("{}") : r->body, nullptr, /*allow_exceptions=*/false);
    if (r->status != expected) {
      std::string message = "HTTP " + std::to_string(r->status);
      if (!body.is_discarded() && body.contains("errors") && body["errors"].is_array() && !body["errors"].empty()) {
        message = body["errors"][0].get<std::string>();
      }
      const StatusCode code = r->status == 404 ? StatusCode::kNotFound
                              : r->status == 409 ? StatusCode::kUnavailable
                                                 : StatusCode::kInvalidArgument;
      return Status(code, what + ": " + message);
    }
    if (body.is_discarded() || !body.is_object()) {
      return Status::internal(what + ": the REST API at " + address + " answered no JSON object: " + r->body);
    }
    return body;
  }

  Result<std::string> requestId(const httplib::Result& r, const std::string& what) {
    EDDY_ASSIGN_OR_RETURN(json body, answer(r, what, 202));
    if (!body.contains("request-id") || !body["request-id"].is_string()) {
      return Status::internal(what + ": the answer has no request-id: " + body.dump());
    }
    return body["request-id"].get<std::string>();
  }
};

RestClient::RestClient(std::string host, int port) : impl_(std::make_unique<Impl>(host, port)) {}
RestClient::~RestClient() = default;

Result<std::vector<RestClient::JobInfo>> RestClient::listJobs() {
  EDDY_ASSIGN_OR_RETURN(json body, impl_->answer(impl_->http.Get("/jobs"), "listing jobs", 200));
  std::vector<JobInfo> jobs;
  if (!body.contains("jobs") || !body["jobs"].is_array()) return jobs;
  for (const json& j : body["jobs"]) jobs.push_back(JobInfo{j.value("id", ""), j.value("status", "")});
  return jobs;
}

Result<std::string> RestClient::triggerSavepoint(const std::string& job_id, const std::string& directory, bool cancel_job) {
  json req{{"target-directory", directory}, {"cancel-job", cancel_job}};
  return impl_->requestId(impl_->http.Post("/jobs/" + job_id + "/savepoints", req.dump(), "application/json"),
                          "triggering a savepoint of job " + job_id);
}

Result<std::string> RestClient::stopWithSavepoint(const std::string& job_id, const std::string& directory) {
  json req{{"targetDirectory", directory}, {"drain", false}};
  return impl_->requestId(impl_->http.Post("/jobs/" + job_id + "/stop", req.dump(), "application/json"),
                          "stopping job " + job_id + " with a savepoint");
}

Result<std::string> RestClient::waitForSavepoint(const std::string& job_id, const std::string& trigger_id, Duration poll) {
  const std::string what = "savepoint " + trigger_id + " of job " + job_id;
  while (true) {
    EDDY_ASSIGN_OR_RETURN(json body,
                          impl_->answer(impl_->http.Get("/jobs/" + job_id + "/savepoints/" + trigger_id), what, 200));
    const std::string state = body.contains("status") ? body["status"].value("id", "") : "";
    if (state == "COMPLETED") {
      const json op = body.value("operation", json::object());
      if (op.contains("location") && op["location"].is_string()) return op["location"].get<std::string>();
      std::string cause = op.contains("failure-cause") ? op["failure-cause"].value("stack-trace", op.dump()) : op.dump();
      return Status::unavailable(what + " failed: " + cause);
    }
    if (state != "IN_PROGRESS") return Status::internal(what + ": unexpected answer " + body.dump());
    // The command line's own thread: nothing else waits on it.
    std::this_thread::sleep_for(std::chrono::milliseconds(poll.count()));
  }
}

Status RestClient::cancel(const std::string& job_id) {
  auto r = impl_->answer(impl_->http.Patch("/jobs/" + job_id + "?mode=cancel"), "cancelling job " + job_id, 202);
  return r.isOk() ? Status::ok() : r.status();
}

}  // namespace eddy::rest
