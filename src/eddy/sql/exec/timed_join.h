#pragma once

#include <memory>
#include <string>
#include <vector>

#include "eddy/sql/exec/join_operator.h"
#include "eddy/sql/exec/joined_rows.h"
#include "eddy/sql/exec/keyed_timers.h"

namespace eddy::sql {

/// What the joins that wait for the watermark share (interval, temporal and window
/// joins): keyed state under the join key, event-time timers (one namespace), both in
/// every snapshot, and the joined rows they build. Both inputs' batches go to
/// process(batch, side); subclasses set the current key per row and fire in
/// onEventTime. The joined rows go out before each watermark is passed on.
/// Thread: the task thread.
class TimedJoinOperator : public runtime::TwoInputStreamOperator<RecordBatch, RecordBatch, RecordBatch>,
                          protected KeyedTimersSupport,
                          public runtime::Triggerable<std::string, int64_t> {
 public:
  Status initializeState(std::vector<runtime::OperatorSnapshot> restored) override {
    return stashRestored(std::move(restored));
  }
  Result<runtime::OperatorSnapshot> snapshotState(int64_t id) override {
    return snapshotWithTimers(id);
  }
  void onProcessingTime(const runtime::InternalTimer<std::string, int64_t>&) override {}
  void processElement1(const runtime::StreamRecord<RecordBatch>& record) final { process(record.value, 0); }
  void processElement2(const runtime::StreamRecord<RecordBatch>& record) final { process(record.value, 1); }
  void processWatermark(runtime::Watermark wm) override {
    timers_->advanceWatermark(wm.timestamp);
    flushJoined();
    emitWatermark(wm);
  }

 protected:
  explicit TimedJoinOperator(const JoinSpec& spec)
      : joined_(spec.left_types, spec.right_types, spec.condition) {}

  /// The rows of batch `in` of input `side` (0 left, 1 right).
  virtual void process(const RecordBatch& in, int side) = 0;
  /// Sends the joined rows built so far, if any.
  void flushJoined() {
    if (!joined_.empty()) output().collect(runtime::StreamRecord<RecordBatch>{joined_.take(), runtime::kNoTimestamp});
  }

  JoinedRows joined_;
};

}  // namespace eddy::sql
