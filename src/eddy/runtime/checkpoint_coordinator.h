#pragma once

// Internal to the local executor: the checkpoint coordinator of one run of a job.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "eddy/runtime/checkpoint_storage.h"
#include "eddy/runtime/deployment.h"
#include "eddy/runtime/task.h"

namespace eddy::runtime {

/// Flink's CheckpointCoordinator, for one run of a job in this process: every interval
/// it triggers a checkpoint at the sources (a mail to each source task), collects every
/// task's acknowledgement with its snapshots, writes the completed checkpoint to the
/// storage (metadata last) on its own thread while the tasks go on, keeps the newest
/// `retained`, and then tells every task the checkpoint is complete. Up to
/// `max_concurrent` checkpoints run at once, at least `min_pause_ms` after the last one
/// ended; one not complete after `timeout_ms` expires. A failed checkpoint (expired, or
/// its write failed) is told to the tasks as aborted; more than `tolerable_failures` in
/// a row fail the job. A task whose input ended hands over its end state, which
/// acknowledges every checkpoint from then on in its name (Flink's checkpoints after
/// tasks finish); once every task ended, one last checkpoint of all end states ends
/// the job.
/// Thread: its own thread triggers, expires and writes; acknowledgements arrive on task
/// threads.
class Coordinator {
 public:
  using FailJob = std::function<void(const Status&)>;

  Coordinator(const StreamGraph& graph, Deployment& d, int64_t first_id, FailJob fail_job)
      : graph_(graph), settings_(graph.checkpointing), d_(d), next_id_(first_id), fail_job_(std::move(fail_job)) {
    for (const JobVertex& v : d.jg.vertices) {
      first_task_.push_back(total_tasks_);
      total_tasks_ += v.parallelism;
    }
  }

  Task::CheckpointHooks hooksFor(int vertex, int subtask) {
    Task::CheckpointHooks hooks;
    hooks.mode = settings_.mode;
    const TaskRef ref{vertex, subtask, first_task_[static_cast<size_t>(vertex)] + subtask};
    hooks.ack = [this, ref](int64_t id, Task::TaskSnapshot snapshot) {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = pending_.find(id);
      if (it != pending_.end()) addAck(it, ref, std::move(snapshot));  // Else expired, subsumed or abandoned.
    };
    hooks.end_checkpoint_id = [this, ref] { return endCheckpointId(ref); };
    hooks.ended = [this, ref](int64_t id, Task::TaskSnapshot snapshot) { ended(ref, id, std::move(snapshot)); };
    hooks.unaligned = settings_.unaligned && settings_.mode == CheckpointingMode::kExactlyOnce;
    hooks.aligned_timeout_ns = hooks.unaligned ? settings_.aligned_checkpoint_timeout_ms * 1'000'000 : 0;
    return hooks;
  }

