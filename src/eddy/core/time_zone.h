#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "eddy/core/status.h"

namespace eddy {

/// A time zone: its offset from UTC at each instant, from the tz database's TZif files
/// (/usr/share/zoneinfo, Debian's tzdata) or a fixed offset. Names as Java's ZoneId
/// takes them (Flink's `table.local-time-zone`): "Asia/Shanghai", "UTC", "Z",
/// "+08:00", "GMT+8", "UTC-05:30". Past the file's last transition (2037 in tzdata's
/// fat files) the last offset holds. Thread: a value; const methods on any thread.
class TimeZone {
 public:
  /// UTC.
  TimeZone();
  /// The zone `id`, or an error naming it (an unknown region, a malformed offset).
  static Result<TimeZone> of(const std::string& id);

  const std::string& id() const { return id_; }
  bool isUtc() const { return transitions_.empty() && offsets_.size() == 1 && offsets_[0] == 0; }
  /// The offset from UTC, in milliseconds, at the instant `utc_ms`.
  int64_t offsetAt(int64_t utc_ms) const;
  /// The wall-clock time (milliseconds since 1970-01-01 00:00 local) at `utc_ms`.
  int64_t toLocal(int64_t utc_ms) const { return utc_ms + offsetAt(utc_ms); }
  /// The instant of the wall-clock time `local_ms`, as Java resolves it: in an overlap
  /// (clocks set back) the earlier offset, in a gap (clocks set forward) the time
  /// moved later by the gap's length.
  int64_t toUtc(int64_t local_ms) const;

 private:
  std::string id_;
  std::vector<int64_t> transitions_;  // UTC seconds at which offsets_[i + 1] begins.
  std::vector<int32_t> offsets_;      // Seconds east of UTC: [0] before any transition.
};

}  // namespace eddy
