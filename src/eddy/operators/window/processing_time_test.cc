// Processing time, driven by the harness's manual clock: processing-time windows and
// processing-time timers of keyed process functions.
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
using Event = std::pair<std::string, int64_t>;

struct SumEvents {
  Event operator()(const Event& a, const Event& b) const { return {a.first, a.second + b.second}; }
};
using Contents = ReduceContents<Event, SumEvents>;
using Op = WindowOperator<std::string, Event, Event, TimeWindow, Contents>;

std::unique_ptr<Op> reduceWindows(std::shared_ptr<WindowAssigner<TimeWindow>> assigner) {
  WindowOperatorConfig<Event, TimeWindow> cfg;
  cfg.assigner = std::move(assigner);
  cfg.trigger = cfg.assigner->getDefaultTrigger();
  WindowFunctionRunner<std::string, TimeWindow, Event, Event> runner;
  runner.process = [](const std::string&, auto&, Event& acc, Collector<Event>& out) { out.collect(acc); };
  return std::make_unique<Op>([](const Event& e) { return e.first; }, std::move(cfg), Contents{SumEvents{}},
                              std::move(runner));
}

TEST(ProcessingTimeWindows, TumblingWindowsFireWhenTheClockPassesTheirEnd) {
  OperatorHarness<Event> h(reduceWindows(TumblingProcessingTimeWindows::of(Duration(1000))));
  auto& op = h.as<Op>();
  h.setProcessingTime(100);
  op.processElement({Event{"a", 1}, runtime::kNoTimestamp});
  op.processElement({Event{"b", 10}, runtime::kNoTimestamp});
  h.setProcessingTime(998);
  op.processElement({Event{"a", 2}, 5});  // Event time plays no part.
  EXPECT_TRUE(h.output().empty());
  h.setProcessingTime(999);  // maxTimestamp of [0, 1000).
  std::vector<Event> fired = h.values();
  std::sort(fired.begin(), fired.end());
  EXPECT_EQ(fired, (std::vector<Event>{{"a", 3}, {"b", 10}}));
  EXPECT_EQ(h.output()[0].timestamp, 999);
  h.clearOutput();
  op.processElement({Event{"a", 7}, runtime::kNoTimestamp});  // Now in [1000, 2000).
  op.processWatermark(runtime::Watermark{kMaxTimestamp});      // Watermarks do not fire it.
  EXPECT_TRUE(h.output().empty());
  h.setProcessingTime(2500);
  EXPECT_EQ(h.values(), (std::vector<Event>{{"a", 7}}));
}

TEST(ProcessingTimeWindows, SlidingWindowsUseTheClockAtArrival) {
  OperatorHarness<Event> h(reduceWindows(SlidingProcessingTimeWindows::of(Duration(2000), Duration(1000))));
  auto& op = h.as<Op>();
  h.setProcessingTime(1500);
  op.processElement({Event{"a", 1}, runtime::kNoTimestamp});  // In [0, 2000) and [1000, 3000).
  h.setProcessingTime(2100);
  op.processElement({Event{"a", 2}, runtime::kNoTimestamp});  // In [1000, 3000) and [2000, 4000).
  h.setProcessingTime(5000);
  EXPECT_EQ(h.values(), (std::vector<Event>{{"a", 1}, {"a", 3}, {"a", 2}}));
}

class Reminder final : public KeyedProcessFunction<std::string, Event, std::string> {
 public:
  void processElement(const Event& e, Context& ctx, Collector<std::string>&) override {
    ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + e.second);
  }
  void onTimer(Timestamp t, OnTimerContext& ctx, Collector<std::string>& out) override {
    bool processing = ctx.timeDomain() == OnTimerContext::TimeDomain::kProcessingTime;
    out.collect(ctx.getCurrentKey() + "@" + std::to_string(t) + (processing ? " processing" : " event"));
  }
};

TEST(ProcessingTimeTimers, FireInTimeOrderWithTheirKeyAndNoTimestamp) {
  using KOp = KeyedProcessOperator<std::string, Event, std::string, Reminder>;
  OperatorHarness<std::string> h(std::make_unique<KOp>(Reminder{}, [](const Event& e) { return e.first; }));
  auto& op = h.as<KOp>();
  h.setProcessingTime(1000);
  op.processElement({Event{"a", 300}, 1});
  op.processElement({Event{"b", 100}, 2});
  op.processElement({Event{"a", 300}, 3});  // The same timer again: fires once.
  h.setProcessingTime(1200);
  EXPECT_EQ(h.values(), (std::vector<std::string>{"b@1100 processing"}));
  h.setProcessingTime(5000);
  EXPECT_EQ(h.values(), (std::vector<std::string>{"b@1100 processing", "a@1300 processing"}));
  EXPECT_EQ(h.output()[1].timestamp, runtime::kNoTimestamp);
}

}  // namespace
}  // namespace eddy::operators
