#pragma once

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "eddy/core/check.h"
#include "eddy/core/clock.h"
#include "eddy/core/status.h"
#include "eddy/runtime/accumulator.h"
#include "eddy/runtime/operator_metrics.h"
#include "eddy/runtime/output.h"
#include "eddy/runtime/processing_time_service.h"
#include "eddy/state/key_group_writer.h"
#include "eddy/state/rocksdb_snapshot.h"
#include "eddy/state/state_backend_options.h"

namespace eddy::runtime {

/// What the runtime gives an operator instance (one parallel subtask of one operator).
struct OperatorContext {
  std::string operator_name;
  std::string task_name;  // "name (2/4)"
  int subtask_index = 0;
  int parallelism = 1;
  int max_parallelism = 128;
  ProcessingTimeService* processing_time = nullptr;
  OperatorMetrics* metrics = nullptr;
  /// The task's accumulators (shared by the operators of its chain).
  AccumulatorRegistry* accumulators = nullptr;
  /// True when the job takes checkpoints: state reaches storage only through them, and
  /// a transactional sink commits only when one completes.
  bool checkpointing = false;
  /// Where keyed operators keep their state.
  state::StateBackendKind state_backend = state::StateBackendKind::kHashMap;
  state::RocksDbOptions rocksdb;
  /// Unique to this execution of the job (a restart or a new process gets another), the
  /// same for all its subtasks: names what this attempt creates outside the job, such as
  /// a file sink's part files, so a later attempt can tell its own from leftovers.
  std::string attempt_id;
  /// True when this subtask restarts with its failover region while the job's other
  /// subtasks keep running (region failover): it may clean up only what it made itself.
  bool region_restart = false;
  /// Consumers of this operator's side outputs, by OutputTag id. Absent tags are dropped.
  std::unordered_map<std::string, OutputBase*> side_outputs;
};

/// What one operator subtask writes into a checkpoint or savepoint: keyed state (state
/// tables, timers, window contents) by key group, so it can be restored at another
/// parallelism, and non-keyed operator state.
struct OperatorSnapshot {
  int max_parallelism = 128;
  std::map<int, std::string> key_groups;  // Key group -> its bytes.
  /// Or: the key groups written later, off the task thread, from state frozen at the
  /// snapshot (full snapshots, heap or RocksDB); key_groups is empty then. The
  /// checkpoint storage writes them; materialize() turns them into key_groups.
  std::shared_ptr<const state::KeyGroupWriter> deferred_key_groups;
  std::string operator_state;
  /// Incremental RocksDB checkpoints: the keyed tables as RocksDB's files (see
  /// state::KeyedStateSnapshot), written to the storage once and shared.
  std::string rocksdb_handle;
  std::vector<state::StateFile> files;
  /// Keeps `files` where they are (the RocksDB instance that made them) until the
  /// snapshot is dropped, though its task may end before the storage copies them.
  std::shared_ptr<const void> files_owner;

  bool hasKeyedState() const { return !key_groups.empty() || deferred_key_groups != nullptr; }
  Status materialize() {
    if (deferred_key_groups == nullptr) return Status::ok();
    EDDY_RETURN_IF_ERROR(state::writeAllKeyGroups(*deferred_key_groups, key_groups));
    deferred_key_groups.reset();
    return Status::ok();
  }
};

/// The base of every stream operator. The lifecycle, all on the task thread:
/// setup -> open -> process* -> finish (end of input, may still emit) -> close.
/// Operators in a chain are opened from the tail to the head and finished from the
/// head to the tail, so each sees a ready consumer, as in Flink.
class StreamOperatorBase {
 public:
  virtual ~StreamOperatorBase() = default;

  void setup(OperatorContext context, OutputBase* output) {
    ctx_ = std::move(context);
    output_base_ = output;
    onSetup();
  }
  /// Before open(): the snapshots of all earlier subtasks of this operator, when the job
  /// restores (a keyed operator keeps the key groups its range owns). Default: stateless.
  virtual Status initializeState(std::vector<OperatorSnapshot> restored) {
    (void)restored;
    return Status::ok();
  }
  virtual void open() {}
  /// Between records: this subtask's state for checkpoint `checkpoint_id`, consistent
  /// with everything processed so far.
  virtual Result<OperatorSnapshot> snapshotState(int64_t checkpoint_id) {
    (void)checkpoint_id;
    OperatorSnapshot snapshot;
    snapshot.max_parallelism = ctx_.max_parallelism;
    return snapshot;
  }
  /// Checkpoint `checkpoint_id` is complete in storage (Flink's CheckpointListener):
  /// what its snapshot staged may now become visible, e.g. a sink's pre-committed
  /// transactions. A notification may be skipped or arrive late; a newer one covers the
  /// older ones. The final checkpoint's arrives after finish(), before close().
  virtual void notifyCheckpointComplete(int64_t checkpoint_id) { (void)checkpoint_id; }
  /// Checkpoint `checkpoint_id` will never complete.
  virtual void notifyCheckpointAborted(int64_t checkpoint_id) { (void)checkpoint_id; }
  virtual void finish() {}
  virtual void close() {}

