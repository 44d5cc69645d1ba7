#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "eddy/core/time_zone.h"
#include "eddy/sql/exec/final_rows.h"
#include "eddy/sql/exec/keyed_timers.h"
#include "eddy/sql/exec/record_batch.h"

namespace eddy::sql {

/// What a Top-N needs from the plan: ROW_NUMBER() OVER (PARTITION BY partition ORDER BY
/// order) filtered to ranks 1..limit.
struct RankSpec : SortKeys {
  std::vector<int> partition;
  int64_t limit = 1;
  bool output_rank_number = false;  // The query reads the row number (the last column).
  bool append_only_input = true;    // Rows beyond the limit can never come back.
  std::vector<LogicalType> input_types;
  int64_t state_ttl_ms = 0;  // table.exec.state.ttl: partitions not updated for this long expire.
  bool order_by_time = false;  // ORDER BY one time attribute (rowtime or proctime).
  // Window Top-N / deduplication (partitioned by a window's start and end): the input
  // column holding the window end; a partition's rows wait until the watermark reaches
  // its end - 1, then its top rows are emitted once (+I). -1: a regular Top-N.
  int window_end = -1;
  std::shared_ptr<const TimeZone> window_zone;  // The window's WindowSpec::zone.
  // ROW_NUMBER() numbers rows; RANK() gives equal ORDER BY values one rank and skips
  // after them; DENSE_RANK() does not skip. The result is the rows ranked <= limit.
  enum class Function { kRowNumber, kRank, kDenseRank };
  Function function = Function::kRowNumber;

  /// Flink plans the first row by a time attribute, without the row number, as
  /// Deduplicate rather than Rank: a changed row is an update (-U/+U), and keeping the
  /// last row, of rows with the same time the last to arrive wins. Elsewhere ties rank
  /// in arrival order.
  bool deduplicate() const {
    return function == Function::kRowNumber && order_by_time && limit == 1 && !output_rank_number && window_end < 0;
  }
  bool keepsLastRow() const { return function == Function::kRowNumber && order_by_time && limit == 1 && descending[0]; }
};

/// Flink's Rank (Top-N) and Deduplicate: per partition key, the rows in ORDER BY order
/// (ties in arrival order), of which the first `limit` are the result. After each input
/// row the new top rows are compared with the ones emitted: without the row number a row
/// that left is retracted (-D) and one that entered is inserted (+I), in that order, as
/// Flink's AppendOnlyTopNFunction does; with the row number every rank whose row changed
/// is updated (-U old, +U new; +I / -D when the rank appears or goes). On an append-only
/// input only the top rows are kept; on a changelog every live row is (a retraction may
/// let a lower one in). NULLs sort as SortKeys::nullsFirst says.
/// With `window_end` set it is Flink's WindowRank: append-only in and out, each
/// window's top rows emitted when the watermark fires the window, rows of a fired window
/// dropped as late, and the window's state gone after it fires.
/// Output: the input columns, then the row number (BIGINT).
/// Thread: the task thread.
class RankOperator final : public runtime::OneInputStreamOperator<RecordBatch, RecordBatch>,
                           private KeyedTimersSupport,
                           public runtime::Triggerable<std::string, int64_t> {
 public:
  explicit RankOperator(RankSpec spec);

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
  // One live row: its sort key (ORDER BY columns, order-preserving bytes, then the
  // arrival number for ties) and its columns (encodeKey of all of them).
  struct Entry {
    std::string sort_key;
    std::string row;
  };
  std::vector<Entry> load();
  void store(const std::vector<Entry>& rows);
  // The rows of the result among `rows` (sorted): each with its rank, best first.
  std::vector<std::pair<const Entry*, int64_t>> top(const std::vector<Entry>& rows) const;
  std::string sortKey(const RecordBatch& in, size_t r);
  // Whether row `r` of `in` is an insert that the current key's full top rows rank out
  // at once, so that nothing changes (most rows of a Top-N over a long stream).
  bool ranksBelowAFullTop(const RecordBatch& in, size_t r);
  // `sort` followed by the next arrival number, which orders ties.
  std::string withArrival(std::string sort);
  void emit(const std::string& row, int64_t rank, RowKind kind);
  // Window mode: keeps the row in its window's top rows; emits nothing.
  void buffer(const RecordBatch& in, size_t r, const std::string& row);
  void flush();

  RankSpec spec_;
  std::vector<int> all_columns_;
  std::vector<LogicalType> partition_types_;
  state::ValueState<std::string>* rows_ = nullptr;
  state::ValueState<int64_t>* arrivals_ = nullptr;  // Per key: the next arrival number.
  std::vector<LogicalType> output_types_;
  RecordBatch out_;
};

}  // namespace eddy::sql
