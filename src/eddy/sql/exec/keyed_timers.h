#pragma once

#include <memory>
#include <string>
#include <vector>

#include "eddy/operators/keyed_operator.h"
#include "eddy/runtime/internal_timer_service.h"
#include "eddy/sql/exec/record_batch.h"

namespace eddy::sql {

/// What the SQL's keyed, timed operators share: the keyed backend over the encoded
/// key (the operator sets the key per row itself, so the selector is unused) and timers
/// whose namespace is a time (a window's end, a row's time), both restored from and
/// written to the operator's snapshot: the tables, then the timers.
class KeyedTimersSupport : protected operators::KeyedSupport<std::string, RecordBatch> {
 protected:
  using Timers = runtime::InternalTimerService<std::string, int64_t>;

  KeyedTimersSupport() : KeyedSupport([](const RecordBatch&) { return std::string(); }) {}

  /// Opens the backend and the timers firing on `target`, both restored from what
  /// initializeState stashed; returns whether there was a snapshot to restore.
  bool openKeyedTimers(const runtime::OperatorContext& ctx, runtime::Triggerable<std::string, int64_t>* target) {
    openBackend(ctx);
    timers_ = std::make_unique<Timers>(&backend(), ctx.processing_time, target);
    restorePart(1, [&](DataInputView& in) { return timers_->restoreTimers(in); });
    const bool restored = restoring();
    dropRestored();
    return restored;
  }
  /// The keyed state and the timers.
  Result<runtime::OperatorSnapshot> snapshotWithTimers(int64_t checkpoint_id) const {
    return snapshotKeyed(checkpoint_id,
                         {[&](std::vector<DataOutputView>& out) { return timers_->snapshotTimers(out); }});
  }

  std::unique_ptr<Timers> timers_;
};

}  // namespace eddy::sql
