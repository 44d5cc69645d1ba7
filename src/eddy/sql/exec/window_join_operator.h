#pragma once

#include <memory>
#include <string>
#include <vector>

#include "eddy/core/time_zone.h"
#include "eddy/sql/exec/join_operator.h"
#include "eddy/sql/exec/joined_rows.h"
#include "eddy/sql/exec/timed_join.h"

namespace eddy::sql {

/// A window join: both inputs carry the same windows (window_start, window_end among
/// the keys), joined window by window.
struct WindowJoinSpec : JoinSpec {
  int left_end = -1, right_end = -1;  // Each input's window_end column.
  std::shared_ptr<const TimeZone> window_zone;  // The windows' WindowSpec::zone.
};

/// Flink's WindowJoinOperator: per key and window both sides' rows wait in state until
/// the watermark passes the window's end - 1; then the window's rows are joined (pairs
/// that pass the condition; for an outer side, each row that joined none padded with
/// nulls), emitted once (+I), and the window forgotten; a semi (anti) join emits each
/// left row that has a match (none), once. A row whose window has already fired is late
/// and dropped. Append-only in and out.
/// Thread: the task thread.
class WindowJoinOperator final : public TimedJoinOperator {
 public:
  explicit WindowJoinOperator(WindowJoinSpec spec);

  void open() override;
  void onEventTime(const runtime::InternalTimer<std::string, int64_t>& t) override;

 private:
  void process(const RecordBatch& in, int side) override;

  WindowJoinSpec spec_;
  JoinInputColumns sides_[2];
  int end_col_[2];
  bool outer_[2];
  // Per key (which holds the window): each side's rows, encoded (a list: appending a
  // row costs the row, not the window's rows so far).
  state::ListState<std::string>* rows_[2] = {nullptr, nullptr};
};

}  // namespace eddy::sql
