#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "eddy/core/serialization.h"
#include "eddy/core/status.h"
#include "eddy/runtime/input_gate.h"
#include "eddy/runtime/stream_graph.h"
#include "eddy/runtime/watermark_valve.h"

namespace eddy::runtime {

// Channel state (Flink's name): what an unaligned checkpoint stores besides operator
// state. When a barrier overtakes queued data, the task snapshots at once; the events
// its input channels deliver afterwards but from before their barriers belong to the
// checkpoint, so the task records them, in the order it processes them, together with
// its watermark valves as they were at the snapshot. A restored task replays them
// before it reads its inputs.

/// The name a task's channel state has in a checkpoint, beside its head operator's
/// state (`head_key` = operatorKey of the chain's head).
inline std::string channelStateKey(const std::string& head_key) { return "channel-state:" + head_key; }

/// Records one task's channel state for one checkpoint. Thread: the task thread.
class ChannelStateWriter {
 public:
  /// Starts with the valves' state at the snapshot, one valve per operator input.
  explicit ChannelStateWriter(const std::vector<WatermarkValve>& valves);

  /// Records an in-flight batch, watermark or status that arrived on `channel` (of
  /// edge `edge`, into operator input `input`); batches are written with `type`.
  Status add(const ChannelEvent& e, int input, int edge, const TypeOpsBase& type);

  int64_t records() const { return records_; }
  /// The bytes to store as the task's channel state.
  std::string finish() const;

 private:
  DataOutputView valves_;
  DataOutputView events_;
  uint64_t count_ = 0;
  int64_t records_ = 0;
};

/// One event to replay on restore.
struct InflightEvent {
  ChannelEvent::Kind kind = ChannelEvent::Kind::kBatch;
  int channel = 0;
  int input = 0;
  const TypeOpsBase* type = nullptr;  // kBatch.
  std::unique_ptr<BatchBase> batch;   // kBatch.
  Timestamp watermark = kMinTimestamp;
  WatermarkStatus status = WatermarkStatus::kActive;
};

/// A restored task's channel state.
struct RestoredChannelState {
  /// At the same parallelism the task takes its predecessor's channel state whole: the
  /// valves restore (`valve_states`, per input) and watermarks replay in order. After a
  /// rescale, records are redistributed (by key group on hash edges) and watermarks are
  /// dropped; each input starts after `start_after` (the lowest of the predecessors').
  bool same_layout = false;
  std::vector<std::string> valve_states;
  std::vector<Timestamp> start_after;
  std::vector<InflightEvent> events;
  int64_t records = 0;
};

/// The channel state subtask `subtask` of a vertex at `parallelism` restores from its
/// predecessors' (`previous`, one per earlier subtask, possibly empty). `in_edges` are
/// the vertex's input edges of `graph`; `max_parallelism` is the consumer's key-group
/// count. Errors name the cause (a changed graph, corrupt bytes).
Result<RestoredChannelState> restoreChannelState(const std::vector<std::string>& previous, int subtask,
                                                 int parallelism, int max_parallelism, int num_inputs,
                                                 const StreamGraph& graph, const std::vector<int>& in_edges);

}  // namespace eddy::runtime
