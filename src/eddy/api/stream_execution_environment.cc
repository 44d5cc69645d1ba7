#include "eddy/api/stream_execution_environment.h"

#include <chrono>
#include <optional>
#include <thread>

#include "eddy/runtime/checkpoint_storage.h"
#include "eddy/runtime/job_graph.h"
#include "eddy/runtime/local_executor.h"

namespace eddy::api {

runtime::JobExecutionResult StreamExecutionEnvironment::run(const std::string& job_name, runtime::JobControl* control) {
  g_->resolveDefaultPartitioning();
  if (g_->graph.nodes.empty()) {
    runtime::JobExecutionResult r;
    r.job_name = job_name;
    r.status = Status::invalidArgument("No operators defined in streaming topology. Cannot execute.");
    return r;
  }
  runtime::StreamGraph& graph = g_->graph;
  if (graph.checkpointing.interval_ms > 0) {
    std::string uri = checkpoint_config_.getCheckpointStorage();
    if (uri.empty()) {
      runtime::JobExecutionResult r;
      r.job_name = job_name;
      r.status = Status::invalidArgument("checkpointing is enabled but no checkpoint storage is set "
                                         "(getCheckpointConfig().setCheckpointStorage(\"file:///dir\"))");
      return r;
    }
    if (checkpoint_config_.getCheckpointStorageObject()) {
      graph.checkpointing.storage = checkpoint_config_.getCheckpointStorageObject();
    } else {
      auto storage = runtime::FileCheckpointStorage::open(uri, /*create=*/true);
      if (!storage.isOk()) {
        runtime::JobExecutionResult r;
        r.job_name = job_name;
        r.status = storage.status();
        return r;
      }
      graph.checkpointing.storage = std::move(storage).value();
    }
    if (graph.checkpointing.job_fingerprint.empty()) graph.checkpointing.job_fingerprint = job_name;
  }
  // A resumed job continues from the newest readable checkpoint of the same job.
  std::optional<runtime::CompletedCheckpoint> resume;
  if (graph.checkpointing.storage && checkpoint_config_.isResumeFromLatestCheckpoint()) {
    auto latest = runtime::latestCheckpoint(*graph.checkpointing.storage, nullptr);
    if (latest.isOk()) {
      if (latest->job_fingerprint != graph.checkpointing.job_fingerprint) {
        runtime::JobExecutionResult r;
        r.job_name = job_name;
        r.status = Status::invalidArgument(
            "checkpoint " + std::to_string(latest->id) + " in " + checkpoint_config_.getCheckpointStorage() +
            " belongs to another job (\"" + latest->job_fingerprint + "\", this one is \"" +
            graph.checkpointing.job_fingerprint + "\"); refusing to use it");
        return r;
      }
      resume = std::move(*latest);
    } else if (latest.status().code() != StatusCode::kNotFound) {
      runtime::JobExecutionResult r;
      r.job_name = job_name;
      r.status = latest.status();
      return r;
    }
  }
  if (!resume && !savepoint_.path.empty()) {
    auto from = runtime::readCheckpointAt(savepoint_.path);
    if (!from.isOk()) {
      runtime::JobExecutionResult r;
      r.job_name = job_name;
      r.status = Status(from.status().code(), "cannot start from " + savepoint_.path + ": " + from.status().message());
      return r;
    }
    resume = std::move(*from);
  }
  // Run, and on failure restart from the latest completed checkpoint (from the start
  // when there is none) while the restart strategy allows: only the failed region when
  // the job has several (inside the executor), else all tasks (here).
  RestartBackoff backoff(restart_);
  auto restart_region = [&](Timestamp region_started, Timestamp failed) { return backoff.onFailure(region_started, failed); };
  Timestamp started = graph.clock->currentTimeMillis();
  runtime::JobExecutionResult result =
      runtime::LocalExecutor::execute(graph, job_name, resume ? &*resume : nullptr, control, restart_region);
  int64_t restarts = result.number_of_restarts;
  int64_t completed = result.number_of_completed_checkpoints;
  int64_t failed = result.number_of_failed_checkpoints;
  int64_t in_flight_restored = result.in_flight_records_restored;
  std::vector<std::string> warnings = result.warnings;
  while (!result.isOk()) {
    if (control != nullptr && control->cancelRequested()) break;  // Cancelled: no restart.
    std::optional<Duration> delay = backoff.onFailure(started, graph.clock->currentTimeMillis());
    if (!delay) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(delay->count()));
    started = graph.clock->currentTimeMillis();
    std::optional<runtime::CompletedCheckpoint> latest;
    if (graph.checkpointing.storage) {
      auto found = runtime::latestCheckpoint(*graph.checkpointing.storage, nullptr);
      if (found.isOk()) latest = std::move(*found);
    }
    // None completed yet: from where the job started (a savepoint, or the beginning).
    const runtime::CompletedCheckpoint* from = latest ? &*latest : (resume ? &*resume : nullptr);
    runtime::JobExecutionResult next = runtime::LocalExecutor::execute(graph, job_name, from, control, restart_region);
    restarts += 1 + next.number_of_restarts;
    completed += next.number_of_completed_checkpoints;
    in_flight_restored += next.in_flight_records_restored;
    failed += next.number_of_failed_checkpoints;
    warnings.insert(warnings.end(), next.warnings.begin(), next.warnings.end());
    if (next.last_checkpoint_size < 0) {  // None in this attempt: keep the earlier figures.
      next.last_checkpoint_size = result.last_checkpoint_size;
      next.last_checkpoint_full_size = result.last_checkpoint_full_size;
      next.last_checkpoint_duration_ms = result.last_checkpoint_duration_ms;
    }
    result = std::move(next);
  }
  result.number_of_restarts = restarts;
  if (control != nullptr && control->stopped()) {
    result.status = Status::ok();  // Stopped with a savepoint: the job finished.
  } else if (control != nullptr && control->cancelRequested() && graph.checkpointing.storage &&
             graph.checkpointing.externalized_cleanup != runtime::ExternalizedCheckpointCleanup::kRetainOnCancellation) {
    // Cancelled: its checkpoints go unless they are to be retained.
    if (auto ids = graph.checkpointing.storage->completedIds(); ids.isOk()) {
      for (int64_t id : *ids) (void)graph.checkpointing.storage->remove(id);
    }
  }
  result.warnings = std::move(warnings);
  result.number_of_completed_checkpoints = completed;
  result.number_of_failed_checkpoints = failed;
  result.in_flight_records_restored = in_flight_restored;
  return result;
}

std::string StreamExecutionEnvironment::getExecutionPlan() {
  g_->resolveDefaultPartitioning();
  Result<runtime::JobGraph> jg = runtime::JobGraph::build(g_->graph);
  if (!jg.isOk()) return jg.status().toString();
  return jg->describe(g_->graph);
}

}  // namespace eddy::api
