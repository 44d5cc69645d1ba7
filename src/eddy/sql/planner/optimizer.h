#pragma once

#include <vector>

#include "eddy/sql/planner/plan.h"

namespace eddy::sql {

/// Rewrites a plan as Flink's optimizer would before it runs, keeping its results:
/// a Calc over a Calc becomes one Calc (projections substituted, filters applied in
/// turn), and a Calc over a table scan pushes its projection into the scan, so the
/// connector reads only the columns the query uses. Shared subplans (a view or CTE used
/// twice) stay shared. Nodes are copied, never changed in place.
PlanPtr optimize(const PlanPtr& plan);

/// The columns of its input a Calc reads (projections and filter).
std::vector<bool> readColumns(const PlanNode& calc);

/// A Calc over `input` that outputs the columns marked in `keep`, in order (its mode and
/// rowtime follow the input's).
PlanPtr keepColumns(const PlanPtr& input, const std::vector<bool>& keep);

}  // namespace eddy::sql
