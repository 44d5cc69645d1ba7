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
#include <random>
#include <set>
#include <thread>
#include <typeinfo>

#include "eddy/runtime/channel_state.h"
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

// Buffers a channel may hold before its producer blocks (16 x 32 KiB). Enough that two
// tasks sharing a core switch every ten thousand records or so rather than every few
// thousand: each switch evicts the other task's state from the core's caches.
constexpr int kBuffersPerChannel = 16;

struct Deployment {
  const StreamGraph& graph;
  JobGraph jg;
  std::vector<std::vector<std::unique_ptr<Task>>> tasks;  // [vertex][subtask]
  // channel_of[edge][(producer, consumer)] = channel index in the consumer's gate.
  std::vector<std::map<std::pair<int, int>, int>> channel_of;

  const CompletedCheckpoint* restore = nullptr;
  Status wiring_error;  // The first error of initializeState while wiring.
  // Set when checkpointing: the hooks of one subtask.
  std::function<Task::CheckpointHooks(int vertex, int subtask)> make_hooks;
  std::string attempt_id;
  bool region_restart = false;  // Wiring the tasks of one region while the others run.

  explicit Deployment(const StreamGraph& g, JobGraph j) : graph(g), jg(std::move(j)) {}

  /// The restored snapshots of `node`, one per earlier subtask (none for a fresh start).
  std::vector<OperatorSnapshot> restoredFor(const StreamNode& node) const {
    if (restore == nullptr) return {};
    auto it = restore->operators.find(operatorKey(node));
    return it == restore->operators.end() ? std::vector<OperatorSnapshot>{} : it->second;
  }
  void noteError(const Status& st, const StreamNode& node) {
    if (!st.isOk() && wiring_error.isOk()) wiring_error = Status(st.code(), node.name + ": " + st.message());
  }

  std::string taskName(const JobVertex& v, int i) const {
    return v.name + " (" + std::to_string(i + 1) + "/" + std::to_string(v.parallelism) + ")";
  }

  void createTasks() {
    channel_of.resize(graph.edges.size());
    tasks.resize(jg.vertices.size());
    for (const JobVertex& v : jg.vertices) {
      for (int i = 0; i < v.parallelism; ++i) tasks[v.id].push_back(createTask(v, i));
    }
  }

  /// Subtask `i` of `v` with its input gate, not wired yet (see wire()).
  std::unique_ptr<Task> createTask(const JobVertex& v, int i) {
    int channels = 0;
    std::vector<Task::InputChannel> infos;
    for (int e : v.in_edges) {
      const StreamEdge& edge = graph.edges[e];
      int up_p = jg.vertices[jg.vertex_of_node[edge.source]].parallelism;
      for (int j = 0; j < up_p; ++j) {
        if (!subtasksConnected(edge.kind, up_p, v.parallelism, j, i)) continue;
        channel_of[e][{j, i}] = channels++;
        infos.push_back(Task::InputChannel{edge.type.get(), edge.target_input, 0, e});
      }
    }
    auto gate = std::make_unique<InputGate>(channels, kBuffersPerChannel);
    auto task = std::make_unique<Task>(taskName(v, i), i, *graph.clock, std::move(gate));
    pending_inputs[task.get()] = std::move(infos);
    return task;
  }

