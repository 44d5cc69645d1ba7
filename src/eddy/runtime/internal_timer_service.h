#pragma once

#include <queue>
#include <unordered_set>
#include <vector>

#include "eddy/runtime/processing_time_service.h"
#include "eddy/state/heap_keyed_state_backend.h"

namespace eddy::runtime {

/// A timer of a keyed operator: (timestamp, key, namespace).
template <typename K, typename N>
struct InternalTimer {
  Timestamp timestamp;
  K key;
  N ns;
  bool operator==(const InternalTimer& o) const {
    return timestamp == o.timestamp && key == o.key && ns == o.ns;
  }
};

/// What fires: the operator that owns the timer service.
template <typename K, typename N>
class Triggerable {
 public:
  virtual ~Triggerable() = default;
  virtual void onEventTime(const InternalTimer<K, N>& timer) = 0;
  virtual void onProcessingTime(const InternalTimer<K, N>& timer) = 0;
};

/// Event- and processing-time timers of one keyed operator (Flink's
/// InternalTimerServiceImpl). Registering the same (key, namespace, time) twice fires
/// once. Event-time timers fire, in time order, when a watermark reaches their time;
/// the current key is set to the timer's key while it fires.
/// Thread: the task thread only.
template <typename K, typename N>
class InternalTimerService {
 public:
  using Timer = InternalTimer<K, N>;

  InternalTimerService(state::HeapKeyedStateBackend<K>* backend, ProcessingTimeService* pts,
                       Triggerable<K, N>* target)
      : backend_(backend), pts_(pts), target_(target) {}

  Timestamp currentWatermark() const { return current_watermark_; }
  Timestamp currentProcessingTime() const { return pts_->getCurrentProcessingTime(); }

  void registerEventTimeTimer(const N& ns, Timestamp time) {
    Timer t{time, backend_->getCurrentKey(), ns};
    if (event_set_.insert(t).second) event_queue_.push(std::move(t));
  }
  void deleteEventTimeTimer(const N& ns, Timestamp time) {
    event_set_.erase(Timer{time, backend_->getCurrentKey(), ns});
  }
  void registerProcessingTimeTimer(const N& ns, Timestamp time) {
    Timer t{time, backend_->getCurrentKey(), ns};
    if (!processing_set_.insert(t).second) return;
    processing_queue_.push(std::move(t));
    if (time < next_physical_) {
      next_physical_ = time;
      pts_->registerTimer(time, [this](Timestamp) { fireProcessingTimers(); });
    }
  }
  void deleteProcessingTimeTimer(const N& ns, Timestamp time) {
    processing_set_.erase(Timer{time, backend_->getCurrentKey(), ns});
  }

  /// Fires every event-time timer with timestamp <= `time`.
  void advanceWatermark(Timestamp time) {
    current_watermark_ = time;
    while (!event_queue_.empty() && event_queue_.top().timestamp <= time) {
      Timer t = event_queue_.top();
      event_queue_.pop();
      if (event_set_.erase(t) == 0) continue;  // Deleted, or a duplicate entry.
      backend_->setCurrentKey(t.key);
      target_->onEventTime(t);
    }
  }

  size_t numEventTimeTimers() const { return event_set_.size(); }
  size_t numProcessingTimeTimers() const { return processing_set_.size(); }

 private:
  void fireProcessingTimers() {
    next_physical_ = kMaxTimestamp;
    Timestamp now = pts_->getCurrentProcessingTime();
    while (!processing_queue_.empty() && processing_queue_.top().timestamp <= now) {
      Timer t = processing_queue_.top();
      processing_queue_.pop();
      if (processing_set_.erase(t) == 0) continue;
      backend_->setCurrentKey(t.key);
      target_->onProcessingTime(t);
    }
    if (!processing_queue_.empty()) {
      next_physical_ = processing_queue_.top().timestamp;
      pts_->registerTimer(next_physical_, [this](Timestamp) { fireProcessingTimers(); });
    }
  }

  struct Hash {
    size_t operator()(const Timer& t) const {
      uint64_t h = static_cast<uint32_t>(KeyHash<K>()(t.key));
      h = h * 31 + static_cast<uint32_t>(KeyHash<N>()(t.ns));
      h = h * 31 + static_cast<uint64_t>(t.timestamp);
      return state::spreadHash(h);
    }
  };
  struct Later {
    bool operator()(const Timer& a, const Timer& b) const { return a.timestamp > b.timestamp; }
  };

  state::HeapKeyedStateBackend<K>* backend_;
  ProcessingTimeService* pts_;
  Triggerable<K, N>* target_;
  Timestamp current_watermark_ = kMinTimestamp;
  Timestamp next_physical_ = kMaxTimestamp;
  std::priority_queue<Timer, std::vector<Timer>, Later> event_queue_;
  std::unordered_set<Timer, Hash> event_set_;
  std::priority_queue<Timer, std::vector<Timer>, Later> processing_queue_;
  std::unordered_set<Timer, Hash> processing_set_;
};

}  // namespace eddy::runtime
