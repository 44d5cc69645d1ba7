#pragma once

#include <memory>
#include <string>
#include <vector>

#include "eddy/operators/keyed_operator.h"
#include "eddy/runtime/internal_timer_service.h"
#include "eddy/sql/exec/join_operator.h"
#include "eddy/sql/exec/joined_rows.h"

namespace eddy::sql {

/// An event-time temporal join: each left row joins the version of the right
/// (versioned) table that was current at the left row's time. Keys are the equi-join
/// columns (which hold the versioned table's primary key).
struct TemporalJoinSpec : JoinSpec {
  int left_time = -1;   // The left rowtime column (FOR SYSTEM_TIME AS OF it).
  int right_time = -1;  // The versioned table's rowtime column.
};

/// Flink's TemporalRowTimeJoinOperator: per key, left rows wait in state until the
/// watermark passes their time; then each joins the right row with the latest time at
/// or before its own (none, or a deleted version: an inner join drops the row, a left
/// join pads it with nulls), rows in time order. Right rows are versions: an insert or
/// update-after is the version from its time on, a delete or update-before ends it.
/// Versions older than the newest one at or before the watermark are dropped.
/// Append-only out; the output keeps the left rowtime.
/// Thread: the task thread.
class TemporalJoinOperator final : public runtime::TwoInputStreamOperator<RecordBatch, RecordBatch, RecordBatch>,
                                   private operators::KeyedSupport<std::string, RecordBatch>,
                                   public runtime::Triggerable<std::string, int64_t> {
 public:
  explicit TemporalJoinOperator(TemporalJoinSpec spec);

  Status initializeState(std::vector<runtime::OperatorSnapshot> restored) override {
    return stashRestored(std::move(restored));
  }
  Result<runtime::OperatorSnapshot> snapshotState(int64_t id) override {
    return snapshotKeyed(id, {[&](std::vector<DataOutputView>& out) { return timers_->snapshotTimers(out); }});
  }
  void open() override;
  void processElement1(const runtime::StreamRecord<RecordBatch>& record) override;
  void processElement2(const runtime::StreamRecord<RecordBatch>& record) override;
  void processWatermark(runtime::Watermark wm) override;
  void onEventTime(const runtime::InternalTimer<std::string, int64_t>& t) override;
  void onProcessingTime(const runtime::InternalTimer<std::string, int64_t>&) override {}

 private:
  TemporalJoinSpec spec_;
  JoinInputColumns sides_[2];
  JoinedRows joined_;
  // Per key: left rows by time (appendBytes of encoded rows, in arrival order), and the
  // right versions by time (a kind byte, then the encoded row).
  state::MapState<int64_t, std::string>* left_ = nullptr;
  state::MapState<int64_t, std::string>* right_ = nullptr;
  std::unique_ptr<runtime::InternalTimerService<std::string, int64_t>> timers_;
};

}  // namespace eddy::sql
