#pragma once

#include <optional>
#include <vector>

#include "eddy/sql/exec/final_rows_operator.h"
#include "eddy/sql/exec/over_aggregate.h"
#include "eddy/sql/exec/rank_operator.h"

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
/// frame only NULLs. LAG and LEAD take the value `offset` rows before / after the
/// current one, whatever the frame. With `rank` set the rows get that number instead
/// of aggregates: ROW_NUMBER, RANK or DENSE_RANK, without a filter on it. Output: the
/// input columns, then one column per aggregate (or the rank number, BIGINT).
/// Watermarks are held back; the last one follows the rows.
/// Runs behind a partition-key exchange; its snapshot holds the collected rows.
/// Thread: the task thread.
class BatchOverAggregateOperator final : public FinalRowsOperator {
 public:
  explicit BatchOverAggregateOperator(OverSpec spec,
                                      std::optional<RankSpec::Function> rank = std::nullopt);

 protected:
  void emitFinal(const RecordBatch& all) override;

 private:
  // Appends the rows of one partition (indexes into `all`, sorted) with their results.
  void evaluate(const RecordBatch& all, const std::vector<uint32_t>& rows,
                const std::vector<std::string>& keys);
  void append(const RecordBatch& all, uint32_t row, const std::vector<Value>& results);

  OverSpec spec_;
  std::optional<RankSpec::Function> rank_;
  std::vector<LogicalType> output_types_;
  RecordBatch out_;
};

}  // namespace eddy::sql
