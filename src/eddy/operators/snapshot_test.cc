// Operator snapshots: keyed state, timers and window contents written at one
// parallelism and restored at another give the results of an uninterrupted run.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "eddy/operators/keyed_operator.h"
#include "eddy/operators/testing/operator_harness.h"
#include "eddy/operators/window/window_operator.h"

namespace eddy::operators {
namespace {

using testing::OperatorHarness;
using Event = std::pair<std::string, int64_t>;  // (key, value); event time is given per record.

KeySelector<Event, std::string> byKey() {
  return [](const Event& e) { return e.first; };
}

/// Counts records per key; an event-time timer 100 ms after a key's first record and a
/// processing-time timer at 5000 report the count.
class CountThenReport final : public KeyedProcessFunction<std::string, Event, std::string> {
 public:
  void open() override { count_ = &getRuntimeContext().getState(state::ValueStateDescriptor<int64_t>("count")); }
  void processElement(const Event&, Context& ctx, Collector<std::string>&) override {
    int64_t n = count_->value().value_or(0) + 1;
    count_->update(n);
    if (n == 1) {
      ctx.timerService().registerEventTimeTimer(*ctx.timestamp() + 100);
      ctx.timerService().registerProcessingTimeTimer(5000);
    }
  }
  void onTimer(Timestamp t, OnTimerContext& ctx, Collector<std::string>& out) override {
    bool event = ctx.timeDomain() == OnTimerContext::TimeDomain::kEventTime;
    out.collect(ctx.getCurrentKey() + (event ? " event@" : " processing@") + std::to_string(t) + " " +
                std::to_string(*count_->value()));
  }

