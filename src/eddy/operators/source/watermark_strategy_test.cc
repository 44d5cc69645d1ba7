#include "eddy/operators/source/watermark_strategy.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace eddy::operators {
namespace {

struct Recorder final : WatermarkOutput {
  std::vector<std::string> events;
  void emitWatermark(Timestamp wm) override { events.push_back(std::to_string(wm)); }
  void markIdle() override { events.push_back("idle"); }
  void markActive() override { events.push_back("active"); }
};

TEST(BoundedOutOfOrdernessWatermarks, EmitsMaxSeenMinusDelayMinusOneOnEveryPeriod) {
  BoundedOutOfOrdernessWatermarks<int> g(100);
  Recorder out;
  g.onPeriodicEmit(out);  // Nothing seen: Long.MIN_VALUE, as Flink.
  g.onEvent(0, 1000, out);
  g.onEvent(0, 700, out);  // Out of order: the maximum stays.
  g.onPeriodicEmit(out);
  g.onEvent(0, 1500, out);
  g.onPeriodicEmit(out);
  EXPECT_EQ(out.events, (std::vector<std::string>{std::to_string(kMinTimestamp), "899", "1399"}));
}

TEST(PunctuatedBoundedOutOfOrderness, EmitsAfterEveryEvent) {
  PunctuatedBoundedOutOfOrderness<int> g(10);
  Recorder out;
  g.onEvent(0, 100, out);
  g.onEvent(0, 50, out);
  g.onPeriodicEmit(out);
  g.onEvent(0, 200, out);
  EXPECT_EQ(out.events, (std::vector<std::string>{"89", "89", "189"}));
}

TEST(WatermarksWithIdleness, GoesIdleAfterTheTimeoutOfInactivityAndBackOnTheNextEvent) {
  Timestamp now = 0;
  WatermarksWithIdleness<int> g(std::make_unique<BoundedOutOfOrdernessWatermarks<int>>(0), 1000,
                                [&now] { return now; });
  Recorder out;
  g.onEvent(0, 5000, out);
  now = 200;
  g.onPeriodicEmit(out);  // Activity since the last check.
  now = 400;
  g.onPeriodicEmit(out);  // First quiet check: inactivity starts now.
  now = 1400;
  g.onPeriodicEmit(out);  // Exactly the timeout: not yet (Flink: strictly more).
  now = 1401;
  g.onPeriodicEmit(out);  // Idle; the inner generator's watermark is held back.
  now = 1600;
  g.onPeriodicEmit(out);  // Still idle: reported once.
  g.onEvent(0, 6000, out);
  now = 1800;
  g.onPeriodicEmit(out);
  EXPECT_EQ(out.events, (std::vector<std::string>{"4999", "4999", "4999", "idle", "active", "5999"}));
}

}  // namespace
}  // namespace eddy::operators
