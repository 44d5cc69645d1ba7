#include "eddy/runtime/local_executor.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <typeinfo>

#include "eddy/core/random_id.h"
#include "eddy/runtime/channel_state.h"
#include "eddy/runtime/checkpoint_coordinator.h"
#include "eddy/runtime/deployment.h"
#include "eddy/runtime/failover_regions.h"
#include "eddy/runtime/job_graph.h"
#include "eddy/runtime/job_control.h"
#include "eddy/runtime/task.h"

namespace eddy::runtime {
namespace {

/// Merges a finished task's accumulators into the job's, by name (Flink fails the job
/// when one name has two types).
Status mergeAccumulators(const AccumulatorRegistry& task,
                         std::map<std::string, std::shared_ptr<const AccumulatorBase>>& into) {
  for (const auto& [name, acc] : task.entries()) {
    auto it = into.find(name);
    if (it == into.end()) {
      into.emplace(name, acc->clone());
      continue;
    }
    if (typeid(*it->second) != typeid(*acc)) {
      return Status::invalidArgument("The accumulator '" + name + "' was created with two different types: " +
                                     it->second->typeName() + " and " + acc->typeName());
    }
    auto copy = it->second->clone();
    copy->mergeFrom(*acc);
    it->second = std::move(copy);
  }
  return Status::ok();
}



/// Unaligned checkpoints need EXACTLY_ONCE (Flink ignores them otherwise, with a
/// warning), one checkpoint at a time, and a serializer for every record type that
/// crosses tasks (in-flight records are stored).
Status checkUnalignedSettings(const StreamGraph& graph, const JobGraph& jg, std::vector<std::string>& warnings) {
  const CheckpointSettings& s = graph.checkpointing;
  if (!s.unaligned || s.interval_ms <= 0) return Status::ok();
  if (s.mode != CheckpointingMode::kExactlyOnce) {
    std::string w = "unaligned checkpoints work only in EXACTLY_ONCE mode; this AT_LEAST_ONCE job takes them unblocked without alignment instead";
    std::fprintf(stderr, "WARN %s\n", w.c_str());
    warnings.push_back(std::move(w));
    return Status::ok();
  }
  if (s.max_concurrent > 1) {
    return Status::invalidArgument("unaligned checkpoints take one checkpoint at a time, but max concurrent checkpoints is " +
                                   std::to_string(s.max_concurrent));
  }
  for (size_t e = 0; e < graph.edges.size(); ++e) {
    const StreamEdge& edge = graph.edges[e];
    if (jg.edge_chained[e] || edge.type->serializable()) continue;
    return Status::invalidArgument("unaligned checkpoints store in-flight records, but the records from '" +
                                   graph.nodes[static_cast<size_t>(edge.source)].name + "' to '" +
                                   graph.nodes[static_cast<size_t>(edge.target)].name +
                                   "' have no serializer; give their type serialize/deserialize members");
  }
  return Status::ok();
}

/// 64 random bits in hex: this execution's attempt id.
std::string newAttemptId() { return randomHexId(2); }

}  // namespace

JobExecutionResult LocalExecutor::execute(const StreamGraph& graph, const std::string& job_name,
                                          const CompletedCheckpoint* restore, JobControl* control,
                                          const RegionRestartDecider& restart_region) {
  JobExecutionResult result;
  result.job_name = job_name;
  Result<JobGraph> jg = JobGraph::build(graph);
  if (!jg.isOk()) {
    result.status = jg.status();
    return result;
  }
  if (restore != nullptr && !graph.checkpointing.allow_non_restored_state) {
    // Flink refuses to drop state silently: every operator in the checkpoint must be
    // in the job (matched by uid, else by position).
    std::set<std::string> keys;
    for (const StreamNode& n : graph.nodes) {
      keys.insert(operatorKey(n));
      keys.insert(channelStateKey(operatorKey(n)));
    }
    for (const auto& [key, subtasks] : restore->operators) {
      if (keys.count(key) != 0) continue;
      bool has_state = false;  // Stateless operators leave empty snapshots: nothing lost.
      for (const OperatorSnapshot& s : subtasks) has_state |= !s.operator_state.empty() || s.hasKeyedState();
      if (!has_state) continue;
      result.status = Status::invalidArgument(
          "Failed to rollback to checkpoint " + std::to_string(restore->id) + ". Cannot map checkpoint state for operator " +
          key + " to the new program, because the operator is not available in the new program. To skip that state, "
          "allow non-restored state (SavepointRestoreSettings::forPath(path, true), --allow-non-restored-state).");
      return result;
    }
  }
  std::vector<std::string> warnings;
  if (Status st = checkUnalignedSettings(graph, *jg, warnings); !st.isOk()) {
    result.status = st;
    return result;
  }
  Deployment d(graph, std::move(jg).value());
  d.restore = restore;
  d.attempt_id = newAttemptId();
  std::mutex mu;
  Status first_error;
  std::string failed_operator;
  // Under mu (d.tasks changes under it when a region restarts).
  auto cancel_all = [&] {
    for (auto& subtasks : d.tasks) {
      for (auto& t : subtasks) t->gate().cancel();
    }
  };
  std::unique_ptr<Coordinator> coordinator;
  if (graph.checkpointing.interval_ms > 0 && graph.checkpointing.storage != nullptr) {
    int64_t first_id = 1;
    if (auto ids = graph.checkpointing.storage->completedIds(); ids.isOk() && !ids->empty()) first_id = ids->back() + 1;
    auto fail_job = [&](const Status& cause) {
      std::lock_guard<std::mutex> lock(mu);
      if (first_error.isOk()) {
        first_error = cause;
        failed_operator = "checkpoint coordinator";
      }
      cancel_all();
    };
    coordinator = std::make_unique<Coordinator>(graph, d, first_id, fail_job);
    d.make_hooks = [c = coordinator.get()](int vertex, int subtask) { return c->hooksFor(vertex, subtask); };
  }
  d.createTasks();
  for (const JobVertex& v : d.jg.vertices) {
    for (int i = 0; i < v.parallelism; ++i) d.wire(v, i);
  }
  if (!d.wiring_error.isOk()) {
    result.status = Status(d.wiring_error.code(), "cannot restore the checkpoint: " + d.wiring_error.message());
    return result;
  }
  if (restore != nullptr) {
    result.last_checkpoint_restore_timestamp = graph.clock->currentTimeMillis();
    result.restored_checkpoint_id = restore->id;
  }

  std::atomic<bool> cancelled_by_client{false};
  if (control != nullptr) {
    JobControl::Attempt attempt;
    attempt.savepoint = [&](const std::string& dir, bool stop) -> Result<std::string> {
      if (!coordinator) {
        return Status::invalidArgument("savepoints need checkpointing: enableCheckpointing(ms) and a checkpoint storage");
      }
      return coordinator->savepoint(dir, stop);
    };
    attempt.cancel = [&] {
      std::lock_guard<std::mutex> lock(mu);
      cancelled_by_client = true;
      cancel_all();
    };
    control->attach(std::move(attempt));
  }

  int64_t start = graph.clock->nanoTime();
  const FailoverRegions regions = FailoverRegions::compute(graph, d.jg);
  const bool by_region = graph.region_failover && regions.count > 1 && static_cast<bool>(restart_region);
  std::vector<Timestamp> region_started(static_cast<size_t>(regions.count), graph.clock->currentTimeMillis());
  std::optional<CompletedCheckpoint> region_restore;  // What restarted regions restore.

  // Every task thread reports its exit; this thread decides what follows.
  struct Exit {
    int vertex;
    int subtask;
    Status status;
    std::string failed_operator;
  };
  std::deque<Exit> exits;
  std::condition_variable exited;
  std::vector<std::vector<bool>> alive;
  for (const JobVertex& v : d.jg.vertices) alive.emplace_back(static_cast<size_t>(v.parallelism), false);
  std::vector<std::thread> threads;
  std::vector<std::unique_ptr<Task>> retired;  // Replaced by a region restart.
  int running = 0;
  auto launch = [&](int v, int i) {  // Under mu.
    Task* task = d.tasks[static_cast<size_t>(v)][static_cast<size_t>(i)].get();
    alive[static_cast<size_t>(v)][static_cast<size_t>(i)] = true;
    ++running;
    threads.emplace_back([&, task, v, i] {
      std::string failed;
      Status s = task->run(&failed);
      {
        std::lock_guard<std::mutex> lock(mu);
        exits.push_back(Exit{v, i, std::move(s), std::move(failed)});
      }
      exited.notify_all();
    });
  };
  // Region failover (Flink's RestartPipelinedRegionFailoverStrategy): the failed
  // region's tasks are replaced by new ones restored from the latest completed
  // checkpoint while the other regions keep running.
  auto restartRegion = [&](int region) {  // Not under mu.
    const std::vector<std::pair<int, int>> members = regions.members(region);
    // Runs once no checkpoint can complete any more (see Coordinator::restartTasks):
    // the newest in storage is then the last the region's old tasks took part in.
    auto replace = [&] {
      region_restore.reset();
      if (graph.checkpointing.storage) {
        auto found = latestCheckpoint(*graph.checkpointing.storage, nullptr);
        if (found.isOk()) region_restore = std::move(*found);
      }
      const CompletedCheckpoint* from = region_restore ? &*region_restore : restore;
      std::lock_guard<std::mutex> lock(mu);
      for (const auto& [v, i] : members) {
        auto& slot = d.tasks[static_cast<size_t>(v)][static_cast<size_t>(i)];
        retired.push_back(std::move(slot));
        slot = d.createTask(d.jg.vertices[static_cast<size_t>(v)], i);
      }
      d.restore = from;
      d.region_restart = true;
      d.attempt_id = newAttemptId();
      d.wiring_error = Status::ok();
      for (const auto& [v, i] : members) d.wire(d.jg.vertices[static_cast<size_t>(v)], i);
      if (!d.wiring_error.isOk()) {
        if (first_error.isOk()) {
          first_error = Status(d.wiring_error.code(), "cannot restore the checkpoint: " + d.wiring_error.message());
        }
        cancel_all();
      }
      if (first_error.isOk() && !cancelled_by_client) {
        if (from != nullptr) result.last_checkpoint_restore_timestamp = graph.clock->currentTimeMillis();
        region_started[static_cast<size_t>(region)] = graph.clock->currentTimeMillis();
        ++result.number_of_restarts;
      }
      // Launched even when the job is failing: cancelled gates end them at once.
      for (const auto& [v, i] : members) launch(v, i);
    };
    if (coordinator) {
      coordinator->restartTasks(members, replace);
      coordinator->resume();
    } else {
      replace();
    }
  };

  std::unique_lock<std::mutex> lock(mu);
  for (size_t v = 0; v < d.tasks.size(); ++v) {
    for (size_t i = 0; i < d.tasks[v].size(); ++i) launch(static_cast<int>(v), static_cast<int>(i));
  }
  if (coordinator) coordinator->start();
  std::map<int, int> restarting;               // Region -> its tasks still to exit.
  std::map<int, Duration> restart_delay;       // Region -> the delay before its restart.
  while (running > 0) {
    exited.wait(lock, [&] { return !exits.empty(); });
    Exit x = std::move(exits.front());
    exits.pop_front();
    --running;
    alive[static_cast<size_t>(x.vertex)][static_cast<size_t>(x.subtask)] = false;
    const int region = regions.region_of[static_cast<size_t>(x.vertex)][static_cast<size_t>(x.subtask)];
    if (auto r = restarting.find(region); r != restarting.end()) {
      --r->second;  // A task of a restarting region ended, however.
    } else if (!x.status.isOk() && x.status.code() != StatusCode::kCancelled && first_error.isOk() &&
               !cancelled_by_client) {
      std::optional<Duration> delay;
      if (by_region) {
        lock.unlock();
        delay = restart_region(region_started[static_cast<size_t>(region)], graph.clock->currentTimeMillis());
        lock.lock();
      }
      if (delay && first_error.isOk() && !cancelled_by_client) {
        int left = 0;
        for (const auto& [v, i] : regions.members(region)) {
          if (!alive[static_cast<size_t>(v)][static_cast<size_t>(i)]) continue;
          d.tasks[static_cast<size_t>(v)][static_cast<size_t>(i)]->gate().cancel();
          ++left;
        }
        restarting[region] = left;
        restart_delay[region] = *delay;
        std::fprintf(stderr, "INFO %s failed (%s); restarting its failover region (%zu tasks)\n",
                     x.failed_operator.c_str(), x.status.message().c_str(), regions.members(region).size());
      } else if (first_error.isOk()) {
        first_error = x.status;
        failed_operator = x.failed_operator;
        cancel_all();
      }
    }
    for (auto it = restarting.begin(); it != restarting.end();) {
      if (it->second > 0) {
        ++it;
        continue;
      }
      const int ready = it->first;
      const Duration delay = restart_delay[ready];
      it = restarting.erase(it);
      if (!first_error.isOk() || cancelled_by_client) continue;  // The job fails anyway.
      lock.unlock();
      std::this_thread::sleep_for(std::chrono::milliseconds(delay.count()));
      restartRegion(ready);
      lock.lock();
      it = restarting.begin();  // Changed while unlocked? Only here; start over.
    }
  }
  lock.unlock();
  for (auto& th : threads) th.join();
  if (coordinator) coordinator->stop();
  if (control != nullptr) control->attach({});  // Waits for calls into this attempt.
  if (first_error.isOk() && cancelled_by_client) first_error = Status::cancelled("the job was cancelled");
  if (coordinator) {
    result.number_of_completed_checkpoints = coordinator->completed();
    result.number_of_failed_checkpoints = coordinator->failed();
    result.last_checkpoint_duration_ms = coordinator->lastDurationMs();
    result.last_checkpoint_size = coordinator->lastSize();
    result.last_checkpoint_full_size = coordinator->lastFullSize();
    result.number_of_in_progress_checkpoints = coordinator->inProgress();
    std::vector<std::string> more = coordinator->warnings();
    warnings.insert(warnings.end(), more.begin(), more.end());
  }
  result.warnings = std::move(warnings);
  result.net_runtime_ms = (graph.clock->nanoTime() - start) / 1'000'000;
  result.status = first_error;
  result.failed_operator = failed_operator;

  for (auto& subtasks : d.tasks) {
    for (auto& t : subtasks) {
      for (const auto& m : t->operatorMetrics()) {
        OperatorMetricsSnapshot s;
        s.name = m->name;
        s.subtask_index = m->subtask_index;
        s.num_records_in = m->num_records_in.get();
        s.num_records_out = m->num_records_out.get();
        s.num_late_records_dropped = m->num_late_records_dropped.get();
        s.current_input_watermark = m->current_input_watermark.get();
        s.current_output_watermark = m->current_output_watermark.get();
        result.operators.push_back(std::move(s));
      }
      TaskMetricsSnapshot ts;
      ts.name = t->name();
      ts.subtask_index = t->subtaskIndex();
      ts.busy_ms = t->metrics().busy_ns.get() / 1'000'000;
      ts.idle_ms = t->metrics().idle_ns.get() / 1'000'000;
      ts.back_pressured_ms = t->metrics().back_pressured_ns.get() / 1'000'000;
      ts.wall_ms = t->metrics().wall_ns.get() / 1'000'000;
      ts.checkpoint_alignment_ns = t->metrics().checkpoint_alignment_ns.get();
      ts.checkpoint_start_delay_ns = t->metrics().checkpoint_start_delay_ns.get();
      ts.unaligned_checkpoints = t->metrics().unaligned_checkpoints.get();
      result.in_flight_records_restored += t->metrics().in_flight_records_restored.get();
      result.tasks.push_back(std::move(ts));
      Status merged = mergeAccumulators(t->accumulators(), result.accumulators);
      if (!merged.isOk() && result.status.isOk()) result.status = merged;
    }
  }
  return result;
}

}  // namespace eddy::runtime
