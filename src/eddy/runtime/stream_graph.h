#pragma once

#include <functional>
#include <typeinfo>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "eddy/core/clock.h"
#include "eddy/runtime/batch.h"
#include "eddy/runtime/chain_outputs.h"
#include "eddy/runtime/channel_selector.h"
#include "eddy/runtime/record_writer.h"
#include "eddy/runtime/source_driver.h"
#include "eddy/runtime/stream_operator.h"

namespace eddy::runtime {

/// Flink's ChainingStrategy: ALWAYS chains both ways, HEAD starts a new chain
/// (startNewChain), NEVER chains neither way (disableChaining).
enum class ChainingStrategy { kAlways, kHead, kNever };

/// Runtime handling of one element type T, type-erased so the graph can be data.
class TypeOpsBase {
 public:
  virtual ~TypeOpsBase() = default;
  /// An Output<T> over `targets` (each an Output<T>), counting into `records_out`.
  virtual std::unique_ptr<OutputBase> makeFanout(const std::vector<OutputBase*>& targets,
                                                 Counter* records_out) const = 0;
  /// Feeds every record of a Batch<T> to `target` (an Output<T>).
  virtual void deliver(BatchBase& batch, OutputBase& target) const = 0;
  /// Whether records of T can be written into a checkpoint (unaligned checkpoints
  /// store in-flight records); if not, writeBatch and readBatch fail.
  virtual bool serializable() const = 0;
  /// Appends the records of a Batch<T> to `out`.
  virtual Status writeBatch(const BatchBase& batch, DataOutputView& out) const = 0;
  /// Reads what writeBatch wrote.
  virtual Result<std::unique_ptr<BatchBase>> readBatch(DataInputView& in) const = 0;
};

template <typename T>
class TypeOps final : public TypeOpsBase {
 public:
  std::unique_ptr<OutputBase> makeFanout(const std::vector<OutputBase*>& targets,
                                         Counter* records_out) const override {
    std::vector<Output<T>*> typed;
    for (OutputBase* t : targets) typed.push_back(static_cast<Output<T>*>(t));
    return std::make_unique<FanoutOutput<T>>(std::move(typed), records_out);
  }
  void deliver(BatchBase& batch, OutputBase& target) const override {
    static_cast<Output<T>&>(target).collectBatch(static_cast<Batch<T>&>(batch).records);
  }
  bool serializable() const override { return Serializable<T>; }
  Status writeBatch(const BatchBase& batch, DataOutputView& out) const override {
    if constexpr (Serializable<T>) {
      serialize(static_cast<const Batch<T>&>(batch).records, out);
      return Status::ok();
    } else {
      (void)batch;
      (void)out;
      return notSerializable();
    }
  }
  Result<std::unique_ptr<BatchBase>> readBatch(DataInputView& in) const override {
    if constexpr (Serializable<T>) {
      auto batch = std::make_unique<Batch<T>>();
      EDDY_ASSIGN_OR_RETURN(batch->records, deserialize<std::vector<StreamRecord<T>>>(in));
      return std::unique_ptr<BatchBase>(std::move(batch));
    } else {
      (void)in;
      return notSerializable();
    }
  }

 private:
  static Status notSerializable() {
    return Status::invalidArgument(std::string("records of type ") + typeid(T).name() +
                                   " cannot be written into a checkpoint: give the type a serializer "
                                   "(serialize/deserialize members) to use unaligned checkpoints");
  }
};

/// What a source node needs to create its driver for one subtask.
struct SourceDriverContext {
  int subtask_index = 0;
  int parallelism = 1;
  const Clock* clock = nullptr;
  OutputBase* output = nullptr;  // An Output<T> of the source's type.
  OperatorMetrics* metrics = nullptr;
};

/// One operator (or source) of the logical graph, with its typed factories erased.
struct StreamNode {
  int id = 0;
  std::string name;
  std::string uid;
  int parallelism = 0;        // 0: the environment's default.
  int max_parallelism = -1;  // -1: the job's default.
  ChainingStrategy chaining = ChainingStrategy::kAlways;
  int num_inputs = 1;  // 0 for sources.
  std::shared_ptr<TypeOpsBase> output_type;

  /// Operators: a fresh instance for one subtask.
  std::function<std::unique_ptr<StreamOperatorBase>()> create_operator;
  /// Operators: the Output that feeds input `input` (0 or 1) of `op`.
  std::function<std::unique_ptr<OutputBase>(StreamOperatorBase& op, int input)> make_input;
  /// Sources: the driver for one subtask.
  std::function<std::unique_ptr<SourceDriverBase>(const SourceDriverContext&)> create_source;

