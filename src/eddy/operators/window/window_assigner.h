#pragma once

#include <functional>
#include <memory>
#include <stdexcept>
#include <vector>

#include "eddy/operators/window/trigger.h"

namespace eddy::operators {

/// Assigns each element to zero or more windows (Flink's WindowAssigner).
/// `element` points at the record's value, of the stream's element type.
template <typename W>
class WindowAssigner {
 public:
  using WindowType = W;
  virtual ~WindowAssigner() = default;
  virtual void assignWindows(const void* element, Timestamp timestamp, Timestamp processing_time,
                             std::vector<W>& out) const = 0;
  virtual std::shared_ptr<Trigger<W>> getDefaultTrigger() const = 0;
  virtual bool isEventTime() const = 0;
  virtual bool isMerging() const { return false; }
  /// Merging assigners: calls `merge(windows_to_merge, result)` for each group that merges.
  virtual void mergeWindows(const std::vector<W>& windows,
                            const std::function<void(const std::vector<W>&, const W&)>& merge) const {
    (void)windows;
    (void)merge;
  }
};

namespace internal {
inline void requireTimestamp(Timestamp ts) {
  if (ts == kMinTimestamp) {
    throw std::runtime_error(
        "Record has Long.MIN_VALUE timestamp (= no timestamp marker). Is the time characteristic "
        "set to 'ProcessingTime', or did you forget to call "
        "'DataStream.assignTimestampsAndWatermarks(...)'?");
  }
}

/// Flink's TimeWindow.mergeWindows: sort by start, fold intersecting runs.
inline void mergeTimeWindows(const std::vector<TimeWindow>& windows,
                             const std::function<void(const std::vector<TimeWindow>&, const TimeWindow&)>& merge) {
  std::vector<TimeWindow> sorted = windows;
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::pair<TimeWindow, std::vector<TimeWindow>>> merged;
  for (const TimeWindow& w : sorted) {
    if (merged.empty() || !merged.back().first.intersects(w)) {
      merged.push_back({w, {w}});
    } else {
      merged.back().first = merged.back().first.cover(w);
      merged.back().second.push_back(w);
    }
  }
  for (const auto& [cover, group] : merged) {
    if (group.size() > 1) merge(group, cover);
  }
}
}  // namespace internal

/// Fixed-size, non-overlapping windows in event time.
class TumblingEventTimeWindows final : public WindowAssigner<TimeWindow> {
 public:
  TumblingEventTimeWindows(int64_t size, int64_t offset) : size_(size), offset_(offset) {
    if (size <= 0 || std::abs(offset) >= size) {
      throw std::invalid_argument("TumblingEventTimeWindows parameters must satisfy abs(offset) < size");
    }
  }
  static std::shared_ptr<TumblingEventTimeWindows> of(Duration size, Duration offset = Duration(0)) {
    return std::make_shared<TumblingEventTimeWindows>(size.count(), offset.count());
  }
  void assignWindows(const void*, Timestamp ts, Timestamp, std::vector<TimeWindow>& out) const override {
    internal::requireTimestamp(ts);
    Timestamp start = TimeWindow::getWindowStartWithOffset(ts, offset_, size_);
    out.push_back(TimeWindow{start, start + size_});
  }
  std::shared_ptr<Trigger<TimeWindow>> getDefaultTrigger() const override {
    return std::make_shared<EventTimeTriggerT<TimeWindow>>();
  }
  bool isEventTime() const override { return true; }

