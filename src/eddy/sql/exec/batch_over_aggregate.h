#pragma once

#include <vector>

#include "eddy/sql/exec/final_rows_operator.h"
#include "eddy/sql/exec/over_aggregate.h"

namespace eddy::sql {

/// Flink's batch OverAggregate (execution.runtime-mode = batch): the input changelog is
/// collected (FinalRows) and, when the input ends, each partition's rows are sorted by
/// `spec.order` (any columns; ties in arrival order) and emitted once (+I), in that
/// order, with the aggregates over their frames. A frame starts at the partition's
/// start (UNBOUNDED PRECEDING), `preceding` rows before the current one, the current
/// row, or (RANGE) `preceding` below the first ORDER BY column's value (a time in ms or
/// an integer; above it when descending); it ends at the current row (RANGE: its last
/// peer, an equal ORDER BY value; without an ORDER BY every row is a peer), `following`
/// rows (or that amount) after it, or at the partition's end. NULL ORDER BY values
/// frame only NULLs. The window functions ignore the frame: LAG and LEAD take the value
/// `offset` rows before / after the current one; ROW_NUMBER, RANK, DENSE_RANK,
/// PERCENT_RANK ((rank - 1) / (rows - 1)), CUME_DIST (rows up to the last peer / rows)
/// and NTILE(n) (n buckets of consecutive rows, the first rows % n one row larger)
/// number the row among its partition's. Partitions come out in the order of their
/// PARTITION BY values (ascending, NULL first), as after Flink's sort. Output: the
/// input columns, then one column per aggregate.
/// Watermarks are held back; the last one follows the rows.
/// Runs behind a partition-key exchange; its snapshot holds the collected rows.
/// Thread: the task thread.
class BatchOverAggregateOperator final : public FinalRowsOperator {
 public:
  explicit BatchOverAggregateOperator(OverSpec spec);

 protected:
  void emitFinal(const RecordBatch& all) override;

 private:
  // Appends the rows of one partition (indexes into `all`, sorted) with their results.
  void evaluate(const RecordBatch& all, const std::vector<uint32_t>& rows,
                const std::vector<std::string>& keys);
  void append(const RecordBatch& all, uint32_t row, const std::vector<Value>& results);

  OverSpec spec_;
  std::vector<LogicalType> output_types_;
  RecordBatch out_;
};

}  // namespace eddy::sql