  /// One-input operators see the combined watermark of their input here; the default
  /// forwards it. Two-input operators get processWatermark1/2 instead.
  virtual void processWatermark(Watermark wm) { emitWatermark(wm); }
  virtual void processWatermarkStatus(WatermarkStatus status) {
    output_base_->emitWatermarkStatus(status);
  }

  const OperatorContext& context() const { return ctx_; }
  const std::string& name() const { return ctx_.operator_name; }

 protected:
  virtual void onSetup() {}

  void emitWatermark(Watermark wm) {
    ctx_.metrics->current_output_watermark.set(wm.timestamp);
    output_base_->emitWatermark(wm);
  }

  template <typename X>
  void outputSide(const OutputTag<X>& tag, const StreamRecord<X>& record) {
    auto it = ctx_.side_outputs.find(tag.getId());
    if (it != ctx_.side_outputs.end()) static_cast<Output<X>*>(it->second)->collect(record);
  }

  OperatorContext ctx_;
  OutputBase* output_base_ = nullptr;
};

/// An operator producing records of type OUT.
template <typename OUT>
class AbstractStreamOperator : public StreamOperatorBase {
 protected:
  Output<OUT>& output() { return *static_cast<Output<OUT>*>(output_base_); }
};

template <typename IN, typename OUT>
class OneInputStreamOperator : public AbstractStreamOperator<OUT> {
 public:
  using InputType = IN;
  using OutputType = OUT;
  virtual void processElement(const StreamRecord<IN>& record) = 0;
};

/// Two inputs; the operator's event time is the minimum of the watermarks of its active
/// inputs. An idle input does not hold event time back; the operator is idle when both
/// inputs are (Flink's IndexedCombinedWatermarkStatus).
template <typename IN1, typename IN2, typename OUT>
class TwoInputStreamOperator : public AbstractStreamOperator<OUT> {
 public:
  using Input1Type = IN1;
  using Input2Type = IN2;
  using OutputType = OUT;
  virtual void processElement1(const StreamRecord<IN1>& record) = 0;
  virtual void processElement2(const StreamRecord<IN2>& record) = 0;

  void processWatermark1(Watermark wm) { onInputWatermark(0, wm.timestamp); }
  void processWatermark2(Watermark wm) { onInputWatermark(1, wm.timestamp); }
  void processWatermarkStatus1(WatermarkStatus s) { onInputStatus(0, s); }
  void processWatermarkStatus2(WatermarkStatus s) { onInputStatus(1, s); }

 private:
  void onInputWatermark(int input, Timestamp wm) {
    watermarks_[input] = wm;
    advance();
  }
  void onInputStatus(int input, WatermarkStatus s) {
    bool was_idle = idle_[0] && idle_[1];
    idle_[input] = s == WatermarkStatus::kIdle;
    bool now_idle = idle_[0] && idle_[1];
    if (!now_idle) advance();  // The other input's watermark may now be the minimum.
    if (now_idle != was_idle) {
      this->processWatermarkStatus(now_idle ? WatermarkStatus::kIdle : WatermarkStatus::kActive);
    }
  }
  void advance() {
    Timestamp combined = kMaxTimestamp;
    bool any_active = false;
    for (int i = 0; i < 2; ++i) {
      if (idle_[i]) continue;
      any_active = true;
      combined = std::min(combined, watermarks_[i]);
    }
    if (any_active && combined > combined_wm_) {
      combined_wm_ = combined;
      this->processWatermark(Watermark{combined});
    }
  }
  Timestamp watermarks_[2] = {kMinTimestamp, kMinTimestamp};
  bool idle_[2] = {false, false};
  Timestamp combined_wm_ = kMinTimestamp;
};

}  // namespace eddy::runtime
