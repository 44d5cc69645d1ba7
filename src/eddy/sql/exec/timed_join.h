#pragma once

#include <memory>
#include <string>
#include <vector>

#include "eddy/operators/keyed_operator.h"
#include "eddy/runtime/internal_timer_service.h"
#include "eddy/sql/exec/record_batch.h"

namespace eddy::sql {

/// What the joins that wait for the watermark share (interval, temporal and window
/// joins): keyed state under the join key, event-time timers (one namespace), and both
/// in every snapshot. Subclasses set the current key per row and fire in onEventTime.
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

 protected:
  TimedJoinOperator() : KeyedSupport([](const RecordBatch&) { return std::string(); }) {}

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
};

}  // namespace eddy::sql
