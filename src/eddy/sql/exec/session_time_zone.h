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
/// A TIMESTAMP's value as it is; a TIMESTAMP_LTZ's as the session's clock shows it, in
/// the type's unit (value.h: milliseconds up to precision 3, finer above).
int64_t wallClock(int64_t value, const LogicalType& type);
/// The same in epoch milliseconds (rounding down), for the functions that read a
/// calendar time.
int64_t wallClockMillis(int64_t value, const LogicalType& type);
/// A TIMESTAMP(precision) value in the session's time zone (wall-clock time) as the
/// instant it names, and back, in the precision's unit.
int64_t localToInstant(int64_t value, int precision);
int64_t instantToLocal(int64_t value, int precision);

}  // namespace eddy::sql
