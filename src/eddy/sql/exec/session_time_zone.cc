#include "eddy/sql/exec/session_time_zone.h"

#include <atomic>
#include <deque>
#include <mutex>

#include "eddy/sql/exec/value.h"

namespace eddy::sql {
namespace {

const TimeZone kUtc;
std::atomic<const TimeZone*> current{&kUtc};
std::mutex zones_mutex;
std::deque<TimeZone> zones;  // Every zone installed: readers may hold any of them.

}  // namespace

const TimeZone& sessionTimeZone() { return *current.load(std::memory_order_acquire); }

void setSessionTimeZone(const TimeZone& zone) {
  std::lock_guard<std::mutex> lock(zones_mutex);
  for (const TimeZone& z : zones) {
    if (z.id() == zone.id()) {
      current.store(&z, std::memory_order_release);
      return;
    }
  }
  zones.push_back(zone);
  current.store(&zones.back(), std::memory_order_release);
}

int64_t wallClock(int64_t value, const LogicalType& type) {
  return type.id == TypeId::kTimestampLtz ? instantToLocal(value, type.precision) : value;
}

int64_t wallClockMillis(int64_t value, const LogicalType& type) {
  return timestampToMillis(wallClock(value, type), type.precision);
}

// The zone's offset applies to whole milliseconds; the finer part rides along.
int64_t localToInstant(int64_t value, int precision) {
  const int64_t units = timestampUnitsPerMilli(precision);
  const int64_t ms = floorDiv(value, units);
  return value + (sessionTimeZone().toUtc(ms) - ms) * units;
}

int64_t instantToLocal(int64_t value, int precision) {
  const int64_t units = timestampUnitsPerMilli(precision);
  const int64_t ms = floorDiv(value, units);
  return value + (sessionTimeZone().toLocal(ms) - ms) * units;
}

}  // namespace eddy::sql
