#pragma once

#include <map>
#include <vector>

#include "eddy/core/flat_hash_map.h"
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
/// timers of equal time fire in registration order. The current key is set to the
/// timer's key while it fires.
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

  void registerEventTimeTimer(const N& ns, Timestamp time) { event_.add(time, backend_->getCurrentKey(), ns); }
  void deleteEventTimeTimer(const N& ns, Timestamp time) { event_.remove(time, backend_->getCurrentKey(), ns); }
  void registerProcessingTimeTimer(const N& ns, Timestamp time) {
    if (!processing_.add(time, backend_->getCurrentKey(), ns)) return;
    if (time < next_physical_) {
      next_physical_ = time;
      pts_->registerTimer(time, [this](Timestamp) { fireProcessingTimers(); });
    }
  }
  void deleteProcessingTimeTimer(const N& ns, Timestamp time) {
    processing_.remove(time, backend_->getCurrentKey(), ns);
  }

  /// Fires every event-time timer with timestamp <= `time`.
  void advanceWatermark(Timestamp time) {
    current_watermark_ = time;
    event_.fireUpTo(time, [&](const Timer& t) {
      backend_->setCurrentKey(t.key);
      target_->onEventTime(t);
    });
  }

  size_t numEventTimeTimers() const { return event_.size(); }
  size_t numProcessingTimeTimers() const { return processing_.size(); }

 private:
  /// Timers of one time domain: a set for de-duplication and deletion, and the same
  /// timers grouped by timestamp for firing in order. Windows put many timers on few
  /// timestamps, so registering is one hash probe plus an append to a cached bucket.
  /// Deletion only drops the set entry; the bucket entry is skipped when it fires.
  class Queue {
   public:
    bool add(Timestamp time, const K& key, const N& ns) {
      if (!set_.insert(Timer{time, key, ns}, {})) return false;
      bucket(time).push_back(Entry{key, ns});
      return true;
    }
    void remove(Timestamp time, const K& key, const N& ns) { set_.erase(Timer{time, key, ns}); }
    size_t size() const { return set_.size(); }
    Timestamp nextTime() const { return buckets_.empty() ? kMaxTimestamp : buckets_.begin()->first; }

    /// Fires, in order, the live timers with timestamp <= `time`; `fire` may register
    /// and delete timers, including ones due now.
    template <typename F>
    void fireUpTo(Timestamp time, F&& fire) {
      while (!buckets_.empty() && buckets_.begin()->first <= time) {
        auto first = buckets_.begin();
        Timer t{first->first, K{}, N{}};
        std::vector<Entry> entries = std::move(first->second);
        buckets_.erase(first);
        last_bucket_ = nullptr;
        for (Entry& e : entries) {
          t.key = std::move(e.key);
          t.ns = std::move(e.ns);
          if (!set_.erase(t)) continue;  // Deleted, or re-registered after deletion.
          fire(t);
        }
      }
    }

   private:
    struct Entry {
      K key;
      N ns;
    };
    struct Hash {
      uint64_t operator()(const Timer& t) const {
        uint64_t h = static_cast<uint32_t>(KeyHash<K>()(t.key));
        h = h * 31 + static_cast<uint32_t>(KeyHash<N>()(t.ns));
        h = h * 31 + static_cast<uint64_t>(t.timestamp);
        return state::spreadHash(h);
      }
    };
    struct Nothing {};

    std::vector<Entry>& bucket(Timestamp time) {
      if (last_bucket_ == nullptr || last_time_ != time) {
        last_bucket_ = &buckets_[time];
        last_time_ = time;
      }
      return *last_bucket_;
    }

    FlatHashMap<Timer, Nothing, Hash> set_;
    std::map<Timestamp, std::vector<Entry>> buckets_;
    std::vector<Entry>* last_bucket_ = nullptr;  // std::map nodes are stable.
    Timestamp last_time_ = 0;
  };

  void fireProcessingTimers() {
    next_physical_ = kMaxTimestamp;
    processing_.fireUpTo(pts_->getCurrentProcessingTime(), [&](const Timer& t) {
      backend_->setCurrentKey(t.key);
      target_->onProcessingTime(t);
    });
    if (processing_.nextTime() != kMaxTimestamp) {
      next_physical_ = processing_.nextTime();
      pts_->registerTimer(next_physical_, [this](Timestamp) { fireProcessingTimers(); });
    }
  }

  state::HeapKeyedStateBackend<K>* backend_;
  ProcessingTimeService* pts_;
  Triggerable<K, N>* target_;
  Timestamp current_watermark_ = kMinTimestamp;
  Timestamp next_physical_ = kMaxTimestamp;
  Queue event_;
  Queue processing_;
};

}  // namespace eddy::runtime
