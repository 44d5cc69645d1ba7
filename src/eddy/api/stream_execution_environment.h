#pragma once

#include <algorithm>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "eddy/api/data_stream.h"
#include "eddy/api/job_client.h"
#include "eddy/api/restart_strategy.h"
#include "eddy/operators/source/collection_source.h"
#include "eddy/operators/source/source_driver.h"
#include "eddy/runtime/job_result.h"

namespace eddy::api {

/// Flink's ExecutionConfig: the job-wide knobs.
class ExecutionConfig {
 public:
  explicit ExecutionConfig(GraphBuilder* g) : g_(g) {}
  /// Interval of periodic watermark emission. Default: 200 ms (Flink's
  /// pipeline.auto-watermark-interval); 0 disables periodic watermarks.
  ExecutionConfig& setAutoWatermarkInterval(Duration interval) {
    g_->graph.auto_watermark_interval_ms = interval.count();
    return *this;
  }
  int64_t getAutoWatermarkInterval() const { return g_->graph.auto_watermark_interval_ms; }

 private:
  GraphBuilder* g_;
};

/// Flink's CheckpointConfig (the part local mode honours so far).
class CheckpointConfig {
 public:
  explicit CheckpointConfig(GraphBuilder* g) : g_(g) {}
  /// `file:///dir` or a path. The directory is created if missing.
  CheckpointConfig& setCheckpointStorage(const std::string& uri) {
    uri_ = uri;
    return *this;
  }
  const std::string& getCheckpointStorage() const { return uri_; }
  /// A storage object instead of a URI (another kind of storage, or a test double).
  CheckpointConfig& setCheckpointStorage(std::shared_ptr<runtime::CheckpointStorage> storage) {
    storage_ = std::move(storage);
    uri_ = "custom storage";
    return *this;
  }
  const std::shared_ptr<runtime::CheckpointStorage>& getCheckpointStorageObject() const { return storage_; }
  /// Completed checkpoints kept (Flink's state.checkpoints.num-retained). Default 1.
  CheckpointConfig& setNumRetainedCheckpoints(int n) {
    g_->graph.checkpointing.retained = std::max(1, n);
    return *this;
  }
  int64_t getCheckpointInterval() const { return g_->graph.checkpointing.interval_ms; }
  CheckpointConfig& setCheckpointingMode(runtime::CheckpointingMode mode) {
    g_->graph.checkpointing.mode = mode;
    return *this;
  }
  runtime::CheckpointingMode getCheckpointingMode() const { return g_->graph.checkpointing.mode; }
  /// A checkpoint not complete after this long fails (default 10 minutes).
  CheckpointConfig& setCheckpointTimeout(int64_t ms) {
    if (ms <= 0) throw std::invalid_argument("The checkpoint timeout must be positive.");
    g_->graph.checkpointing.timeout_ms = ms;
    return *this;
  }
  /// The least time from the end of one checkpoint to the start of the next (default 0).
  CheckpointConfig& setMinPauseBetweenCheckpoints(int64_t ms) {
    if (ms < 0) throw std::invalid_argument("The minimum pause between checkpoints must not be negative.");
    g_->graph.checkpointing.min_pause_ms = ms;
    return *this;
  }
  /// Checkpoints in flight at once (default 1).
  CheckpointConfig& setMaxConcurrentCheckpoints(int n) {
    if (n < 1) throw std::invalid_argument("The maximum number of concurrent checkpoints must be at least 1.");
    g_->graph.checkpointing.max_concurrent = n;
    return *this;
  }
  /// Failed checkpoints in a row the job survives (default 0: the first failure fails
  /// the job, as Flink's default).
  CheckpointConfig& setTolerableCheckpointFailureNumber(int n) {
    if (n < 0) throw std::invalid_argument("The tolerable checkpoint failure number must not be negative.");
    g_->graph.checkpointing.tolerable_failures = n;
    return *this;
  }
  /// Unaligned checkpoints (default off): barriers overtake the data queued between
  /// tasks, which is stored with the checkpoint and replayed on restore, so checkpoints
  /// complete under backpressure. EXACTLY_ONCE only (ignored, with a warning, in
  /// AT_LEAST_ONCE mode) and one checkpoint at a time. Every record type crossing tasks
  /// needs a serializer.
  CheckpointConfig& enableUnalignedCheckpoints(bool enabled = true) {
    g_->graph.checkpointing.unaligned = enabled;
    return *this;
  }
  bool isUnalignedCheckpointsEnabled() const { return g_->graph.checkpointing.unaligned; }
  /// With unaligned checkpoints: start each checkpoint aligned and switch a task to
  /// unaligned once it has aligned for `timeout` since the trigger (default 0: always
  /// unaligned).
  CheckpointConfig& setAlignedCheckpointTimeout(Duration timeout) {
    if (timeout.count() < 0) throw std::invalid_argument("The aligned checkpoint timeout must not be negative.");
    g_->graph.checkpointing.aligned_checkpoint_timeout_ms = timeout.count();
    return *this;
  }
  Duration getAlignedCheckpointTimeout() const { return Duration(g_->graph.checkpointing.aligned_checkpoint_timeout_ms); }
  /// Names the job in its checkpoints (default: the job name given to execute). A
  /// resumed job must carry the same fingerprint, so one job never picks up another's
  /// state; put the program and its arguments in it.
  CheckpointConfig& setJobFingerprint(std::string fingerprint) {
    g_->graph.checkpointing.job_fingerprint = std::move(fingerprint);
    return *this;
  }
  /// On execute(), continue from the newest readable checkpoint in the storage when
  /// there is one (after a crash or kill of the whole process); start fresh otherwise.
  CheckpointConfig& setResumeFromLatestCheckpoint(bool resume) {
    resume_ = resume;
    return *this;
  }
  bool isResumeFromLatestCheckpoint() const { return resume_; }
  /// What happens to the job's checkpoints when it is cancelled (Flink's
  /// externalized-checkpoint-retention; default NO_EXTERNALIZED_CHECKPOINTS: deleted).
  /// Checkpoints of a failed job are kept in every mode, and Eddy also keeps those of a
  /// finished job (so rerunning a finished job's command changes nothing).
  CheckpointConfig& setExternalizedCheckpointCleanup(runtime::ExternalizedCheckpointCleanup cleanup) {
    g_->graph.checkpointing.externalized_cleanup = cleanup;
    return *this;
  }
  runtime::ExternalizedCheckpointCleanup getExternalizedCheckpointCleanup() const {
    return g_->graph.checkpointing.externalized_cleanup;
  }

