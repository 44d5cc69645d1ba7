#include "eddy/sql/exec/session_time_zone.h"

#include <atomic>
#include <deque>
#include <mutex>

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

int64_t wallClock(int64_t ms, const LogicalType& type) {
  return type.id == TypeId::kTimestampLtz ? sessionTimeZone().toLocal(ms) : ms;
}

}  // namespace eddy::sql
