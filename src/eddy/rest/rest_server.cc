#include "eddy/rest/rest_server.h"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <type_traits>
#include <vector>

#include "eddy/api/job_client.h"
#include "eddy/core/random_id.h"

namespace eddy::rest {

namespace {

using json = nlohmann::json;

void reply(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

void error(httplib::Response& res, int status, const std::string& message) {
  reply(res, status, json{{"errors", json::array({message})}});
}

}  // namespace

struct RestServer::Impl {
  struct Job {
    std::string name;
    api::JobClient* client = nullptr;
  };
  /// A savepoint or stop-with-savepoint in progress or done.
  struct Operation {
    std::string job_id;
    bool done = false;
    bool fetched = false;  // A client read the outcome.
    Result<std::string> outcome = Status::internal("in progress");
  };

  httplib::Server server;
  std::thread listener;
  std::atomic<bool> listener_done{false};
  std::mutex mu;
  std::map<std::string, Job> jobs;              // Guarded by mu.
  std::map<std::string, Operation> operations;  // Guarded by mu. By trigger id.
  std::vector<std::thread> workers;             // Guarded by mu.
  std::condition_variable delivered;            // An outcome was fetched.

  /// Whether every finished operation's outcome was fetched. Under mu.
  bool allDelivered() const {
    for (const auto& [trigger, o] : operations) {
      if (!o.done || !o.fetched) return false;
    }
    return true;
  }

  /// The job named in the path, or a 404 already written.
  api::JobClient* jobOf(const std::string& id, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mu);
    auto it = jobs.find(id);
    if (it != jobs.end()) return it->second.client;
    error(res, 404, "Job " + id + " not found");
    return nullptr;
  }

  /// Runs `op` (a savepoint call) on a thread of its own; answers with its trigger id.
  void startOperation(const std::string& job_id, std::function<Result<std::string>()> op, httplib::Response& res) {
    const std::string trigger = randomHexId(4);
    std::lock_guard<std::mutex> lock(mu);
    operations[trigger].job_id = job_id;
    workers.emplace_back([this, trigger, op = std::move(op)] {
      Result<std::string> outcome = op();
      std::lock_guard<std::mutex> lock(mu);
      Operation& o = operations[trigger];
      o.outcome = std::move(outcome);
      o.done = true;
    });
    reply(res, 202, json{{"request-id", trigger}});
  }

  /// Field `name` of a request body: `def` when absent, nullopt (a 400 written) when it
  /// has another type than `def`.
  template <typename T>
  static std::optional<T> field(const json& b, const char* name, T def, httplib::Response& res) {
    if (!b.contains(name)) return def;
    const json& v = b[name];
    if constexpr (std::is_same_v<T, bool>) {
      if (v.is_boolean()) return v.get<bool>();
      error(res, 400, std::string("\"") + name + "\" must be true or false, not " + v.dump());
    } else {
      if (v.is_string()) return v.get<std::string>();
      error(res, 400, std::string("\"") + name + "\" must be a string, not " + v.dump());
    }
    return std::nullopt;
  }

  /// The request's JSON body, or a 400 already written.
  static std::optional<json> body(const httplib::Request& req, httplib::Response& res) {
    json b = json::parse(req.body.empty() ? std::string("{}") : req.body, nullptr, /*allow_exceptions=*/false);
    if (b.is_discarded() || !b.is_object()) {
      error(res, 400, "Request body is not a JSON object: " + req.body);
      return std::nullopt;
    }
    return b;
  }