 private:
  GraphBuilder* g_;
  std::string uri_;
  std::shared_ptr<runtime::CheckpointStorage> storage_;
  bool resume_ = false;
};

/// Where a job starts from (Flink's SavepointRestoreSettings, `flink run -s PATH [-n]`):
/// a checkpoint's directory (`.../chk-<id>`) or a checkpoint storage directory (its
/// newest readable checkpoint). State is matched to operators by uid (else by
/// position); with `allow_non_restored_state`, state of operators the job no longer has
/// is dropped instead of failing the job.
struct SavepointRestoreSettings {
  std::string path;
  bool allow_non_restored_state = false;
  static SavepointRestoreSettings none() { return {}; }
  static SavepointRestoreSettings forPath(std::string path, bool allow_non_restored_state = false) {
    return {std::move(path), allow_non_restored_state};
  }
};

/// Where a job is built and run (Flink's StreamExecutionEnvironment). execute() runs it
/// in this process (local mode, the embedded default).
/// Thread: one building thread; execute() blocks until the job ends.
class StreamExecutionEnvironment {
 public:
  StreamExecutionEnvironment()
      : g_(std::make_shared<GraphBuilder>()), config_(g_.get()), checkpoint_config_(g_.get()) {}

  static StreamExecutionEnvironment getExecutionEnvironment() { return StreamExecutionEnvironment(); }

  /// Default parallelism of operators created afterwards. Default: 1.
  StreamExecutionEnvironment& setParallelism(int p) {
    if (p <= 0) throw std::invalid_argument("The parallelism must be at least 1.");
    g_->default_parallelism = p;
    return *this;
  }
  int getParallelism() const { return g_->default_parallelism; }
  /// Number of key groups for keyed operators. Default: 128.
  StreamExecutionEnvironment& setMaxParallelism(int p) {
    if (p <= 0 || p > (1 << 15)) throw std::invalid_argument("The maximum parallelism must be in [1, 32768].");
    g_->graph.default_max_parallelism = p;
    return *this;
  }
  int getMaxParallelism() const { return g_->graph.default_max_parallelism; }
  ExecutionConfig& getConfig() { return config_; }

