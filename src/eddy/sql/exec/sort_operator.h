#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "eddy/sql/exec/final_rows_operator.h"

namespace eddy::sql {

/// What a batch-mode sort needs from the plan: ORDER BY columns (none: the rows in
/// the order they first arrived), then OFFSET and FETCH (LIMIT).
struct SortSpec : SortKeys {
  int64_t offset = 0;
  int64_t fetch = -1;  // -1: every row after the offset.
  std::vector<LogicalType> input_types;
};

/// Batch execution's final rows (execution.runtime-mode = batch), as Flink's batch
/// Sort / SortLimit / Limit give them: the input changelog is applied (FinalRows), and
/// when the input ends the rows left are emitted as inserts, sorted by `order` (ties,
/// and all rows without an ORDER BY, in the order they first arrived), after skipping
/// `offset` and up to `fetch`. So an updating query reaches a batch sink as the inserts
/// of its final result. Watermarks are held back and the last one follows the rows.
/// Runs at parallelism 1. Its snapshot holds the collected rows (operator state).
/// Thread: the task thread.
class BatchSortOperator final : public FinalRowsOperator {
 public:
  explicit BatchSortOperator(SortSpec spec)
      : FinalRowsOperator(spec.input_types), spec_(std::move(spec)) {}

 protected:
  void emitFinal(const RecordBatch& rows) override;

 private:
  SortSpec spec_;
};

}  // namespace eddy::sql
