#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "eddy/runtime/stream_operator.h"
#include "eddy/sql/exec/record_batch.h"

namespace eddy::sql {

/// What a batch-mode sort needs from the plan: ORDER BY columns (none: the rows in
/// the order they first arrived), then OFFSET and FETCH (LIMIT).
struct SortSpec {
  std::vector<int> order;
  std::vector<bool> descending;                 // Per ORDER BY column.
  std::vector<std::optional<bool>> nulls_first;  // Per column; unset: Flink's default.
  int64_t offset = 0;
  int64_t fetch = -1;  // -1: every row after the offset.
  std::vector<LogicalType> input_types;

  /// NULLs are the lowest values in Flink (first ascending, last descending) unless the
  /// ORDER BY says NULLS FIRST / LAST.
  bool nullsFirst(size_t k) const {
    return k < nulls_first.size() && nulls_first[k] ? *nulls_first[k] : !descending[k];
  }
};

/// Batch execution's final rows (execution.runtime-mode = batch), as Flink's batch
/// Sort / SortLimit / Limit give them: the input changelog is applied to a multiset of
/// rows (+I/+U add a row, -U/-D take one away), and when the input ends the rows left
/// are emitted as inserts, sorted by `order` (ties, and all rows without an ORDER BY, in
/// the order they first arrived), after skipping `offset` and up to `fetch`. So an
/// updating query reaches a batch sink as the inserts of its final result.
/// Runs at parallelism 1. Its snapshot holds the multiset (non-keyed operator state).
/// Thread: the task thread.
class BatchSortOperator final : public runtime::OneInputStreamOperator<RecordBatch, RecordBatch> {
 public:
  explicit BatchSortOperator(SortSpec spec);

  Status initializeState(std::vector<runtime::OperatorSnapshot> restored) override;
  Result<runtime::OperatorSnapshot> snapshotState(int64_t checkpoint_id) override;
  void processElement(const runtime::StreamRecord<RecordBatch>& record) override;
  /// Watermarks are held back: the rows come out at the end, before the last one.
  void processWatermark(runtime::Watermark wm) override;
  void finish() override;

 private:
  struct Live {
    int64_t count = 0;   // Inserts minus retractions (below 0 while a retraction overtakes).
    uint64_t first = 0;  // Arrival number of the row's first insert.
  };
  void add(std::string row, int64_t delta);

  SortSpec spec_;
  std::vector<int> all_columns_;
  std::unordered_map<std::string, Live> rows_;  // encodeKey of all columns -> its count.
  uint64_t arrivals_ = 0;
  std::optional<runtime::Watermark> held_;
};

}  // namespace eddy::sql