 private:
  int64_t size_, offset_;
};

/// Fixed-size, non-overlapping windows in processing time.
class TumblingProcessingTimeWindows final : public WindowAssigner<TimeWindow> {
 public:
  TumblingProcessingTimeWindows(int64_t size, int64_t offset) : size_(size), offset_(offset) {
    if (size <= 0 || std::abs(offset) >= size) {
      throw std::invalid_argument("TumblingProcessingTimeWindows parameters must satisfy abs(offset) < size");
    }
  }
  static std::shared_ptr<TumblingProcessingTimeWindows> of(Duration size, Duration offset = Duration(0)) {
    return std::make_shared<TumblingProcessingTimeWindows>(size.count(), offset.count());
  }
  void assignWindows(const void*, Timestamp, Timestamp now, std::vector<TimeWindow>& out) const override {
    Timestamp start = TimeWindow::getWindowStartWithOffset(now, offset_, size_);
    out.push_back(TimeWindow{start, start + size_});
  }
  std::shared_ptr<Trigger<TimeWindow>> getDefaultTrigger() const override {
    return std::make_shared<ProcessingTimeTriggerT<TimeWindow>>();
  }
  bool isEventTime() const override { return false; }

 private:
  int64_t size_, offset_;
};

namespace internal {
/// Flink's SlidingWindows.assignWindows: from the last window start backwards.
inline void slidingWindows(Timestamp ts, int64_t size, int64_t slide, int64_t offset,
                           std::vector<TimeWindow>& out) {
  Timestamp last_start = TimeWindow::getWindowStartWithOffset(ts, offset, slide);
  for (Timestamp start = last_start; start > ts - size; start -= slide) {
    out.push_back(TimeWindow{start, start + size});
  }
}
inline void checkSliding(int64_t size, int64_t slide, int64_t offset, const char* what) {
  if (std::abs(offset) >= slide || size <= 0 || slide <= 0) {
    throw std::invalid_argument(std::string(what) +
                                " parameters must satisfy abs(offset) < slide and size > 0");
  }
}
}  // namespace internal

class SlidingEventTimeWindows final : public WindowAssigner<TimeWindow> {
 public:
  SlidingEventTimeWindows(int64_t size, int64_t slide, int64_t offset)
      : size_(size), slide_(slide), offset_(offset) {
    internal::checkSliding(size, slide, offset, "SlidingEventTimeWindows");
  }
  static std::shared_ptr<SlidingEventTimeWindows> of(Duration size, Duration slide,
                                                      Duration offset = Duration(0)) {
    return std::make_shared<SlidingEventTimeWindows>(size.count(), slide.count(), offset.count());
  }
  void assignWindows(const void*, Timestamp ts, Timestamp, std::vector<TimeWindow>& out) const override {
    internal::requireTimestamp(ts);
    internal::slidingWindows(ts, size_, slide_, offset_, out);
  }
  std::shared_ptr<Trigger<TimeWindow>> getDefaultTrigger() const override {
    return std::make_shared<EventTimeTriggerT<TimeWindow>>();
  }
  bool isEventTime() const override { return true; }

 private:
  int64_t size_, slide_, offset_;
};

class SlidingProcessingTimeWindows final : public WindowAssigner<TimeWindow> {
 public:
  SlidingProcessingTimeWindows(int64_t size, int64_t slide, int64_t offset)
      : size_(size), slide_(slide), offset_(offset) {
    internal::checkSliding(size, slide, offset, "SlidingProcessingTimeWindows");
  }
  static std::shared_ptr<SlidingProcessingTimeWindows> of(Duration size, Duration slide,
                                                           Duration offset = Duration(0)) {
    return std::make_shared<SlidingProcessingTimeWindows>(size.count(), slide.count(), offset.count());
  }
  void assignWindows(const void*, Timestamp, Timestamp now, std::vector<TimeWindow>& out) const override {
    internal::slidingWindows(now, size_, slide_, offset_, out);
  }
  std::shared_ptr<Trigger<TimeWindow>> getDefaultTrigger() const override {
    return std::make_shared<ProcessingTimeTriggerT<TimeWindow>>();
  }
  bool isEventTime() const override { return false; }

