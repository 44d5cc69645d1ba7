#pragma once

#include <memory>

#include "eddy/core/status.h"
#include "eddy/sql/exec/correlate_operator.h"

namespace eddy::sql {

/// Flink's UNNEST as the table function a Correlate calls: for an ARRAY, a row per
/// element (one column, `f0`, or a ROW element's fields by their names); for a MAP, a
/// row per entry (`f0` the key, `f1` the value). WITH ORDINALITY adds the element's 1-based position as `ordinality` (INT NOT
/// NULL). A NULL or empty collection gives no rows. Other types are an error.
Result<std::shared_ptr<const TableFunction>> unnestFunction(const LogicalType& type, bool with_ordinality);

}  // namespace eddy::sql
