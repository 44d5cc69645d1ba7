#pragma once

#include "eddy/sql/parser/ast.h"

namespace eddy::sql {

/// Rewrites a query so that a subquery's derived table no longer reads the enclosing
/// query's columns (correlation two levels down), as Calcite's decorrelator pulls such
/// conditions up: in `EXISTS (SELECT 1 FROM (SELECT v FROM b WHERE b.k = o.k) x)`, the
/// condition `b.k = o.k` moves to the subquery's WHERE as `x.$cor0 = o.k`, with `b.k`
/// selected by the derived table as `$cor0` (hidden from `SELECT *`). A grouped (or
/// DISTINCT) derived table gives up equalities of one of its columns with outer
/// columns only, and that column joins its GROUP BY; one that aggregates without GROUP
/// BY, or has LIMIT, ORDER BY, set operations or GROUPING SETS, or is on the padded side
/// of an outer join, keeps its conditions (the planner then reports the outer name it
/// cannot see). Conditions naming neither
/// its own tables nor an enclosing query's stay where they are.
void hoistOuterConditions(ast::Query& query);

}  // namespace eddy::sql
