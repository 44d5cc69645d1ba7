#pragma once

#include <vector>

#include "eddy/sql/planner/plan.h"

namespace eddy::sql {

/// Rewrites a plan as Flink's optimizer would before it runs, keeping its results:
/// a Calc over a Calc becomes one Calc (projections substituted, filters applied in
/// turn), and a Calc over a table scan pushes its projection into the scan, so the
/// connector reads only the columns the query uses. Shared subplans (a view or CTE used
/// twice) stay shared. A window TVF under a window aggregation is fused into it. Nodes
/// are copied, never changed in place.
/// Choices the session's options make (Flink's table.optimizer.*).
struct OptimizerOptions {
  /// A mini-batch and agg-phase-strategy AUTO or TWO_PHASE: a GROUP BY over an
  /// insert-only input whose aggregates all merge runs in two phases.
  bool two_phase = false;
  /// table.optimizer.distinct-agg.split.enabled / .bucket-num: a GROUP BY with DISTINCT
  /// aggregates runs as a partial aggregation per key and bucket of the distinct value,
  /// then a final one per key.
  bool distinct_split = false;
  int64_t distinct_buckets = 1024;
  /// execution.runtime-mode = batch: the query's result is its final rows (ORDER BY may
  /// sort on any column, OFFSET may skip rows), not a changelog.
  bool batch = false;
};
PlanPtr optimize(const PlanPtr& plan, const OptimizerOptions& options = {});

/// The columns of its input a Calc reads (projections and filter).
std::vector<bool> readColumns(const PlanNode& calc);

/// A Calc over `input` that outputs the columns marked in `keep`, in order (its mode and
/// rowtime follow the input's).
PlanPtr keepColumns(const PlanPtr& input, const std::vector<bool>& keep);

}  // namespace eddy::sql
