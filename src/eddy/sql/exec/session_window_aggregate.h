#pragma once

#include <memory>
#include <string>
#include <vector>

#include "eddy/sql/exec/aggregates.h"
#include "eddy/sql/exec/keyed_timers.h"

namespace eddy::sql {

/// Flink's session window aggregation (the SESSION TVF and the legacy GROUP BY
/// SESSION(ts, gap)). Each row arrives with its own window [ts, ts + gap) (from the
/// window table function); per partition key (the TVF's PARTITION BY columns; the group
/// keys for a legacy group window; none: one global session), windows that intersect
/// (touching counts, as Flink's TimeWindow.intersects) merge into one session. A session
/// fires when the watermark passes its end - 1: one +I per group key among its rows.
/// A row whose merged session has already ended by the watermark is late and dropped.
/// Open sessions keep their rows (group keys and aggregate arguments) rather than
/// accumulators, so merging needs no merge function; aggregates are computed on firing,
/// over the session's rows in arrival order. A session is only its bounds; its key's
/// rows are one list, each with its own window's start, so merging moves no rows and
/// adding one costs the row (keeping them in the session made a long session quadratic).
/// A processing-time session (`proctime`: each row's window starts at its processing
/// time) fires instead when the processing time reaches its end - 1, and drops no row
/// as late; at the end of a bounded input its open sessions are dropped, as Flink
/// quiesces processing-time timers then.
/// Append-only in and out.
/// Output: group key columns, window_start, window_end, window_time (end - 1), aggregates.
/// As the SESSION window table function on its own (`sessionRows`; Flink's unaligned
/// window table function, which window joins and window Top-N then read), it emits
/// instead each row of a fired session in arrival order: the input's columns with
/// window_start, window_end and window_time set to the session's.
/// Thread: the task thread.
class SessionWindowAggregateOperator final
    : public runtime::OneInputStreamOperator<RecordBatch, RecordBatch>,
      private KeyedTimersSupport,
      public runtime::Triggerable<std::string, int64_t> {
 public:
  SessionWindowAggregateOperator(std::vector<int> keys, std::vector<int> partition_keys, int start_col, int end_col,
                                 std::vector<AggregateCall> aggs, const std::vector<LogicalType>& input_types,
                                 std::vector<LogicalType> output_types, std::shared_ptr<const TimeZone> zone = nullptr,
                                 bool proctime = false);
  /// The SESSION table function: rows of `types` (their last three columns the row's
  /// own window_start, window_end, window_time) come out with their session's.
  static std::unique_ptr<SessionWindowAggregateOperator> sessionRows(std::vector<int> partition_keys,
                                                                     const std::vector<LogicalType>& types,
                                                                     std::shared_ptr<const TimeZone> zone, bool proctime);

  Status initializeState(std::vector<runtime::OperatorSnapshot> restored) override {
    return stashRestored(std::move(restored));
  }
  Result<runtime::OperatorSnapshot> snapshotState(int64_t id) override {
    return snapshotWithTimers(id);
  }
  void open() override;
  void processElement(const runtime::StreamRecord<RecordBatch>& record) override;
  void processWatermark(runtime::Watermark wm) override {
    timers_->advanceWatermark(wm.timestamp);
    flush();
    emitWatermark(wm);
  }
  void finish() override { flush(); }
  void onEventTime(const runtime::InternalTimer<std::string, int64_t>& t) override { fire(t.ns); }
  void onProcessingTime(const runtime::InternalTimer<std::string, int64_t>& t) override {
    fire(t.ns);
    flush();
  }

 private:
  // Emits the current key's session ending at `end` (unless it merged into another).
  void fire(int64_t end);
  // Appends a fired session's row: its stored value columns, then the session's window.
  void emitRow(const std::vector<Value>& values, int64_t start, int64_t end);
  void flush();

  // Plan.
  std::vector<int> keys_;
  std::vector<LogicalType> key_types_;
  std::vector<int> partition_keys_;
  std::vector<LogicalType> partition_types_;
  int start_col_;
  int end_col_;
  std::shared_ptr<const TimeZone> zone_;  // WindowSpec::zone: sessions on its wall clock.
  bool proctime_;
  bool rows_out_ = false;  // sessionRows: the rows themselves, not aggregates.
  std::vector<AggregateCall> aggs_;
  // Per row of a session: its group key bytes, then these columns' bytes (the distinct
  // aggregate arguments and FILTER columns).
  std::vector<int> value_cols_;
  std::vector<LogicalType> value_types_;
  std::vector<LogicalType> output_types_;
  // Checkpointed state, per key: session end -> session start, a timer per session end;
  // and the rows, each the start of its own window (8 bytes, which puts it in exactly
  // one session), then appendBytes of its group key and of its value columns.
  state::MapState<int64_t, int64_t>* sessions_ = nullptr;
  state::ListState<std::string>* rows_ = nullptr;
  // Transient state: rows of fired sessions not yet emitted.
  RecordBatch out_;
};

}  // namespace eddy::sql
