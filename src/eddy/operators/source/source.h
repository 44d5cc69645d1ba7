#pragma once

#include <memory>
#include <string>
#include <vector>

#include "eddy/core/clock.h"
#include "eddy/core/status.h"
#include "eddy/runtime/source_driver.h"

namespace eddy::operators {

using runtime::ReadStatus;

/// A split and the position of its next record, as a checkpoint keeps it.
struct SplitState {
  std::string split;
  std::string position;
};

/// Where a split reader puts records.
template <typename T>
class ReaderOutput {
 public:
  virtual ~ReaderOutput() = default;
  virtual void collect(T value) = 0;
  /// With a timestamp from the source system (kept unless a TimestampAssigner is set).
  virtual void collect(T value, Timestamp timestamp) = 0;
};

/// Reads one split (a file, a byte range, a partition, a generator slice).
/// Thread: the task thread only.
template <typename T>
class SplitReader {
 public:
  virtual ~SplitReader() = default;
  virtual Status open() { return Status::ok(); }
  /// Emits up to `max_records` records; errors name the place (file:line) and cause.
  virtual Result<ReadStatus> pollNext(ReaderOutput<T>& output, int max_records) = 0;
  /// For kNothingAvailable: the processing time to poll again.
  virtual Timestamp nextAvailableTime() const { return 0; }
  /// Where this split is, for a checkpoint: the split's identity and the position of
  /// the next record to read (Flink's SourceSplit with its state).
  virtual Result<SplitState> snapshotSplit() const {
    return Status::unimplemented("this source's splits cannot be checkpointed");
  }
};

/// A source (Flink's Source): bounded or not, and its splits for a subtask.
template <typename T>
class Source {
 public:
  using OutputType = T;
  virtual ~Source() = default;
  virtual bool isBounded() const = 0;
  /// The readers for the splits owned by `subtask` of `parallelism`.
  virtual Result<std::vector<std::unique_ptr<SplitReader<T>>>> createReaders(int subtask, int parallelism,
                                                                             const Clock& clock) = 0;
  /// Readers that continue checkpointed splits where they stopped. The caller hands each
  /// subtask its share of all checkpointed splits (any earlier parallelism).
  virtual Result<std::vector<std::unique_ptr<SplitReader<T>>>> restoreReaders(const std::vector<SplitState>& splits,
                                                                              int parallelism, const Clock& clock) {
    (void)splits;
    (void)parallelism;
    (void)clock;
    return Status::unimplemented("this source cannot be restored from a checkpoint");
  }
};

}  // namespace eddy::operators
