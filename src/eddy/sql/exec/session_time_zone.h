#pragma once

#include <cstdint>

#include "eddy/core/time_zone.h"
#include "eddy/sql/exec/logical_type.h"

namespace eddy::sql {

/// The session time zone (Flink's `table.local-time-zone`): TIMESTAMP_LTZ values are
/// instants, shown, cast to and from TIMESTAMP / DATE / TIME / STRING, and taken apart
/// (EXTRACT, HOUR, DATE_FORMAT, ...) in it; LOCALTIMESTAMP, CURRENT_DATE and
/// FROM_UNIXTIME read the clock in it. One per process, UTC until set: a session sets
/// it when the option changes, before its jobs run, and task threads read it.
const TimeZone& sessionTimeZone();
/// Installs `zone` (kept for the process's life, so a reader never sees it freed).
void setSessionTimeZone(const TimeZone& zone);
/// A TIMESTAMP's milliseconds as they are; a TIMESTAMP_LTZ's as the session's clock
/// shows them.
int64_t wallClock(int64_t ms, const LogicalType& type);

}  // namespace eddy::sql