 private:
  int64_t size_, slide_, offset_;
};

/// Base of session assigners: time windows that merge while they intersect.
class MergingTimeWindowAssigner : public WindowAssigner<TimeWindow> {
 public:
  bool isMerging() const override { return true; }
  void mergeWindows(const std::vector<TimeWindow>& windows,
                    const std::function<void(const std::vector<TimeWindow>&, const TimeWindow&)>& merge)
      const override {
    internal::mergeTimeWindows(windows, merge);
  }
};

/// Session windows in event time: [ts, ts + gap), merged while they intersect. The gap
/// is fixed (withGap) or computed per element (withDynamicGap, element type T).
template <typename T = void>
class EventTimeSessionWindowsT final : public MergingTimeWindowAssigner {
 public:
  using GapExtractor = std::function<int64_t(const std::conditional_t<std::is_void_v<T>, char, T>&)>;
  explicit EventTimeSessionWindowsT(int64_t gap) : gap_(gap) {
    if (gap <= 0) throw std::invalid_argument("EventTimeSessionWindows parameters must satisfy 0 < size");
  }
  explicit EventTimeSessionWindowsT(GapExtractor extractor) : extractor_(std::move(extractor)) {}

  void assignWindows(const void* element, Timestamp ts, Timestamp, std::vector<TimeWindow>& out) const override {
    internal::requireTimestamp(ts);
    int64_t gap = gap_;
    if constexpr (!std::is_void_v<T>) {
      if (extractor_) {
        gap = extractor_(*static_cast<const T*>(element));
        if (gap <= 0) throw std::invalid_argument("Dynamic session time gap must satisfy 0 < gap");
      }
    }
    out.push_back(TimeWindow{ts, ts + gap});
  }
  std::shared_ptr<Trigger<TimeWindow>> getDefaultTrigger() const override {
    return std::make_shared<EventTimeTriggerT<TimeWindow>>();
  }
  bool isEventTime() const override { return true; }

 private:
  int64_t gap_ = 0;
  GapExtractor extractor_;
};

struct EventTimeSessionWindows {
  static std::shared_ptr<EventTimeSessionWindowsT<void>> withGap(Duration gap) {
    return std::make_shared<EventTimeSessionWindowsT<void>>(gap.count());
  }
  template <typename T, typename F>
  static std::shared_ptr<EventTimeSessionWindowsT<T>> withDynamicGap(F extractor) {
    return std::make_shared<EventTimeSessionWindowsT<T>>(
        typename EventTimeSessionWindowsT<T>::GapExtractor(std::move(extractor)));
  }
};

/// Session windows in processing time.
class ProcessingTimeSessionWindows final : public MergingTimeWindowAssigner {
 public:
  explicit ProcessingTimeSessionWindows(int64_t gap) : gap_(gap) {}
  static std::shared_ptr<ProcessingTimeSessionWindows> withGap(Duration gap) {
    return std::make_shared<ProcessingTimeSessionWindows>(gap.count());
  }
  void assignWindows(const void*, Timestamp, Timestamp now, std::vector<TimeWindow>& out) const override {
    out.push_back(TimeWindow{now, now + gap_});
  }
  std::shared_ptr<Trigger<TimeWindow>> getDefaultTrigger() const override {
    return std::make_shared<ProcessingTimeTriggerT<TimeWindow>>();
  }
  bool isEventTime() const override { return false; }

 private:
  int64_t gap_;
};

/// Every element in one global window per key; fires only with a custom trigger.
class GlobalWindows final : public WindowAssigner<GlobalWindow> {
 public:
  static std::shared_ptr<GlobalWindows> create() { return std::make_shared<GlobalWindows>(); }
  void assignWindows(const void*, Timestamp, Timestamp, std::vector<GlobalWindow>& out) const override {
    out.push_back(GlobalWindow{});
  }
  std::shared_ptr<Trigger<GlobalWindow>> getDefaultTrigger() const override {
    return std::make_shared<NeverTriggerT<GlobalWindow>>();
  }
  bool isEventTime() const override { return false; }
};

}  // namespace eddy::operators
