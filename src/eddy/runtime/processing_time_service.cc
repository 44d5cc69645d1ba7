#include "eddy/runtime/processing_time_service.h"

namespace eddy::runtime {

void ProcessingTimeService::registerTimer(Timestamp time, Callback callback) {
  timers_.push(Entry{time, next_seq_++, std::move(callback)});
}

std::optional<Timestamp> ProcessingTimeService::nextTimerTime() const {
  if (timers_.empty()) return std::nullopt;
  return timers_.top().time;
}

int ProcessingTimeService::fireDueTimers() {
  int fired = 0;
  Timestamp now = clock_.currentTimeMillis();
  while (!timers_.empty() && timers_.top().time <= now) {
    Entry e = timers_.top();
    timers_.pop();
    e.callback(e.time);
    ++fired;
  }
  return fired;
}

}  // namespace eddy::runtime
