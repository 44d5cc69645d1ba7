#pragma once

#include <memory>
#include <string>
#include <vector>

#include "eddy/sql/exec/aggregates.h"
#include "eddy/sql/exec/final_rows.h"
#include "eddy/sql/exec/keyed_timers.h"
#include "eddy/sql/exec/pending_rows.h"

namespace eddy::sql {

/// An OVER window: PARTITION BY `partition` ORDER BY the rowtime column `time_col`,
/// ROWS or RANGE from `preceding` (rows, or milliseconds) or UNBOUNDED PRECEDING to the
/// current row, and the aggregates computed over it.
struct OverSpec {
  std::vector<int> partition;
  int time_col = -1;
  bool rows = false;
  bool unbounded = true;
  int64_t preceding = 0;
  std::vector<AggregateCall> aggs;
  std::vector<LogicalType> input_types;
  bool proctime = false;  // ORDER BY a processing-time attribute.
  // Batch mode (BatchOverAggregateOperator): ORDER BY any columns, time_col unused;
  // the frame may start at the current row and end after it: `following` rows (or, for
  // RANGE, that much above the ORDER BY value), or at the partition's end. A negative
  // `preceding` starts the frame after the current row, a negative `following` ends it
  // before.
  SortKeys order;
  bool current_start = false;
  bool unbounded_following = false;
  int64_t following = 0;
};

/// Flink's event-time OVER aggregation (RowTimeRowsBoundedPrecedingFunction and its
/// RANGE / unbounded siblings): rows wait in keyed state until the watermark passes
/// their time, then each is emitted once (+I) with the aggregates over its frame, in
/// time order. RANGE frames include every row of the same time (peers); ROWS frames
/// take rows of the same time in arrival order. A row at or below the watermark when
/// it arrives is late and dropped, as in Flink. Append-only in and out.
/// Ordered by a processing-time attribute (Flink's ProcTime*Over functions) rows are
/// in time order as they arrive: each is emitted at once, its frame the rows before it
/// (RANGE: within `preceding` ms of its processing time, the rows of its batch with the
/// same time as peers). Nothing is late.
/// Output: the input columns, then one column per aggregate.
/// Thread: the task thread.
class OverAggregateOperator final : public runtime::OneInputStreamOperator<RecordBatch, RecordBatch>,
                                    private KeyedTimersSupport,
                                    public runtime::Triggerable<std::string, int64_t> {
 public:
  explicit OverAggregateOperator(OverSpec spec);

  Status initializeState(std::vector<runtime::OperatorSnapshot> restored) override {
    return stashRestored(std::move(restored));
  }
  Result<runtime::OperatorSnapshot> snapshotState(int64_t id) override {
    return snapshotWithTimers(id);
  }
  void open() override;
  void processElement(const runtime::StreamRecord<RecordBatch>& record) override;
  void processWatermark(runtime::Watermark wm) override;
  void onEventTime(const runtime::InternalTimer<std::string, int64_t>& t) override;
  void onProcessingTime(const runtime::InternalTimer<std::string, int64_t>&) override {}

 private:
  // Emits `rows` (encoded, all of the current key and time `ts`) with their frames'
  // aggregates, updating the key's accumulators and frame.
  void evaluate(int64_t ts, const std::vector<std::string>& rows);
  void flush();

  OverSpec spec_;
  std::vector<int> all_columns_;
  std::vector<LogicalType> partition_types_;
  std::vector<LogicalType> output_types_;
  // Checkpointed state, per partition key: rows waiting for the watermark (time ->
  // length-prefixed encoded rows), the accumulators, and for a bounded frame the rows
  // in it (time + encoded row, oldest first); a timer per waiting time.
  PendingRows pending_{nullptr};
  state::ValueState<std::string>* accs_ = nullptr;
  state::ValueState<std::string>* frame_ = nullptr;
  RecordBatch out_;
};

}  // namespace eddy::sql