  void routes() {
    server.Get("/jobs", [this](const httplib::Request&, httplib::Response& res) {
      json list = json::array();
      std::lock_guard<std::mutex> lock(mu);
      for (const auto& [id, job] : jobs) list.push_back(json{{"id", id}, {"status", job.client->getJobStatus()}});
      reply(res, 200, json{{"jobs", list}});
    });
    server.Get(R"(/jobs/([0-9a-zA-Z]+))", [this](const httplib::Request& req, httplib::Response& res) {
      const std::string id = req.matches[1];
      std::lock_guard<std::mutex> lock(mu);
      auto it = jobs.find(id);
      if (it == jobs.end()) return error(res, 404, "Job " + id + " not found");
      reply(res, 200, json{{"jid", id}, {"name", it->second.name}, {"state", it->second.client->getJobStatus()}});
    });
    server.Post(R"(/jobs/([0-9a-zA-Z]+)/savepoints)", [this](const httplib::Request& req, httplib::Response& res) {
      const std::string id = req.matches[1];
      api::JobClient* client = jobOf(id, res);
      if (client == nullptr) return;
      auto b = body(req, res);
      if (!b) return;
      const std::optional<std::string> dir = field<std::string>(*b, "target-directory", "", res);
      const std::optional<bool> cancel_job = field<bool>(*b, "cancel-job", false, res);
      if (!dir || !cancel_job) return;
      if (dir->empty()) return error(res, 400, "No savepoint directory: give \"target-directory\".");
      if (client->getJobStatus() != "RUNNING") return error(res, 409, "Job " + id + " is not running.");
      const bool cancel = *cancel_job;
      startOperation(id, [client, dir = *dir, cancel]() -> Result<std::string> {
        Result<std::string> path = client->triggerSavepoint(dir);
        if (path.isOk() && cancel) client->cancel();
        return path;
      }, res);
    });
    server.Post(R"(/jobs/([0-9a-zA-Z]+)/stop)", [this](const httplib::Request& req, httplib::Response& res) {
      const std::string id = req.matches[1];
      api::JobClient* client = jobOf(id, res);
      if (client == nullptr) return;
      auto b = body(req, res);
      if (!b) return;
      const std::optional<std::string> dir = field<std::string>(*b, "targetDirectory", "", res);
      const std::optional<bool> drain = field<bool>(*b, "drain", false, res);
      if (!dir || !drain) return;
      if (dir->empty()) return error(res, 400, "No savepoint directory: give \"targetDirectory\".");
      if (*drain) {
        return error(res, 400, "stop with drain (advancing to the end of event time) is not supported yet");
      }
      if (client->getJobStatus() != "RUNNING") return error(res, 409, "Job " + id + " is not running.");
      startOperation(id, [client, dir = *dir] { return client->stopWithSavepoint(dir); }, res);
    });
    server.Get(R"(/jobs/([0-9a-zA-Z]+)/savepoints/([0-9a-zA-Z]+))",
               [this](const httplib::Request& req, httplib::Response& res) {
                 const std::string id = req.matches[1];
                 const std::string trigger = req.matches[2];
                 std::lock_guard<std::mutex> lock(mu);
                 auto it = operations.find(trigger);
                 if (it == operations.end() || it->second.job_id != id) {
                   return error(res, 404, "No savepoint " + trigger + " for job " + id);
                 }
                 Operation& o = it->second;
                 if (!o.done) return reply(res, 200, json{{"status", {{"id", "IN_PROGRESS"}}}});
                 o.fetched = true;
                 delivered.notify_all();
                 json operation;
                 if (o.outcome.isOk()) {
                   operation = json{{"location", o.outcome.value()}};
                 } else {
                   operation = json{{"failure-cause",
                                     {{"class", "eddy.SavepointException"}, {"stack-trace", o.outcome.status().toString()}}}};
                 }
                 reply(res, 200, json{{"status", {{"id", "COMPLETED"}}}, {"operation", operation}});
               });
    server.Patch(R"(/jobs/([0-9a-zA-Z]+))", [this](const httplib::Request& req, httplib::Response& res) {
      const std::string id = req.matches[1];
      api::JobClient* client = jobOf(id, res);
      if (client == nullptr) return;
      const std::string mode = req.has_param("mode") ? req.get_param_value("mode") : "cancel";
      if (mode != "cancel") return error(res, 400, "Unknown mode '" + mode + "': only cancel is supported.");
      client->cancel();
      reply(res, 202, json::object());
    });
  }
};

RestServer::RestServer() : impl_(std::make_unique<Impl>()) { impl_->routes(); }

RestServer::~RestServer() { stop(); }

Result<int> RestServer::start(const std::string& host, int port) {
  int bound = port == 0 ? impl_->server.bind_to_any_port(host) : (impl_->server.bind_to_port(host, port) ? port : -1);
  if (bound <= 0) {
    return Status::unavailable("REST server: cannot listen on " + host + ":" + std::to_string(port) +
                               " (in use, or not a local address)");
  }
  impl_->listener_done = false;
  impl_->listener = std::thread([this] {
    impl_->server.listen_after_bind();
    impl_->listener_done = true;
  });
  // Until the listener runs, stop() would miss it (and then wait for it forever).
  while (!impl_->server.is_running() && !impl_->listener_done) std::this_thread::yield();
  if (!impl_->server.is_running()) {
    impl_->listener.join();
    return Status::unavailable("REST server: listening on " + host + ":" + std::to_string(bound) + " failed");
  }
  return bound;
}

void RestServer::stop(Duration grace) {
  if (impl_->listener.joinable()) {
    // A stop-with-savepoint ends the job, and with it the process that serves it: the
    // client that asked is given the time to read where the savepoint went.
    std::unique_lock<std::mutex> lock(impl_->mu);
    impl_->delivered.wait_for(lock, std::chrono::milliseconds(grace.count()), [&] { return impl_->allDelivered(); });
  }
  if (impl_->listener.joinable()) {
    impl_->server.stop();
    impl_->listener.join();
  }
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    workers.swap(impl_->workers);
  }
  for (std::thread& t : workers) t.join();
}

void RestServer::addJob(const std::string& name, api::JobClient* client) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->jobs[client->getJobID()] = Impl::Job{name, client};
}

}  // namespace eddy::rest
