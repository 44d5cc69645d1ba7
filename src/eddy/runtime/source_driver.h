#pragma once

#include "eddy/core/status.h"
#include "eddy/core/time.h"

namespace eddy::runtime {

/// What a source step reports to its task.
enum class ReadStatus {
  kMoreAvailable,     // Call again soon.
  kNothingAvailable,  // Nothing now; ask again at nextAvailableTime().
  kEndOfInput,        // All splits of this subtask are finished.
};

/// The task's view of a source subtask: reads its splits, stamps timestamps, generates
/// per-split watermarks and pushes records into the chain (Flink's SourceOperator).
/// Thread: the task thread only.
class SourceDriverBase {
 public:
  virtual ~SourceDriverBase() = default;
  /// Before open(): the states of all earlier subtasks of this source when the job
  /// restores; this subtask continues its share of their splits.
  virtual Status initializeState(std::vector<std::string> restored) = 0;
  virtual Status open() = 0;
  /// Between records: the positions of the splits not yet finished.
  virtual Result<std::string> snapshotState() const = 0;
  /// Emits up to `max_records` records into the chain.
  virtual Result<ReadStatus> emitNext(int max_records) = 0;
  /// Processing time at which a kNothingAvailable source wants to be polled again.
  virtual Timestamp nextAvailableTime() const = 0;
  /// Asks the periodic watermark generators for a watermark (every auto-watermark interval).
  virtual void emitPeriodicWatermark() = 0;
  /// End of input: emits the max watermark.
  virtual void endInput() = 0;
};

}  // namespace eddy::runtime