  void wire(const JobVertex& v, int i) {
    Task& task = *tasks[v.id][i];
    std::map<int, StreamOperatorBase*> ops;
    std::map<int, OperatorMetrics*> metrics;
    std::map<std::pair<int, int>, OutputBase*> inputs;  // (node, input) -> chained input
    for (int id : v.chain) {
      const StreamNode& node = graph.nodes[id];
      metrics[id] = task.addOperatorMetrics(node.name);
      if (node.isSource()) continue;
      auto op = node.create_operator();
      ops[id] = op.get();
      for (int k = 0; k < node.num_inputs; ++k) {
        auto in = node.make_input(*op, k);
        inputs[{id, k}] = in.get();
        task.own(std::move(in));
      }
      task.addOperator(std::move(op));
    }
    // Outputs, from the tail, so every chained consumer exists before its producer.
    for (auto it = v.chain.rbegin(); it != v.chain.rend(); ++it) {
      int id = *it;
      const StreamNode& node = graph.nodes[id];
      std::map<std::string, std::vector<OutputBase*>> targets;
      std::map<std::string, const TypeOpsBase*> types;
      targets[""];
      types[""] = node.output_type.get();
      for (size_t e = 0; e < graph.edges.size(); ++e) {
        const StreamEdge& edge = graph.edges[e];
        if (edge.source != id) continue;
        types[edge.side_output_tag] = edge.type.get();
        if (jg.edge_chained[e]) {
          targets[edge.side_output_tag].push_back(inputs.at({edge.target, edge.target_input}));
          continue;
        }
        const JobVertex& down = jg.vertices[jg.vertex_of_node[edge.target]];
        std::vector<ChannelTarget> channel_targets;
        for (int c = 0; c < down.parallelism; ++c) {
          auto found = channel_of[e].find({i, c});
          if (found == channel_of[e].end()) continue;
          channel_targets.push_back(ChannelTarget{&tasks[down.id][c]->gate(), found->second});
        }
        OutputBase* as_output = nullptr;
        const StreamNode& target = graph.nodes[edge.target];
        int consumer_mp = target.max_parallelism > 0 ? target.max_parallelism : down.max_parallelism;
        task.addWriter(edge.make_writer(edge.kind, std::move(channel_targets), i, consumer_mp,
                                        &task.metrics(), &as_output));
        targets[edge.side_output_tag].push_back(as_output);
      }
      OutputBase* main_output = nullptr;
      std::unordered_map<std::string, OutputBase*> side_outputs;
      for (auto& [tag, outs] : targets) {
        Counter* records_out = tag.empty() ? &metrics[id]->num_records_out : nullptr;
        OutputBase* out = nullptr;
        if (outs.size() == 1 && outs[0]->countRecordsOutInto(records_out)) {
          out = outs[0];
        } else {
          auto fanout = types[tag]->makeFanout(outs, records_out);
          out = fanout.get();
          task.own(std::move(fanout));
        }
        (tag.empty() ? main_output : side_outputs[tag]) = out;
      }
      if (node.isSource()) {
        SourceDriverContext sctx;
        sctx.subtask_index = i;
        sctx.parallelism = v.parallelism;
        sctx.clock = graph.clock;
        sctx.output = main_output;
        sctx.metrics = metrics[id];
        auto driver = node.create_source(sctx);
        // A source the checkpoint does not know (a new uid) starts from its beginning.
        if (std::vector<OperatorSnapshot> restored = restoredFor(node); !restored.empty()) {
          std::vector<std::string> positions;
          for (const OperatorSnapshot& s : restored) positions.push_back(s.operator_state);
          noteError(driver->initializeState(std::move(positions)), node);
        }
        task.setSource(std::move(driver), graph.auto_watermark_interval_ms);
        continue;
      }
      OperatorContext ctx;
      ctx.operator_name = node.name;
      ctx.task_name = task.name();
      ctx.subtask_index = i;
      ctx.parallelism = v.parallelism;
      ctx.max_parallelism = node.max_parallelism > 0 ? node.max_parallelism : v.max_parallelism;
      ctx.processing_time = &task.processingTime();
      ctx.metrics = metrics[id];
      ctx.side_outputs = std::move(side_outputs);
      ctx.accumulators = &task.accumulators();
      ctx.checkpointing = static_cast<bool>(make_hooks);
      ctx.state_backend = graph.state_backend;
      ctx.rocksdb = graph.rocksdb;
      ctx.attempt_id = attempt_id;
      ctx.region_restart = region_restart;
      ops[id]->setup(std::move(ctx), main_output);
      if (restore != nullptr) noteError(ops[id]->initializeState(restoredFor(node)), node);
    }
    const StreamNode& head = graph.nodes[v.chain.front()];
    if (make_hooks) {
      Task::CheckpointHooks hooks = make_hooks(v.id, i);
      for (int id : v.chain) {
        if (graph.nodes[id].isSource()) {
          hooks.source_key = operatorKey(graph.nodes[id]);
        } else {
          hooks.keys.push_back(operatorKey(graph.nodes[id]));
        }
      }
      if (hooks.unaligned && !head.isSource()) hooks.channel_state_key = channelStateKey(operatorKey(head));
      task.setCheckpointing(std::move(hooks));
    }
    if (restore != nullptr && !head.isSource()) {
      // In-flight data of an unaligned checkpoint is replayed whatever this run's mode.
      auto found = restore->operators.find(channelStateKey(operatorKey(head)));
      if (found != restore->operators.end()) {
        std::vector<std::string> previous;
        for (const OperatorSnapshot& s : found->second) previous.push_back(s.operator_state);
        int mp = head.max_parallelism > 0 ? head.max_parallelism : v.max_parallelism;
        Result<RestoredChannelState> channels =
            restoreChannelState(previous, i, v.parallelism, mp, head.num_inputs, graph, v.in_edges);
        if (channels.isOk()) {
          task.setRestoredChannelState(std::move(*channels));
        } else {
          noteError(Status(channels.status().code(), "channel state: " + channels.status().message()), head);
        }
      }
    }
    std::vector<OutputBase*> head_inputs;
    for (int k = 0; k < head.num_inputs; ++k) head_inputs.push_back(inputs.at({head.id, k}));
    task.setInputs(std::move(head_inputs), std::move(pending_inputs.at(&task)));
    pending_inputs.erase(&task);
  }

  std::map<Task*, std::vector<Task::InputChannel>> pending_inputs;
};

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
  /// complete), forgets the end states of `tasks` (they run again) and calls `replace`,
  /// which swaps those tasks for new ones. Checkpoints wait until resume().
  void restartTasks(const std::vector<std::pair<int, int>>& tasks, const std::function<void()>& replace) {
    std::lock_guard<std::mutex> lock(mu_);
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
        lock.unlock();
        complete(r);
        lock.lock();
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
std::string newAttemptId() {
  std::random_device rd;
  uint64_t v = (static_cast<uint64_t>(rd()) << 32) ^ rd();
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

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
    region_restore.reset();
    if (graph.checkpointing.storage) {
      auto found = latestCheckpoint(*graph.checkpointing.storage, nullptr);
      if (found.isOk()) region_restore = std::move(*found);
    }
    const CompletedCheckpoint* from = region_restore ? &*region_restore : restore;
    const std::vector<std::pair<int, int>> members = regions.members(region);
    auto replace = [&] {
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
