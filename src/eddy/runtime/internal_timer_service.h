#pragma once

#include <map>
#include <vector>

#include "eddy/core/flat_hash_map.h"
#include "eddy/runtime/processing_time_service.h"
#include "eddy/state/keyed_state_backend.h"

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
/// once. Event-time timers fire, in time order, when a watermark reaches their time
/// (timers of equal time in no particular order, as in Flink). The current key is set to the
/// timer's key while it fires.
/// Thread: the task thread only.
template <typename K, typename N>
class InternalTimerService {
 public:
  using Timer = InternalTimer<K, N>;

  InternalTimerService(state::KeyedStateBackend<K>* backend, ProcessingTimeService* pts,
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
  /// A processing-time timer when `processing_time`, else an event-time one (operators
  /// that run on either clock, such as SQL windows over PROCTIME()).
  void registerTimer(bool processing_time, const N& ns, Timestamp time) {
    if (processing_time) {
      registerProcessingTimeTimer(ns, time);
    } else {
      registerEventTimeTimer(ns, time);
    }
  }
  void deleteTimer(bool processing_time, const N& ns, Timestamp time) {
    if (processing_time) {
      deleteProcessingTimeTimer(ns, time);
    } else {
      deleteEventTimeTimer(ns, time);
    }
  }

  /// Fires every event-time timer with timestamp <= `time`.
  void advanceWatermark(Timestamp time) {
    current_watermark_ = time;
    event_.fireUpTo(time, [&](const Timer& t) {
      backend_->setCurrentKey(t.key);
      target_->onEventTime(t);
    });
  }

  /// Writes the pending timers of every key group of the backend's range into
  /// `per_key_group` (index = key group - range start): event-time timers, then
  /// processing-time ones, each as (time, key, namespace).
  Status snapshotTimers(std::vector<DataOutputView>& per_key_group) const {
    if constexpr (Serializable<K> && Serializable<N>) {
      const state::KeyContext<K>& kc = backend_->keyContext();
      per_key_group.assign(static_cast<size_t>(kc.range.size()), DataOutputView());
      for (const Queue* q : {&event_, &processing_}) {
        std::vector<std::vector<Timer>> by_group(per_key_group.size());
        q->forEachPending([&](const Timer& t) {
          int kg = keyGroupForHash(KeyHash<K>()(t.key), kc.max_parallelism);
          by_group[static_cast<size_t>(kg - kc.range.start)].push_back(t);
        });
        for (size_t g = 0; g < by_group.size(); ++g) {
          per_key_group[g].writeVarint(by_group[g].size());
          for (const Timer& t : by_group[g]) {
            per_key_group[g].write<int64_t>(t.timestamp);
            serialize(t.key, per_key_group[g]);
            serialize(t.ns, per_key_group[g]);
          }
        }
      }
      return Status::ok();
    } else {
      return Status::unimplemented("timers of this key or namespace type cannot be snapshotted");
    }
  }
  /// Registers the timers snapshotTimers wrote for one key group.
  Status restoreTimers(DataInputView& in) {
    if constexpr (Serializable<K> && Serializable<N>) {
      for (int domain = 0; domain < 2; ++domain) {
        EDDY_ASSIGN_OR_RETURN(uint64_t n, in.readVarint());
        for (uint64_t i = 0; i < n; ++i) {
          EDDY_ASSIGN_OR_RETURN(int64_t time, in.read<int64_t>());
          EDDY_ASSIGN_OR_RETURN(K key, deserialize<K>(in));
          EDDY_ASSIGN_OR_RETURN(N ns, deserialize<N>(in));
          backend_->setCurrentKey(key);
          if (domain == 0) {
            registerEventTimeTimer(ns, time);
          } else {
            registerProcessingTimeTimer(ns, time);
          }
        }
      }
      return Status::ok();
    } else {
      return Status::unimplemented("timers of this key or namespace type cannot be restored");
    }
  }

  size_t numEventTimeTimers() const { return event_.size(); }
  size_t numProcessingTimeTimers() const { return processing_.size(); }

 private:
  /// Timers of one time domain, grouped by timestamp: one hash set of (key, namespace)
  /// per timestamp, in time order. Windows put many timers on few timestamps, so
  /// registering is one probe into the set of its timestamp (the last one used is
  /// cached), and firing scans a whole set front to back with no further lookups.
  class Queue {
   public:
    bool add(Timestamp time, const K& key, const N& ns) {
      Entry e{key, ns};
      if (firing_ != nullptr && time == firing_time_) {
        // A timer of the timestamp now firing: pending ones are already due; fired or
        // deleted ones are registered anew (Flink's queue no longer holds them).
        if (State* st = firing_->find(e); st != nullptr && *st == State::kPending) return false;
      }
      if (!bucket(time).insert(std::move(e), State::kPending)) return false;
      ++size_;
      return true;
    }
    void remove(Timestamp time, const K& key, const N& ns) {
      Entry e{key, ns};
      if (firing_ != nullptr && time == firing_time_) {
        if (State* st = firing_->find(e); st != nullptr && *st == State::kPending) {
          *st = State::kDeleted;  // Entries of the set being scanned must not move.
          --size_;
          return;
        }
      }
      auto it = buckets_.find(time);
      if (it == buckets_.end() || !it->second.erase(e)) return;
      --size_;
      if (it->second.empty()) {
        if (last_bucket_ == &it->second) last_bucket_ = nullptr;
        buckets_.erase(it);
      }
    }
    size_t size() const { return size_; }
    /// Calls f(timer) for every timer still to fire.
    template <typename F>
    void forEachPending(F&& f) const {
      for (const auto& [time, bucket] : buckets_) {
        bucket.forEach([&](const Entry& e, State st) {
          if (st == State::kPending) f(Timer{time, e.key, e.ns});
        });
      }
    }
    Timestamp nextTime() const { return buckets_.empty() ? kMaxTimestamp : buckets_.begin()->first; }

    /// Fires, in time order, the timers with timestamp <= `time`; `fire` may register
    /// and delete timers, including ones due now.
    template <typename F>
    void fireUpTo(Timestamp time, F&& fire) {
      while (!buckets_.empty() && buckets_.begin()->first <= time) {
        auto first = buckets_.begin();
        Bucket firing = std::move(first->second);
        firing_time_ = first->first;
        buckets_.erase(first);
        last_bucket_ = nullptr;
        firing_ = &firing;
        Timer t{firing_time_, K{}, N{}};
        firing.forEach([&](const Entry& e, State& st) {
          if (st != State::kPending) return;
          st = State::kFired;
          --size_;
          t.key = e.key;
          t.ns = e.ns;
          fire(t);
        });
        firing_ = nullptr;
      }
    }

   private:
    struct Entry {
      K key;
      N ns;
      bool operator==(const Entry& o) const { return key == o.key && ns == o.ns; }
    };
    struct EntryHash {
      uint64_t operator()(const Entry& e) const {
        uint64_t h = static_cast<uint32_t>(KeyHash<K>()(e.key));
        return state::spreadHash(h * 31 + static_cast<uint32_t>(KeyHash<N>()(e.ns)));
      }
    };
    enum class State : uint8_t { kPending, kFired, kDeleted };
    using Bucket = FlatHashMap<Entry, State, EntryHash>;

    Bucket& bucket(Timestamp time) {
      if (last_bucket_ == nullptr || last_time_ != time) {
        last_bucket_ = &buckets_[time];
        last_time_ = time;
      }
      return *last_bucket_;
    }

    std::map<Timestamp, Bucket> buckets_;
    Bucket* last_bucket_ = nullptr;  // std::map nodes are stable.
    Timestamp last_time_ = 0;
    Bucket* firing_ = nullptr;  // The set being scanned by fireUpTo, detached from buckets_.
    Timestamp firing_time_ = 0;
    size_t size_ = 0;
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

  state::KeyedStateBackend<K>* backend_;
  ProcessingTimeService* pts_;
  Triggerable<K, N>* target_;
  Timestamp current_watermark_ = kMinTimestamp;
  Timestamp next_physical_ = kMaxTimestamp;
  Queue event_;
  Queue processing_;
};

}  // namespace eddy::runtime
