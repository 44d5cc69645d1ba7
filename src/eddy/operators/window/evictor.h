#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "eddy/runtime/stream_record.h"

namespace eddy::operators {

/// The elements of a window as an evictor sees them: timestamps, values (of the stream's
/// element type, through `value`), and removal by index.
class EvictableElements {
 public:
  virtual ~EvictableElements() = default;
  virtual size_t size() const = 0;
  virtual Timestamp timestamp(size_t i) const = 0;
  virtual const void* value(size_t i) const = 0;
  /// Removes the elements whose flag is true, keeping the order of the rest.
  virtual void removeIf(const std::vector<bool>& remove) = 0;
};

/// Removes elements from a window before and/or after the window function runs
/// (Flink's Evictor).
class Evictor {
 public:
  virtual ~Evictor() = default;
  virtual void evictBefore(EvictableElements& elements) = 0;
  virtual void evictAfter(EvictableElements& elements) = 0;
};

/// An evictor applying one rule, either before the window function (default) or after
/// it, as Flink's built-in evictors do with `doEvictAfter`.
class BeforeOrAfterEvictor : public Evictor {
 public:
  explicit BeforeOrAfterEvictor(bool after) : after_(after) {}
  void evictBefore(EvictableElements& e) final {
    if (!after_) evict(e);
  }
  void evictAfter(EvictableElements& e) final {
    if (after_) evict(e);
  }

 protected:
  virtual void evict(EvictableElements& e) = 0;

 private:
  bool after_;
};

/// Keeps at most `max_count` elements, the most recent in arrival order.
class CountEvictor final : public BeforeOrAfterEvictor {
 public:
  CountEvictor(size_t max_count, bool after) : BeforeOrAfterEvictor(after), max_(max_count) {}
  static std::shared_ptr<Evictor> of(size_t max_count, bool do_evict_after = false) {
    return std::make_shared<CountEvictor>(max_count, do_evict_after);
  }
 protected:
  void evict(EvictableElements& e) override {
    if (e.size() <= max_) return;
    std::vector<bool> remove(e.size(), false);
    for (size_t i = 0; i < e.size() - max_; ++i) remove[i] = true;
    e.removeIf(remove);
  }

 private:
  size_t max_;
};

/// Keeps elements within `window_size` ms of the newest element's timestamp
/// (Flink: evicts every element with timestamp <= max timestamp - window size).
class TimeEvictor final : public BeforeOrAfterEvictor {
 public:
  TimeEvictor(int64_t window_size, bool after) : BeforeOrAfterEvictor(after), size_(window_size) {}
  static std::shared_ptr<Evictor> of(Duration window_size, bool do_evict_after = false) {
    return std::make_shared<TimeEvictor>(window_size.count(), do_evict_after);
  }
 protected:
  void evict(EvictableElements& e) override {
    if (e.size() == 0 || e.timestamp(0) == runtime::kNoTimestamp) return;
    Timestamp max_ts = kMinTimestamp;
    for (size_t i = 0; i < e.size(); ++i) max_ts = std::max(max_ts, e.timestamp(i));
    Timestamp cutoff = max_ts - size_;
    std::vector<bool> remove(e.size(), false);
    for (size_t i = 0; i < e.size(); ++i) remove[i] = e.timestamp(i) <= cutoff;
    e.removeIf(remove);
  }

 private:
  int64_t size_;
};

/// Evicts elements whose delta to the last element reaches `threshold`.
template <typename T>
class DeltaEvictor final : public BeforeOrAfterEvictor {
 public:
  using DeltaFunction = std::function<double(const T&, const T&)>;
  DeltaEvictor(double threshold, DeltaFunction f, bool after)
      : BeforeOrAfterEvictor(after), threshold_(threshold), f_(std::move(f)) {}
  static std::shared_ptr<Evictor> of(double threshold, DeltaFunction f, bool do_evict_after = false) {
    return std::make_shared<DeltaEvictor>(threshold, std::move(f), do_evict_after);
  }
 protected:
  void evict(EvictableElements& e) override {
    if (e.size() == 0) return;
    const T& last = *static_cast<const T*>(e.value(e.size() - 1));
    std::vector<bool> remove(e.size(), false);
    for (size_t i = 0; i < e.size(); ++i) {
      remove[i] = f_(*static_cast<const T*>(e.value(i)), last) >= threshold_;
    }
    e.removeIf(remove);
  }

 private:
  double threshold_;
  DeltaFunction f_;
};

}  // namespace eddy::operators