  /// Takes a checkpoint every `interval_ms` (exactly-once, aligned barriers), into the
  /// storage set on getCheckpointConfig().
  StreamExecutionEnvironment& enableCheckpointing(int64_t interval_ms,
                                                  runtime::CheckpointingMode mode = runtime::CheckpointingMode::kExactlyOnce) {
    if (interval_ms <= 0) throw std::invalid_argument("The checkpoint interval must be positive.");
    g_->graph.checkpointing.interval_ms = interval_ms;
    g_->graph.checkpointing.mode = mode;
    return *this;
  }
  CheckpointConfig& getCheckpointConfig() { return checkpoint_config_; }
  /// Flink's setStateBackend: HashMapStateBackend() (the default) or
  /// EmbeddedRocksDBStateBackend().
  StreamExecutionEnvironment& setStateBackend(state::HashMapStateBackend) {
    g_->graph.state_backend = state::StateBackendKind::kHashMap;
    return *this;
  }
  StreamExecutionEnvironment& setStateBackend(state::EmbeddedRocksDBStateBackend backend) {
    g_->graph.state_backend = state::StateBackendKind::kRocksDb;
    g_->graph.rocksdb = std::move(backend.options);
    return *this;
  }
  state::StateBackendKind getStateBackend() const { return g_->graph.state_backend; }
  /// Start from a savepoint or retained checkpoint. With setResumeFromLatestCheckpoint,
  /// a checkpoint the job itself completed since (after a crash) is used instead.
  StreamExecutionEnvironment& setSavepointRestoreSettings(SavepointRestoreSettings s) {
    g_->graph.checkpointing.allow_non_restored_state = s.allow_non_restored_state;
    savepoint_ = std::move(s);
    return *this;
  }
  StreamExecutionEnvironment& setRestartStrategy(RestartStrategy s) {
    restart_ = s;
    return *this;
  }
  /// Flink's `jobmanager.execution.failover-strategy`. kRegion (the default, as in
  /// Flink): when the job's subtasks form several failover regions (subtasks joined by
  /// channels, e.g. a pipeline of forward edges at one parallelism is one region per
  /// subtask), a failure restarts only its region from the latest completed checkpoint
  /// and the others keep running; each region restart counts against the restart
  /// strategy. kFull: every failure restarts the whole job.
  enum class FailoverStrategy { kRegion, kFull };
  StreamExecutionEnvironment& setFailoverStrategy(FailoverStrategy s) {
    g_->graph.region_failover = s == FailoverStrategy::kRegion;
    return *this;
  }
  /// The processing-time clock of the job. Default: the system clock. Tests inject one.
  StreamExecutionEnvironment& setClock(const Clock* clock) {
    g_->graph.clock = clock;
    return *this;
  }

  /// A stream from a Source, with timestamps and watermarks per `strategy`.
  template <typename T>
  SingleOutputStreamOperator<T> fromSource(std::shared_ptr<operators::Source<T>> source,
                                           operators::WatermarkStrategy<T> strategy, std::string name) {
    runtime::StreamNode n;
    n.name = "Source: " + name;
    n.num_inputs = 0;
    n.output_type = std::make_shared<runtime::TypeOps<T>>();
    n.create_source = [source, strategy](const runtime::SourceDriverContext& ctx) {
      return std::make_unique<operators::SourceDriver<T>>(source, strategy, ctx.subtask_index, ctx.parallelism,
                                                          ctx.clock, static_cast<runtime::Output<T>*>(ctx.output));
    };
    int id = g_->addNode(std::move(n));
    return SingleOutputStreamOperator<T>(g_, id);
  }
  /// A bounded stream of the given elements, read by one subtask, without timestamps.
  template <typename T>
  SingleOutputStreamOperator<T> fromCollection(std::vector<T> elements) {
    auto s = fromSource<T>(std::make_shared<operators::CollectionSource<T>>(std::move(elements)),
                           operators::WatermarkStrategy<T>::noWatermarks(), "Collection Source");
    s.setParallelism(1);
    return s;
  }
  template <typename T>
  SingleOutputStreamOperator<T> fromElements(std::initializer_list<T> elements) {
    return fromCollection(std::vector<T>(elements));
  }

  /// Runs the job to its end in this process.
  runtime::JobExecutionResult execute(const std::string& job_name = "Flink Streaming Job") {
    return run(job_name, nullptr);
  }
  /// Starts the job on a thread of its own and returns its client (Flink's
  /// executeAsync). This environment must outlive the client.
  std::unique_ptr<JobClient> executeAsync(const std::string& job_name = "Flink Streaming Job") {
    return std::make_unique<JobClient>([this, job_name](runtime::JobControl* control) { return run(job_name, control); });
  }

  /// The chained job graph, one vertex per line.
  std::string getExecutionPlan();

 private:
  runtime::JobExecutionResult run(const std::string& job_name, runtime::JobControl* control);

  std::shared_ptr<GraphBuilder> g_;
  ExecutionConfig config_;
  CheckpointConfig checkpoint_config_;
  RestartStrategy restart_;
  SavepointRestoreSettings savepoint_;
};

}  // namespace eddy::api
