#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "eddy/core/status.h"
#include "eddy/runtime/accumulator.h"
#include "eddy/runtime/channel_state.h"
#include "eddy/runtime/input_gate.h"
#include "eddy/runtime/operator_metrics.h"
#include "eddy/runtime/processing_time_service.h"
#include "eddy/runtime/record_writer.h"
#include "eddy/runtime/source_driver.h"
#include "eddy/runtime/stream_graph.h"
#include "eddy/runtime/watermark_valve.h"

namespace eddy::runtime {

/// How long a task with nothing to do may sleep: until its next processing-time timer
/// (`next_timer_ms`, kMaxTimestamp when there is none), never longer than `max_wait`,
/// and not at all when the timer is due.
std::chrono::milliseconds idleWait(Timestamp next_timer_ms, Timestamp now_ms, std::chrono::milliseconds max_wait);

/// One subtask of a JobVertex: a chain of operators run by one thread that drains a
/// mailbox (its InputGate). The LocalExecutor builds and wires it; run() is the thread.
/// Thread: everything but the gate belongs to the task thread once run() starts.
class Task {
 public:
  /// Where the records of one input channel go.
  struct InputChannel {
    const TypeOpsBase* type = nullptr;
    int input = 0;  // Operator input index: 0, or 1 for the second input.
    int valve_channel = 0;
    int edge = 0;  // The StreamGraph edge it belongs to.
  };

  Task(std::string name, int subtask_index, const Clock& clock, std::unique_ptr<InputGate> gate);

  const std::string& name() const { return name_; }
  int subtaskIndex() const { return subtask_index_; }
  InputGate& gate() { return *gate_; }
  ProcessingTimeService& processingTime() { return processing_time_; }
  TaskMetrics& metrics() { return metrics_; }

  // Wiring, before run().
  OperatorMetrics* addOperatorMetrics(const std::string& name);
  void addOperator(std::unique_ptr<StreamOperatorBase> op) { operators_.push_back(std::move(op)); }
  void own(std::unique_ptr<OutputBase> output) { owned_outputs_.push_back(std::move(output)); }
  void addWriter(std::unique_ptr<RecordWriterBase> writer) { writers_.push_back(std::move(writer)); }
  void setSource(std::unique_ptr<SourceDriverBase> source, int64_t auto_watermark_interval_ms) {
    source_ = std::move(source);
    auto_watermark_interval_ms_ = auto_watermark_interval_ms;
  }
  /// Declares the head's inputs: `head_inputs[i]` feeds operator input i, and channel c
  /// carries elements of `channels[c].type` into input `channels[c].input`.
  void setInputs(std::vector<OutputBase*> head_inputs, std::vector<InputChannel> channels);

  /// What a task reports for a checkpoint: its operators' snapshots by operator key
  /// (uid, or the node's position), the source's split positions among them.
  using TaskSnapshot = std::map<std::string, OperatorSnapshot>;
  /// How a task takes part in checkpoints. Called on the task thread.
  struct CheckpointHooks {
    CheckpointingMode mode = CheckpointingMode::kExactlyOnce;
    /// `keys[i]` names operators_[i] in snapshots, `source_key` the source.
    std::vector<std::string> keys;
    std::string source_key;
    /// Receives the task's snapshot of checkpoint `id`.
    std::function<void(int64_t id, TaskSnapshot snapshot)> ack;
    /// Once the task's input ended and its chain finished: the first checkpoint its end
    /// state belongs to (the oldest in flight it has not acknowledged, else the next).
    std::function<int64_t()> end_checkpoint_id;
    /// Receives the end state, taken for checkpoint `id`; the coordinator acknowledges
    /// that checkpoint and every later one with it for this task.
    std::function<void(int64_t id, TaskSnapshot snapshot)> ended;
    /// Unaligned checkpoints (EXACTLY_ONCE only): a task snapshots at the first barrier
    /// and forwards it ahead of queued data; in-flight events go into its channel state
    /// under `channel_state_key` (tasks with inputs record it in every checkpoint).
    bool unaligned = false;
    /// With `unaligned`: 0 starts every checkpoint unaligned; otherwise checkpoints
    /// start aligned and a task switches to unaligned once this long has passed since
    /// the trigger (Flink's aligned-checkpoint-timeout).
    int64_t aligned_timeout_ns = 0;
    std::string channel_state_key;
  };

  /// Enables checkpoints. A task then snapshots at every barrier and, at its end, hands
  /// its end state over for the checkpoints still to come and waits until one of them
  /// completed before it closes, so what its sinks staged is committed.
  void setCheckpointing(CheckpointHooks hooks) { checkpointing_ = std::move(hooks); }
  /// The channel state of an unaligned checkpoint to replay before reading the inputs.
  void setRestoredChannelState(RestoredChannelState state) { restored_channels_ = std::move(state); }
  /// Source tasks only, on the task thread (posted as mail by the coordinator):
  /// snapshot now and send barrier `id` downstream. `stop` (stop-with-savepoint): emit
  /// nothing more unless checkpoint `id` fails.
  void triggerCheckpoint(int64_t id, int64_t trigger_ns, bool stop = false);
  /// On the task thread (posted as mail): checkpoint `id` is complete in storage.
  void notifyCheckpointComplete(int64_t id);
  /// On the task thread (posted as mail): checkpoint `id` failed. `job_end`: it was the
  /// one taken after every task ended, without which the job cannot finish; an ended
  /// task then fails with `cause`.
  void notifyCheckpointAborted(int64_t id, const Status& cause, bool job_end);
  /// True once run() returned; a finished task takes no more checkpoints.
  bool finished() const { return finished_.load(); }