  void start() {
    thread_ = std::thread([this] { loop(); });
  }
  void stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
    // Savepoints still waiting will not complete now.
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [id, p] : pending_) {
      if (p.savepoint) p.savepoint->set(Status::unavailable("the job ended before savepoint " + std::to_string(id) + " completed"));
    }
    for (Ready& r : ready_) {
      if (r.savepoint) r.savepoint->set(Status::unavailable("the job ended before savepoint " + std::to_string(r.checkpoint.id) + " was written"));
    }
  }

  /// Takes a savepoint into `dir` (Flink's triggerSavepoint): a checkpoint triggered now,
  /// whatever the interval and the concurrency limit, written to its own storage at
  /// `dir` (self-contained: an incremental backend's files are copied there too) and
  /// never subsumed. With `stop`, sources emit nothing after it (stop-with-savepoint).
  /// Blocks until it is written or failed; returns its path.
  Result<std::string> savepoint(const std::string& dir, bool stop) {
    auto storage = FileCheckpointStorage::open(dir, /*create=*/true);
    if (!storage.isOk()) return Status(storage.status().code(), "savepoint: " + storage.status().message());
    auto waiter = std::make_shared<SavepointWaiter>();
    waiter->storage = std::move(storage).value();
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stop_ || final_id_ >= 0) return Status::unavailable("the job is finishing; no savepoint can start");
      if (paused_) return Status::unavailable("a failover region is restarting; no savepoint can start now");
      trigger(Steady::now(), waiter, stop);
    }
    return waiter->wait();
  }
  /// Region failover: under the coordinator's lock, so no trigger or notification
  /// reaches a task being replaced, aborts every checkpoint in flight (it can no longer
  /// complete), waits until those every task acknowledged are written, forgets the end
  /// states of `tasks` (they run again) and calls `replace`, which swaps those tasks for
  /// new ones restored from the newest checkpoint in storage: no checkpoint completes
  /// after it. Checkpoints wait until resume().
  void restartTasks(const std::vector<std::pair<int, int>>& tasks, const std::function<void()>& replace) {
    std::unique_lock<std::mutex> lock(mu_);
    paused_ = true;
    for (auto it = pending_.begin(); it != pending_.end();) {
      const int64_t id = it->first;
      Status cause = Status::unavailable("Checkpoint " + std::to_string(id) + " was aborted: a failover region restarts");
      if (it->second.savepoint) it->second.savepoint->set(cause);
      it = pending_.erase(it);
      // Flink does not count a failover's aborted checkpoints toward the tolerable
      // failures: the failure that caused it is handled by the restart.
      failed_.fetch_add(1);
      postToTasks([id, cause](Task* task) { task->notifyCheckpointAborted(id, cause, /*job_end=*/false); });
    }
    cv_.wait(lock, [&] { return stop_ || (ready_.empty() && !writing_); });
    for (const auto& [vertex, subtask] : tasks) ended_.erase(first_task_[static_cast<size_t>(vertex)] + subtask);
    final_id_ = -1;
    replace();
  }
  /// After restartTasks: the new tasks run; checkpoints go on.
  void resume() {
    std::lock_guard<std::mutex> lock(mu_);
    paused_ = false;
  }

  int64_t completed() const { return completed_.load(); }
  int64_t failed() const { return failed_.load(); }
  int64_t lastDurationMs() const { return last_duration_ms_.load(); }
  int64_t lastSize() const { return last_size_.load(); }
  int64_t lastFullSize() const { return last_full_size_.load(); }
  int64_t inProgress() {
    std::lock_guard<std::mutex> lock(mu_);
    return static_cast<int64_t>(pending_.size());
  }
  std::vector<std::string> warnings() {
    std::lock_guard<std::mutex> lock(mu_);
    return warnings_;
  }

 private:
  using Steady = std::chrono::steady_clock;

  /// A savepoint's storage and the client waiting for its outcome.
  struct SavepointWaiter {
    std::unique_ptr<FileCheckpointStorage> storage;
    std::mutex mu;
    std::condition_variable cv;
    std::optional<Result<std::string>> outcome;
    void set(Result<std::string> r) {
      {
        std::lock_guard<std::mutex> lock(mu);
        if (outcome) return;
        outcome = std::move(r);
      }
      cv.notify_all();
    }
    Result<std::string> wait() {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return outcome.has_value(); });
      return *outcome;
    }
  };

  struct Pending {
    Timestamp triggered_ms = 0;
    Steady::time_point deadline;
    std::shared_ptr<SavepointWaiter> savepoint;  // Set for savepoints.
    int acks = 0;
    std::vector<bool> acked;  // By task index.
    std::map<std::string, std::vector<OperatorSnapshot>> collected;
  };
  /// One subtask: its vertex, its index there, and its index among all tasks.
  struct TaskRef {
    int vertex = 0;
    int subtask = 0;
    int index = 0;
  };
  struct EndState {
    TaskRef task;
    Task::TaskSnapshot snapshot;
  };
  struct Ready {
    CompletedCheckpoint checkpoint;
    Timestamp triggered_ms = 0;
    std::shared_ptr<SavepointWaiter> savepoint;
  };

  void loop() {
    std::unique_lock<std::mutex> lock(mu_);
    const auto interval = std::chrono::milliseconds(settings_.interval_ms);
    Steady::time_point next_trigger = Steady::now() + interval;
    while (true) {
      Steady::time_point wake = next_trigger;
      for (const auto& [id, p] : pending_) {
        if (id != final_id_) wake = std::min(wake, p.deadline);
      }
      cv_.wait_until(lock, wake, [&] { return stop_ || !ready_.empty(); });
      while (!ready_.empty()) {
        Ready r = std::move(ready_.front());
        ready_.pop_front();
        writing_ = true;
        lock.unlock();
        complete(r);
        lock.lock();
        writing_ = false;
        cv_.notify_all();
      }
      if (stop_) break;
      Steady::time_point now = Steady::now();
      expire(now);
      if (now < next_trigger) continue;
      if (final_id_ >= 0) {
        // Every task ended: no more checkpoints; wake only to write the last one (or to
        // stop). A far deadline rather than time_point::max(), which some waits mishandle.
        next_trigger = now + std::chrono::hours(24);
        continue;
      }
      if (paused_ || static_cast<int>(pending_.size()) >= settings_.max_concurrent) {
        next_trigger = now + interval;  // Flink skips this trigger.
        continue;
      }
      auto earliest = last_end_ + std::chrono::milliseconds(settings_.min_pause_ms);
      if (now < earliest) {
        next_trigger = earliest;
        continue;
      }
      next_trigger = now + interval;
      trigger(now);
    }
  }

  /// Under mu_. `savepoint`: a savepoint's waiter; `stop`: sources stop after it.
  void trigger(Steady::time_point now, std::shared_ptr<SavepointWaiter> savepoint = nullptr, bool stop = false) {
    int64_t id = next_id_++;
    auto it = pending_.emplace(id, Pending{}).first;
    Pending& p = it->second;
    p.triggered_ms = graph_.clock->currentTimeMillis();
    p.deadline = now + std::chrono::milliseconds(settings_.timeout_ms);
    p.acked.assign(static_cast<size_t>(total_tasks_), false);
    p.savepoint = std::move(savepoint);
    // Sources start a checkpoint; every other task joins when barriers reach it.
    for (size_t v = 0; v < d_.tasks.size(); ++v) {
      if (!graph_.nodes[static_cast<size_t>(d_.jg.vertices[v].chain.front())].isSource()) continue;
      for (auto& t : d_.tasks[v]) {
        Task* task = t.get();
        int64_t trigger_ns = graph_.clock->nanoTime();
        task->gate().post([task, id, trigger_ns, stop] { task->triggerCheckpoint(id, trigger_ns, stop); });
      }
    }
    // Ended tasks are in it with their end state (the last may complete it at once).
    for (const auto& [index, end] : ended_) {
      if (!addAck(it, end.task, end.snapshot)) break;
    }
  }

  /// Under mu_: regular checkpoints past their deadline fail.
  void expire(Steady::time_point now) {
    for (auto it = pending_.begin(); it != pending_.end();) {
      if (it->first == final_id_ || it->second.deadline > now) {
        ++it;
        continue;
      }
      int64_t id = it->first;
      Status cause = Status::timeout("Checkpoint " + std::to_string(id) + " expired before completing.");
      if (it->second.savepoint) it->second.savepoint->set(cause);
      it = pending_.erase(it);
      failure(id, cause);
    }
  }

  /// Under mu_: a failed checkpoint; too many in a row fail the job.
  void failure(int64_t id, const Status& cause) {
    failed_.fetch_add(1);
    const bool job_end = id == final_id_;
    postToTasks([id, cause, job_end](Task* task) { task->notifyCheckpointAborted(id, cause, job_end); });
    if (++consecutive_failures_ > settings_.tolerable_failures && id != final_id_) {
      fail_job_(Status(cause.code(), "Exceeded checkpoint tolerable failure threshold. The latest failure: " +
                                         cause.message()));
    }
  }

  template <typename Fn>
  void postToTasks(Fn fn) {
    for (auto& subtasks : d_.tasks) {
      for (auto& t : subtasks) {
        Task* task = t.get();
        task->gate().post([task, fn] { fn(task); });
      }
    }
  }

  /// A savepoint copies every file into its own storage. A file whose local copy is
  /// gone (an ended task's, released after the checkpoint that first wrote it) is taken
  /// from the job's checkpoint storage, which has it.
  void takeMissingFilesFromCheckpoints(CompletedCheckpoint& cp) const {
    auto* files = dynamic_cast<FileCheckpointStorage*>(settings_.storage.get());
    if (files == nullptr) return;
    std::error_code ec;
    for (auto& [key, subtasks] : cp.operators) {
      for (OperatorSnapshot& s : subtasks) {
        for (state::StateFile& f : s.files) {
          if (!std::filesystem::exists(f.path, ec)) f.path = files->directory() + "/shared/" + f.name;
        }
      }
    }
  }

  /// The local copies of a written checkpoint's files (hard links a RocksDB backend
  /// made for it) are no longer needed: the storage has the files.
  static void releaseLocalFiles(const CompletedCheckpoint& cp) {
    std::set<std::filesystem::path> dirs;
    for (const auto& [key, subtasks] : cp.operators) {
      for (const OperatorSnapshot& s : subtasks) {
        for (const state::StateFile& f : s.files) dirs.insert(std::filesystem::path(f.path).parent_path());
      }
    }
    std::error_code ec;
    for (const auto& d : dirs) std::filesystem::remove_all(d, ec);
  }

  /// Under mu_: task `t` acknowledged pending checkpoint `it`; the last acknowledgement
  /// hands it to the coordinator thread for writing. Returns false once it left pending_.
  bool addAck(std::map<int64_t, Pending>::iterator it, const TaskRef& t, Task::TaskSnapshot snapshot) {
    Pending& p = it->second;
    if (p.acked[static_cast<size_t>(t.index)]) return true;
    p.acked[static_cast<size_t>(t.index)] = true;
    for (auto& [key, snap] : snapshot) {
      std::vector<OperatorSnapshot>& subtasks = p.collected[key];
      size_t parallelism = static_cast<size_t>(d_.jg.vertices[static_cast<size_t>(t.vertex)].parallelism);
      if (subtasks.size() < parallelism) subtasks.resize(parallelism);
      subtasks[static_cast<size_t>(t.subtask)] = std::move(snap);
    }
    if (++p.acks < total_tasks_) return true;
    Ready r;
    r.checkpoint.id = it->first;
    r.checkpoint.job_fingerprint = settings_.job_fingerprint;
    r.checkpoint.timestamp_ms = graph_.clock->currentTimeMillis();
    r.checkpoint.operators = std::move(p.collected);
    r.triggered_ms = p.triggered_ms;
    r.savepoint = std::move(p.savepoint);
    pending_.erase(it);
    ready_.push_back(std::move(r));
    cv_.notify_all();
    return false;
  }

  /// The first checkpoint an ending task's end state belongs to: the oldest in flight
  /// it has not acknowledged, else the next one.
  int64_t endCheckpointId(const TaskRef& t) {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [id, p] : pending_) {
      if (!p.acked[static_cast<size_t>(t.index)]) return id;
    }
    return next_id_;
  }

  /// Task `t` ended with `snapshot`, taken for checkpoint `id`: it acknowledges the
  /// checkpoints in flight from `id` on now and every later one when triggered. When
  /// the last task ended, the checkpoint holding every end state is the job's last.
  void ended(const TaskRef& t, int64_t id, Task::TaskSnapshot snapshot) {
    std::lock_guard<std::mutex> lock(mu_);
    EndState& end = ended_[t.index];
    end.task = t;
    end.snapshot = std::move(snapshot);
    std::vector<int64_t> ids;
    for (const auto& [pid, p] : pending_) {
      if (pid >= id) ids.push_back(pid);
    }
    // The job's last checkpoint must go to the job's storage, not to a savepoint's.
    const bool last_is_savepoint = !ids.empty() && pending_.at(ids.back()).savepoint != nullptr;
    for (int64_t pid : ids) {
      auto it = pending_.find(pid);
      if (it != pending_.end()) addAck(it, t, end.snapshot);
    }
    if (static_cast<int>(ended_.size()) < total_tasks_) return;
    // Every task ended: the in-flight checkpoints just completed; one more is needed
    // when this task's end state is in none of them (or only in a savepoint).
    if (ids.empty() || last_is_savepoint) {
      final_id_ = next_id_;
      trigger(Steady::now());
    } else {
      final_id_ = ids.back();
    }
  }

  /// Writes a checkpoint every task acknowledged, then tells the tasks the outcome.
  void complete(Ready& r) {
    CompletedCheckpoint& cp = r.checkpoint;
    if (r.savepoint) takeMissingFilesFromCheckpoints(cp);
    CheckpointWriteStats stats;
    // A savepoint goes to its own storage and is never subsumed.
    CheckpointStorage& storage = r.savepoint ? *r.savepoint->storage : *settings_.storage;
    Status st = storage.write(cp, &stats);
    if (st.isOk()) {
      releaseLocalFiles(cp);
      if (!r.savepoint) st = removeSubsumed(storage, settings_.retained);
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (r.savepoint) {
      if (st.isOk()) {
        r.savepoint->set(r.savepoint->storage->directory() + "/chk-" + std::to_string(cp.id));
      } else {
        r.savepoint->set(Status(st.code(), "savepoint " + std::to_string(cp.id) + ": " + st.message()));
      }
    }
    if (!st.isOk()) {
      failure(cp.id, st);
      return;
    }
    completed_.fetch_add(1);
    consecutive_failures_ = 0;
    last_end_ = Steady::now();
    last_size_.store(stats.bytes_written);
    last_full_size_.store(stats.full_size);
    int64_t duration = graph_.clock->currentTimeMillis() - r.triggered_ms;
    last_duration_ms_.store(duration);
    if (cp.id != final_id_ && duration * 5 >= settings_.interval_ms * 4 && !warned_slow_) {
      // The seed article's death spiral: checkpoints back to back, each slowing the job.
      warned_slow_ = true;
      std::string w = "checkpoint " + std::to_string(cp.id) + " took " + std::to_string(duration) +
                      " ms, close to the checkpoint interval of " + std::to_string(settings_.interval_ms) +
                      " ms: checkpoints will run back to back; raise the interval or the minimum pause";
      warnings_.push_back(w);
      std::fprintf(stderr, "WARN %s\n", w.c_str());
    }
    // A completed checkpoint subsumes older ones still in flight.
    for (auto it = pending_.begin(); it != pending_.lower_bound(cp.id);) {
      if (it->second.savepoint) {
        it->second.savepoint->set(Status::unavailable("savepoint " + std::to_string(it->first) +
                                                      " was subsumed by checkpoint " + std::to_string(cp.id)));
      }
      it = pending_.erase(it);
    }
    int64_t id = cp.id;
    postToTasks([id](Task* task) { task->notifyCheckpointComplete(id); });
  }

  const StreamGraph& graph_;
  const CheckpointSettings& settings_;
  Deployment& d_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
  int64_t next_id_;
  FailJob fail_job_;
  int64_t final_id_ = -1;  // The checkpoint taken when every task ended.
  bool paused_ = false;    // A failover region restarts: no triggers.
  bool writing_ = false;   // The coordinator thread writes a checkpoint (mu_ not held).
  int total_tasks_ = 0;
  std::vector<int> first_task_;            // By vertex: the index of its first subtask.
  std::map<int, EndState> ended_;          // By task index: tasks whose input ended.
  std::map<int64_t, Pending> pending_;  // In flight, by id.
  std::deque<Ready> ready_;             // Acknowledged by all, not yet written.
  int consecutive_failures_ = 0;
  Steady::time_point last_end_{};
  bool warned_slow_ = false;
  std::vector<std::string> warnings_;
  std::atomic<int64_t> completed_{0};
  std::atomic<int64_t> failed_{0};
  std::atomic<int64_t> last_duration_ms_{-1};
  std::atomic<int64_t> last_size_{-1};
  std::atomic<int64_t> last_full_size_{-1};
};

}  // namespace eddy::runtime
