#pragma once

#include <memory>
#include <string>
#include <vector>

#include "eddy/sql/exec/join_operator.h"
#include "eddy/sql/exec/joined_rows.h"
#include "eddy/sql/exec/timed_join.h"

namespace eddy::sql {

/// An event-time interval join: rows of both sides join when their keys are equal, the
/// residual condition holds and `right.time + lower <= left.time <= right.time + upper`
/// (Flink's windowBounds, strict bounds already made inclusive). With `proctime` the
/// times are the processing times the rows arrive at the join (Flink's
/// ProcTimeIntervalJoin), not a column's.
/// The condition holds the rest of the join condition (state_ttl_ms is not used: the
/// watermark cleans the state).
struct IntervalJoinSpec : JoinSpec {
  int left_time = -1, right_time = -1;  // The rowtime columns the bounds compare.
  int64_t lower = 0, upper = 0;
  bool proctime = false;
  /// How far the output's watermark trails the input's: a row may still join with a row
  /// of the other side that far behind it (Flink's getMaxOutputDelay).
  int64_t watermarkDelay() const { return std::max(-lower, upper); }
};

/// Flink's RowTimeIntervalJoin: both sides keep their rows in keyed state by time until
/// the watermark shows no row of the other side can join them any more; then they are
/// dropped, and an outer side's row that never joined is emitted padded with nulls.
/// Append-only in and out; the output keeps both rowtime columns, and its watermark is
/// the input's less watermarkDelay(), so that downstream windows see no late rows.
/// Cleanup follows Flink's timers (one pending per key and side) and expiration times,
/// so padded rows come out when Flink's would.
/// Over processing time the operator's time is the clock's: cleanup timers are
/// processing-time timers, watermarks pass unchanged, and at the end of a bounded input
/// the rows still waiting are dropped (an outer side's unjoined ones unpadded), as Flink
/// quiesces processing-time timers then.
/// Thread: the task thread.
class IntervalJoinOperator final : public TimedJoinOperator {
 public:
  explicit IntervalJoinOperator(IntervalJoinSpec spec);

  void open() override;
  void processWatermark(runtime::Watermark wm) override;
  void onEventTime(const runtime::InternalTimer<std::string, int64_t>& t) override { cleanUp(t.timestamp); }
  void onProcessingTime(const runtime::InternalTimer<std::string, int64_t>& t) override {
    cleanUp(t.timestamp);
    flushJoined();
  }

 private:
  struct Side : JoinInputColumns {
    int time = -1;
    bool outer = false;
    int64_t relative_size = 0;  // How far the other side's rows may lie ahead of this side's.
    int64_t expiration = 0;     // Rows at or before this time are gone (Flink: not per key).
    // time -> the rows at that time, each appendBytes(encoded row) + a joined flag byte.
    state::MapState<int64_t, std::string>* cache = nullptr;
    state::ValueState<int64_t>* cleanup_timer = nullptr;  // The pending timer that cleans `cache`.
  };

  void process(const RecordBatch& in, int side) override;
  // The watermark (the processing time, over processing time) as Flink's operator time:
  // never below 0.
  int64_t operatorTime() const;
  // The cleanup timer at `at` fired: each side whose timer it is drops what expired.
  void cleanUp(int64_t at);
  static int64_t expirationTime(int64_t operator_time, int64_t relative_size);
  void registerCleanup(int side, int64_t row_time);
  // Drops side `side`'s rows at or before `expiration` (padding unjoined outer rows) and
  // re-arms its cleanup timer for the earliest row left.
  void removeExpired(int side, int64_t expiration);

  IntervalJoinSpec spec_;
  Side sides_[2];
  int64_t min_cleanup_interval_ = 0;
};

}  // namespace eddy::sql