  bool isSource() const { return num_inputs == 0; }
};

/// A connection between two nodes.
struct StreamEdge {
  int source = 0;
  int target = 0;
  int target_input = 0;         // 0, or 1 for the second input of a two-input operator.
  std::string side_output_tag;  // Empty: the main output.
  PartitionKind kind = PartitionKind::kForward;
  bool kind_explicit = false;   // The user asked for this partitioning (forward() etc.).
  std::shared_ptr<TypeOpsBase> type;  // The element type on the edge.
  /// A RecordWriter<T> for one producer subtask over the connected consumer channels.
  /// `consumer_max_parallelism` is the key-group count a hash edge partitions by.
  std::function<std::unique_ptr<RecordWriterBase>(PartitionKind kind, std::vector<ChannelTarget>,
                                                   int producer_subtask,
                                                   int consumer_max_parallelism, TaskMetrics*,
                                                   OutputBase** as_output)>
      make_writer;
  /// Hash edges: of the records in a Batch<T>, those a keyBy over `parallelism`
  /// consumers (key groups of `max_parallelism`) sends to `subtask`; redistributes
  /// in-flight records of an unaligned checkpoint when the job is rescaled. Empty for
  /// other edges.
  std::function<std::unique_ptr<BatchBase>(const BatchBase& batch, int subtask, int parallelism, int max_parallelism)>
      select_for_subtask;
};

/// The logical graph the API builds: nodes in creation order (a topological order).
class CheckpointStorage;

/// Flink's CheckpointingMode: EXACTLY_ONCE aligns barriers at tasks with several
/// input channels; AT_LEAST_ONCE does not block channels (no alignment delay), so
/// records after a barrier may reach the snapshot and be replayed after a restore.
enum class CheckpointingMode { kExactlyOnce, kAtLeastOnce };

/// What becomes of a job's checkpoints when it is cancelled (Flink's
/// ExternalizedCheckpointRetention).
enum class ExternalizedCheckpointCleanup {
  kNoExternalizedCheckpoints,  // Deleted on cancellation (Flink's default).
  kDeleteOnCancellation,       // Deleted on cancellation.
  kRetainOnCancellation,       // Kept, to start from later.
};

/// How a job checkpoints (Flink's CheckpointConfig, with Flink's defaults).
struct CheckpointSettings {
  int64_t interval_ms = 0;  // 0: off.
  CheckpointingMode mode = CheckpointingMode::kExactlyOnce;
  int64_t timeout_ms = 600'000;  // A checkpoint not complete by then fails (expires).
  int64_t min_pause_ms = 0;      // Between the end of one checkpoint and the next start.
  int max_concurrent = 1;        // Checkpoints in flight at once.
  int tolerable_failures = 0;    // Consecutive failed checkpoints a job survives.
  std::shared_ptr<CheckpointStorage> storage;
  std::string job_fingerprint;  // Written into each checkpoint; a restore must match it.
  int retained = 1;             // Completed checkpoints kept.
  /// A restore may leave state of operators the job no longer has (Flink's
  /// allowNonRestoredState); otherwise such state is an error.
  bool allow_non_restored_state = false;
  /// Unaligned checkpoints (Flink's execution.checkpointing.unaligned.enabled): barriers
  /// overtake queued data and tasks store what they overtook, so a checkpoint does not
  /// wait for backpressured channels to drain. EXACTLY_ONCE only.
  bool unaligned = false;
  /// With `unaligned`: 0 starts checkpoints unaligned; otherwise they start aligned and
  /// a task still aligning this long after the trigger goes unaligned (Flink's
  /// execution.checkpointing.aligned-checkpoint-timeout).
  int64_t aligned_checkpoint_timeout_ms = 0;
  ExternalizedCheckpointCleanup externalized_cleanup = ExternalizedCheckpointCleanup::kNoExternalizedCheckpoints;
};

/// The name an operator's state has in checkpoints: its uid, else its position in the
/// graph (which changes when the job's graph changes, hence uids).
inline std::string operatorKey(const StreamNode& node) {
  return node.uid.empty() ? "node-" + std::to_string(node.id) : "uid:" + node.uid;
}

struct StreamGraph {
  std::vector<StreamNode> nodes;
  std::vector<StreamEdge> edges;
  int default_max_parallelism = kDefaultMaxParallelism;
  int64_t auto_watermark_interval_ms = 200;  // Flink's pipeline.auto-watermark-interval.
  const Clock* clock = &SystemClock::instance();
  CheckpointSettings checkpointing;
  state::StateBackendKind state_backend = state::StateBackendKind::kHashMap;
  state::RocksDbOptions rocksdb;
  /// Flink's `jobmanager.execution.failover-strategy`: `region` (true) restarts only the
  /// failed subtask's failover region when the job has several; `full` restarts every
  /// task. Default: region (Flink's default).
  bool region_failover = true;
};

}  // namespace eddy::runtime
