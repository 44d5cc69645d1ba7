#pragma once

#include <memory>
#include <string>
#include <vector>

#include "eddy/sql/exec/join_operator.h"
#include "eddy/sql/exec/joined_rows.h"
#include "eddy/sql/exec/timed_join.h"

namespace eddy::sql {

/// An event-time temporal join: each left row joins the version of the right
/// (versioned) table that was current at the left row's time. Keys are the equi-join
/// columns (which hold the versioned table's primary key).
struct TemporalJoinSpec : JoinSpec {
  int left_time = -1;   // The left rowtime column (FOR SYSTEM_TIME AS OF it).
  int right_time = -1;  // The versioned table's rowtime column.
  bool upsert_right = false;  // Update-befores of the right side are ignored (a versioned view).
};

/// Flink's TemporalRowTimeJoinOperator: per key, left rows wait in state until the
/// watermark passes their time; then each joins the right row with the latest time at
/// or before its own (none, or a deleted version: an inner join drops the row, a left
/// join pads it with nulls), rows in time order. Right rows are versions: an insert or
/// update-after is the version from its time on, a delete or update-before ends it
/// (but for a versioned view, `upsert_right`, where an update-before is ignored).
/// Versions older than the newest one at or before the watermark are dropped.
/// Append-only out; the output keeps the left rowtime.
/// Thread: the task thread.
class TemporalJoinOperator final : public TimedJoinOperator {
 public:
  explicit TemporalJoinOperator(TemporalJoinSpec spec);

  void open() override;
  void onEventTime(const runtime::InternalTimer<std::string, int64_t>& t) override;

 private:
  void process(const RecordBatch& in, int side) override;
  // A left row waits for the watermark; a right row is a version.
  void addLeft(const RecordBatch& in);
  void addRight(const RecordBatch& in);

  TemporalJoinSpec spec_;
  JoinInputColumns sides_[2];
  // Per key: left rows by time (appendBytes of encoded rows, in arrival order), and the
  // right versions by time (a kind byte, then the encoded row).
  state::MapState<int64_t, std::string>* left_ = nullptr;
  state::MapState<int64_t, std::string>* right_ = nullptr;
};

}  // namespace eddy::sql