 private:
  state::ValueState<int64_t>* count_ = nullptr;
};

using ProcessOp = KeyedProcessOperator<std::string, Event, std::string, CountThenReport>;

std::unique_ptr<ProcessOp> processOp() { return std::make_unique<ProcessOp>(CountThenReport{}, byKey()); }

std::vector<runtime::StreamRecord<Event>> someEvents() {
  std::vector<runtime::StreamRecord<Event>> v;
  for (int i = 0; i < 60; ++i) v.push_back({Event{"k" + std::to_string(i % 13), i}, 1000 + i});
  return v;
}

template <typename Harness>
std::vector<std::string> drain(std::vector<std::unique_ptr<Harness>>& subtasks) {
  std::vector<std::string> all;
  for (auto& h : subtasks) {
    for (auto& v : h->values()) all.push_back(v);
  }
  std::sort(all.begin(), all.end());
  return all;
}

TEST(OperatorSnapshot, KeyedStateAndBothKindsOfTimersSurviveRescaling) {
  // Uninterrupted run.
  OperatorHarness<std::string> whole(processOp());
  for (auto& r : someEvents()) whole.as<ProcessOp>().processElement(r);
  whole.as<ProcessOp>().processWatermark(runtime::Watermark{kMaxTimestamp});
  whole.setProcessingTime(6000);
  std::vector<std::string> expected = whole.values();
  std::sort(expected.begin(), expected.end());
  ASSERT_EQ(expected.size(), 26u);

  // Half the records at parallelism 2, snapshot, the rest at parallelism 3.
  std::vector<std::unique_ptr<OperatorHarness<std::string>>> before;
  for (int i = 0; i < 2; ++i) before.push_back(std::make_unique<OperatorHarness<std::string>>(processOp(), i, 2));
  auto events = someEvents();
  auto route = [](auto& subtasks, const runtime::StreamRecord<Event>& r) -> OperatorHarness<std::string>& {
    int kg = keyGroupForHash(KeyHash<std::string>()(r.value.first), 128);
    return *subtasks[static_cast<size_t>(operatorIndexForKeyGroup(kg, 128, static_cast<int>(subtasks.size())))];
  };
  for (size_t i = 0; i < 30; ++i) route(before, events[i]).template as<ProcessOp>().processElement(events[i]);
  std::vector<runtime::OperatorSnapshot> snaps;
  for (auto& h : before) {
    auto s = h->as<ProcessOp>().snapshotState(1);
    ASSERT_TRUE(s.isOk()) << s.status().toString();
    snaps.push_back(std::move(*s));
  }
  std::vector<std::unique_ptr<OperatorHarness<std::string>>> after;
  for (int i = 0; i < 3; ++i) after.push_back(std::make_unique<OperatorHarness<std::string>>(processOp(), i, 3, snaps));
  for (size_t i = 30; i < events.size(); ++i) route(after, events[i]).template as<ProcessOp>().processElement(events[i]);
  for (auto& h : after) {
    h->as<ProcessOp>().processWatermark(runtime::Watermark{kMaxTimestamp});
    h->setProcessingTime(6000);
  }
  EXPECT_EQ(drain(after), expected);
}

struct SumEvents {
  Event operator()(const Event& a, const Event& b) const { return {a.first, a.second + b.second}; }
};
using Contents = ReduceContents<Event, SumEvents>;
using WindowOp = WindowOperator<std::string, Event, std::string, TimeWindow, Contents>;

std::unique_ptr<WindowOp> tumbling(int64_t lateness) {
  WindowOperatorConfig<Event, TimeWindow> cfg;
  cfg.assigner = TumblingEventTimeWindows::of(Duration(20));
  cfg.trigger = cfg.assigner->getDefaultTrigger();
  cfg.allowed_lateness = lateness;
  WindowFunctionRunner<std::string, TimeWindow, Event, std::string> runner;
  runner.process = [](const std::string& key, WindowProcessContext<TimeWindow>& ctx, Event& acc,
                      Collector<std::string>& out) {
    out.collect(key + "@" + std::to_string(ctx.window().getStart()) + "=" + std::to_string(acc.second));
  };
  return std::make_unique<WindowOp>(byKey(), std::move(cfg), Contents{SumEvents{}}, std::move(runner));
}

/// Runs half the events with lateness `first`, snapshots, and the rest with `second`.
std::vector<std::string> windowsAcrossRestore(int64_t first, int64_t second) {
  auto events = someEvents();
  OperatorHarness<std::string> a(tumbling(first));
  for (size_t i = 0; i < 30; ++i) a.as<WindowOp>().processElement(events[i]);
  a.as<WindowOp>().processWatermark(runtime::Watermark{1009});  // Fires [1000, 1020) only.
  auto snap = a.as<WindowOp>().snapshotState(1);
  EXPECT_TRUE(snap.isOk()) << snap.status().toString();
  std::vector<std::string> out = a.values();
  std::vector<std::unique_ptr<OperatorHarness<std::string>>> b;
  for (int i = 0; i < 2; ++i) {
    b.push_back(std::make_unique<OperatorHarness<std::string>>(tumbling(second), i, 2,
                                                               std::vector<runtime::OperatorSnapshot>{*snap}));
  }
  for (size_t i = 30; i < events.size(); ++i) {
    int kg = keyGroupForHash(KeyHash<std::string>()(events[i].value.first), 128);
    b[static_cast<size_t>(operatorIndexForKeyGroup(kg, 128, 2))]->as<WindowOp>().processElement(events[i]);
  }
  for (auto& h : b) h->as<WindowOp>().processWatermark(runtime::Watermark{kMaxTimestamp});
  for (auto& v : drain(b)) out.push_back(v);
  std::sort(out.begin(), out.end());
  return out;
}

TEST(OperatorSnapshot, WindowContentsSurviveRescalingInEitherStorageMode) {
  auto events = someEvents();
  OperatorHarness<std::string> whole(tumbling(0));
  for (auto& r : events) whole.as<WindowOp>().processElement(r);
  whole.as<WindowOp>().processWatermark(runtime::Watermark{kMaxTimestamp});
  std::vector<std::string> expected = whole.values();
  std::sort(expected.begin(), expected.end());
  ASSERT_EQ(expected.size(), 39u);  // 3 windows x 13 keys.
  EXPECT_EQ(windowsAcrossRestore(0, 0), expected);  // Window-major both times.
  EXPECT_EQ(windowsAcrossRestore(5, 5), expected);  // General path (lateness) both times.
  EXPECT_EQ(windowsAcrossRestore(0, 5), expected);  // Window-major into the general path.
  EXPECT_EQ(windowsAcrossRestore(5, 0), expected);  // And back.
}

}  // namespace
}  // namespace eddy::operators
