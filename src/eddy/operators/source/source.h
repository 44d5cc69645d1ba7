#pragma once

#include <memory>
#include <vector>

#include "eddy/core/clock.h"
#include "eddy/core/status.h"
#include "eddy/runtime/source_driver.h"

namespace eddy::operators {

using runtime::ReadStatus;

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
};

}  // namespace eddy::operators