  AccumulatorRegistry& accumulators() { return accumulators_; }
  const std::vector<std::unique_ptr<OperatorMetrics>>& operatorMetrics() const {
    return operator_metrics_;
  }

  /// Runs the task to its end. Returns the failure, naming the operator, if any;
  /// `*failed_operator` receives that operator's name.
  Status run(std::string* failed_operator);

 private:
  void runSource();
  void runOperators();
  void handleEvent(ChannelEvent& event);
  void onBarrier(int channel, const ChannelEvent& barrier);
  void onBarrierAtLeastOnce(int channel, const ChannelEvent& barrier);
  void onUnalignedBarrier(int channel, const ChannelEvent& barrier);
  void startUnaligned(int64_t id, int64_t trigger_ns, int channel, uint64_t seq);
  void checkAlignmentTimeout();
  void recordInFlight(const ChannelEvent& e);
  void placeBarrier(int channel, uint64_t seq);
  void handlePriorityEvents();
  void checkCaptureComplete();
  void replayChannelState();
  void deliver(const ChannelEvent& e);
  void noteFirstBarrier(const ChannelEvent& barrier);
  void checkAligned();
  void checkAtLeastOnceComplete();
  void releaseHeld();
  void performCheckpoint(int64_t id, int64_t trigger_ns, BarrierType type);
  BarrierType alignedBarrierType() const;
  void onAnnouncement(const ChannelEvent& announcement);
  /// The checkpoint whose alignment may time out: (id, trigger_ns), if any.
  std::optional<std::pair<int64_t, int64_t>> awaitedCheckpoint() const;
  TaskSnapshot snapshotChain(int64_t id);
  void takeFinalCheckpoint();
  void applyValve(int input, const WatermarkValve::Emit& emit);
  void runMails(std::vector<InputGate::Mail>& mails);
  void finishChain();
  InputGate::SteadyTime deadlineFor(Timestamp processing_time) const;

  std::string name_;
  int subtask_index_;
  AccumulatorRegistry accumulators_;
  const Clock& clock_;
  std::unique_ptr<InputGate> gate_;
  ProcessingTimeService processing_time_;
  TaskMetrics metrics_;
  std::vector<std::unique_ptr<OperatorMetrics>> operator_metrics_;
  std::vector<std::unique_ptr<StreamOperatorBase>> operators_;  // Head first.
  std::vector<std::unique_ptr<OutputBase>> owned_outputs_;
  std::vector<std::unique_ptr<RecordWriterBase>> writers_;
  std::unique_ptr<SourceDriverBase> source_;
  int64_t auto_watermark_interval_ms_ = 0;

  std::vector<OutputBase*> head_inputs_;
  std::vector<InputChannel> channels_;
  std::vector<WatermarkValve> valves_;  // One per operator input.
  int open_channels_ = 0;
  std::vector<bool> ended_;  // Per channel: end of partition seen.

  // Checkpoints. Aligned (exactly-once): once a channel delivered the barrier of the
  // checkpoint being aligned, its later events wait in held_ until every open channel
  // delivered it; then the task snapshots, forwards the barrier and replays them.
  CheckpointHooks checkpointing_;
  int64_t end_checkpoint_ = -1;  // Once ended: the first checkpoint with its end state.
  int64_t stopped_at_ = -1;      // Sources: the savepoint they stopped at.
  bool end_committed_ = false;    // A checkpoint with the end state completed.
  int64_t aligning_ = -1;
  int64_t aligning_trigger_ns_ = 0;
  int64_t alignment_start_ns_ = 0;  // When the first barrier of `aligning_` arrived.
  int64_t last_checkpoint_ = -1;  // The newest checkpoint this task snapshotted.
  std::vector<bool> blocked_;
  std::vector<uint64_t> blocked_at_;  // Per blocked channel: its barrier's seq.
  std::vector<std::deque<ChannelEvent>> held_;
  // AT_LEAST_ONCE: per checkpoint, which channels delivered its barrier; nothing waits.
  struct BarrierCount {
    std::vector<bool> seen;  // Per channel.
    int64_t trigger_ns = 0;
  };
  std::map<int64_t, BarrierCount> barriers_seen_;
  // Unaligned: the checkpoint whose in-flight events are being recorded. Until its
  // channel's barrier arrives (`barrier_seq`: kNotYet), every event the task processes
  // is in flight; when it arrives, the events before it still waiting in the inbox are
  // recorded at once, and the checkpoint is acknowledged when every channel's barrier
  // arrived (or the channel ended).
  static constexpr uint64_t kNotYet = ~uint64_t{0};
  struct Capture {
    Capture(int64_t checkpoint, size_t channels, const std::vector<WatermarkValve>& valves)
        : id(checkpoint), barrier_seq(channels, kNotYet), channel_state(valves) {}
    int64_t id;
    std::vector<uint64_t> barrier_seq;
    TaskSnapshot snapshot;
    ChannelStateWriter channel_state;
  };
  std::optional<Capture> capture_;
  // The newest announced checkpoint (alignment timeout only): its barriers are queued
  // behind data, and its alignment may time out before any arrives; `announced_seq_`
  // says where each channel's barrier is (kNotYet: not announced there).
  int64_t announced_id_ = -1;
  int64_t announced_trigger_ns_ = 0;
  std::vector<uint64_t> announced_seq_;
  // The events of the last poll; those from inbox_next_ on are not processed yet.
  std::vector<ChannelEvent> inbox_;
  size_t inbox_next_ = 0;
  RestoredChannelState restored_channels_;
  std::atomic<bool> finished_{false};
};

}  // namespace eddy::runtime
