#pragma once

#include <memory>
#include <string>
#include <vector>

#include "eddy/operators/keyed_operator.h"
#include "eddy/runtime/internal_timer_service.h"
#include "eddy/sql/exec/join_operator.h"
#include "eddy/sql/exec/joined_rows.h"

namespace eddy::sql {

/// What the joins that wait for the watermark share (interval, temporal and window
/// joins): keyed state under the join key, event-time timers (one namespace), both in
/// every snapshot, and the joined rows they build. Both inputs' batches go to
/// process(batch, side); subclasses set the current key per row and fire in
/// onEventTime. The joined rows go out before each watermark is passed on.
/// Thread: the task thread.
class TimedJoinOperator : public runtime::TwoInputStreamOperator<RecordBatch, RecordBatch, RecordBatch>,
                          protected operators::KeyedSupport<std::string, RecordBatch>,
                          public runtime::Triggerable<std::string, int64_t> {
 public:
  Status initializeState(std::vector<runtime::OperatorSnapshot> restored) override {
    return stashRestored(std::move(restored));
  }
  Result<runtime::OperatorSnapshot> snapshotState(int64_t id) override {
    return snapshotKeyed(id, {[&](std::vector<DataOutputView>& out) { return timers_->snapshotTimers(out); }});
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
      : KeyedSupport([](const RecordBatch&) { return std::string(); }),
        joined_(spec.left_types, spec.right_types, spec.condition) {}

  /// The rows of batch `in` of input `side` (0 left, 1 right).
  virtual void process(const RecordBatch& in, int side) = 0;
  /// Sends the joined rows built so far, if any.
  void flushJoined() {
    if (!joined_.empty()) output().collect(runtime::StreamRecord<RecordBatch>{joined_.take(), runtime::kNoTimestamp});
  }

  /// Opens the keyed backend and the timers, both restored from the snapshot if any;
  /// the subclass's open() then gets its states.
  void openKeyedState() {
    openBackend(context());
    timers_ = std::make_unique<runtime::InternalTimerService<std::string, int64_t>>(&backend(),
                                                                                    context().processing_time, this);
    restorePart(1, [&](DataInputView& in) { return timers_->restoreTimers(in); });
    dropRestored();
  }

  std::unique_ptr<runtime::InternalTimerService<std::string, int64_t>> timers_;
  JoinedRows joined_;
};

}  // namespace eddy::sql
