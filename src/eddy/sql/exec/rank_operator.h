#pragma once

#include <string>
#include <vector>

#include "eddy/operators/keyed_operator.h"
#include "eddy/sql/exec/record_batch.h"

namespace eddy::sql {

/// What a Top-N needs from the plan: ROW_NUMBER() OVER (PARTITION BY partition ORDER BY
/// order) filtered to ranks 1..limit.
struct RankSpec {
  std::vector<int> partition;
  std::vector<int> order;
  std::vector<bool> descending;  // Per ORDER BY column.
  int64_t limit = 1;
  bool output_rank_number = false;  // The query reads the row number (the last column).
  bool append_only_input = true;    // Rows beyond the limit can never come back.
  std::vector<LogicalType> input_types;
  int64_t state_ttl_ms = 0;  // table.exec.state.ttl: partitions not updated for this long expire.
};

/// Flink's Rank (Top-N) and Deduplicate: per partition key, the rows in ORDER BY order
/// (ties in arrival order), of which the first `limit` are the result. After each input
/// row the new top rows are compared with the ones emitted: without the row number a row
/// that left is retracted (-D) and one that entered is inserted (+I), in that order, as
/// Flink's AppendOnlyTopNFunction does; with the row number every rank whose row changed
/// is updated (-U old, +U new; +I / -D when the rank appears or goes). On an append-only
/// input only the top rows are kept; on a changelog every live row is (a retraction may
/// let a lower one in). NULLs sort first.
/// Output: the input columns, then the row number (BIGINT).
/// Thread: the task thread.
class RankOperator final : public runtime::OneInputStreamOperator<RecordBatch, RecordBatch>,
                           private operators::KeyedSupport<std::string, RecordBatch> {
 public:
  explicit RankOperator(RankSpec spec);

  Status initializeState(std::vector<runtime::OperatorSnapshot> restored) override {
    return stashRestored(std::move(restored));
  }
  Result<runtime::OperatorSnapshot> snapshotState(int64_t id) override { return snapshotKeyed(id, {}); }
  void open() override;
  void processElement(const runtime::StreamRecord<RecordBatch>& record) override;

 private:
  // One live row: its sort key (ORDER BY columns, order-preserving bytes, then the
  // arrival number for ties) and its columns (encodeKey of all of them).
  struct Entry {
    std::string sort_key;
    std::string row;
  };
  std::vector<Entry> load();
  void store(const std::vector<Entry>& rows);
  std::string sortKey(const RecordBatch& in, size_t r);
  void emit(const std::string& row, int64_t rank, RowKind kind);

  RankSpec spec_;
  std::vector<int> all_columns_;
  std::vector<LogicalType> partition_types_;
  state::ValueState<std::string>* rows_ = nullptr;
  state::ValueState<int64_t>* arrivals_ = nullptr;  // Per key: the next arrival number.
  RecordBatch out_;
};

}  // namespace eddy::sql
