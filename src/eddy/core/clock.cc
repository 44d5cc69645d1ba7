#include "eddy/core/clock.h"

#include <chrono>

namespace eddy {

SystemClock& SystemClock::instance() {
  static SystemClock clock;
  return clock;
}

Timestamp SystemClock::currentTimeMillis() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t SystemClock::nanoTime() const {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace eddy
