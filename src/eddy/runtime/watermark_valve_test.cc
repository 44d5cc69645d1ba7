#include "eddy/runtime/watermark_valve.h"

#include <gtest/gtest.h>

namespace eddy::runtime {
namespace {

std::optional<Timestamp> wm(const WatermarkValve::Emit& e) {
  if (!e.watermark) return std::nullopt;
  return e.watermark->timestamp;
}

TEST(WatermarkValve, EmitsMinimumOverChannelsOnlyWhenItAdvances) {
  WatermarkValve v(2);
  EXPECT_EQ(wm(v.inputWatermark(0, Watermark{10})), std::nullopt);
  EXPECT_EQ(wm(v.inputWatermark(1, Watermark{5})), 5);
  EXPECT_EQ(wm(v.inputWatermark(1, Watermark{20})), 10);
  EXPECT_EQ(wm(v.inputWatermark(1, Watermark{15})), std::nullopt);  // Regression ignored.
  EXPECT_EQ(wm(v.inputWatermark(0, Watermark{30})), 20);
}

TEST(WatermarkValve, IdleChannelStopsHoldingTimeBack) {
  WatermarkValve v(2);
  v.inputWatermark(0, Watermark{100}).watermark.reset();
  EXPECT_EQ(wm(v.inputWatermarkStatus(1, WatermarkStatus::kIdle)), 100);
  // The channel comes back behind the output: it rejoins only when it catches up.
  EXPECT_FALSE(v.inputWatermarkStatus(1, WatermarkStatus::kActive).status.has_value());
  EXPECT_EQ(wm(v.inputWatermark(1, Watermark{50})), std::nullopt);
  EXPECT_EQ(wm(v.inputWatermark(0, Watermark{200})), 200);  // Channel 1 is not aligned.
  EXPECT_EQ(wm(v.inputWatermark(1, Watermark{150})), std::nullopt);
  EXPECT_EQ(wm(v.inputWatermark(1, Watermark{250})), std::nullopt);  // Aligned again.
  EXPECT_EQ(wm(v.inputWatermark(0, Watermark{300})), 250);
}

TEST(WatermarkValve, AllIdleTurnsOutputIdleAtMaxWatermark) {
  WatermarkValve v(2);
  (void)v.inputWatermark(0, Watermark{10});
  (void)v.inputWatermark(1, Watermark{40});
  (void)v.inputWatermarkStatus(1, WatermarkStatus::kIdle);
  auto e = v.inputWatermarkStatus(0, WatermarkStatus::kIdle);
  EXPECT_EQ(wm(e), 40);
  EXPECT_EQ(e.status, WatermarkStatus::kIdle);
  auto back = v.inputWatermarkStatus(0, WatermarkStatus::kActive);
  EXPECT_EQ(back.status, WatermarkStatus::kActive);
}

TEST(WatermarkValve, EndedChannelCountsAsMaxWatermark) {
  WatermarkValve v(2);
  (void)v.inputWatermark(0, Watermark{7});
  EXPECT_EQ(wm(v.endOfPartition(1)), 7);
  EXPECT_EQ(wm(v.endOfPartition(0)), kMaxTimestamp);
}

}  // namespace
}  // namespace eddy::runtime
