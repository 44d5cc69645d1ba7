#include "eddy/core/time_zone.h"

#include <gtest/gtest.h>

namespace eddy {
namespace {

constexpr int64_t kHour = 3'600'000;

// 2024-03-10 (US spring forward at 02:00 local), 2024-11-03 (fall back at 02:00).
constexpr int64_t kMar10 = 1'710'028'800'000;  // 2024-03-10 00:00 UTC
constexpr int64_t kNov3 = 1'730'592'000'000;   // 2024-11-03 00:00 UTC

TEST(TimeZoneTest, UtcAndFixedOffsets) {
  TimeZone utc;
  EXPECT_TRUE(utc.isUtc());
  EXPECT_EQ(utc.offsetAt(kMar10), 0);
  for (const char* id : {"+08:00", "GMT+8", "UTC+08:00", "+0800", "UT+08"}) {
    auto z = TimeZone::of(id);
    ASSERT_TRUE(z.isOk()) << id << ": " << z.status().message();
    EXPECT_EQ(z->offsetAt(kMar10), 8 * kHour) << id;
    EXPECT_EQ(z->toUtc(kMar10), kMar10 - 8 * kHour) << id;
  }
  EXPECT_EQ(TimeZone::of("-05:30")->offsetAt(0), -(5 * kHour + kHour / 2));
  for (const char* bad : {"+19:00", "+8:3", "GMT+", "+08:60", "../etc/passwd", "/etc/passwd", "Mars/Olympus", ""}) {
    EXPECT_FALSE(TimeZone::of(bad).isOk()) << bad;
  }
  EXPECT_NE(TimeZone::of("Mars/Olympus").status().message().find("unknown time zone 'Mars/Olympus'"), std::string::npos);
}

TEST(TimeZoneTest, RegionsFollowTheirTransitions) {
  auto shanghai = TimeZone::of("Asia/Shanghai");
  ASSERT_TRUE(shanghai.isOk()) << shanghai.status().message();
  EXPECT_EQ(shanghai->offsetAt(kMar10), 8 * kHour);
  EXPECT_EQ(shanghai->toLocal(0), 8 * kHour);  // 1970-01-01 08:00 in Shanghai.

  auto ny = TimeZone::of("America/New_York");
  ASSERT_TRUE(ny.isOk()) << ny.status().message();
  EXPECT_EQ(ny->offsetAt(kMar10), -5 * kHour);
  // 02:00 EST is 07:00 UTC: from then on, EDT.
  EXPECT_EQ(ny->offsetAt(kMar10 + 7 * kHour - 1), -5 * kHour);
  EXPECT_EQ(ny->offsetAt(kMar10 + 7 * kHour), -4 * kHour);
  EXPECT_EQ(ny->offsetAt(kNov3 + 6 * kHour - 1), -4 * kHour);  // 02:00 EDT = 06:00 UTC
  EXPECT_EQ(ny->offsetAt(kNov3 + 6 * kHour), -5 * kHour);
  EXPECT_EQ(ny->offsetAt(-1), -5 * kHour);  // Before 1970 too.
}

TEST(TimeZoneTest, WallClockTimesResolveAsJavaDoes) {
  auto ny = TimeZone::of("America/New_York");
  ASSERT_TRUE(ny.isOk());
  // An ordinary time: one instant.
  EXPECT_EQ(ny->toUtc(kMar10 + 12 * kHour), kMar10 + 16 * kHour);
  // 02:30 on 2024-03-10 does not exist: moved later by the gap, 03:30 EDT = 07:30 UTC.
  EXPECT_EQ(ny->toUtc(kMar10 + 2 * kHour + kHour / 2), kMar10 + 7 * kHour + kHour / 2);
  // 01:30 on 2024-11-03 happens twice: the earlier offset (EDT), 05:30 UTC.
  EXPECT_EQ(ny->toUtc(kNov3 + kHour + kHour / 2), kNov3 + 5 * kHour + kHour / 2);
  // Round trips away from transitions.
  for (int64_t t = kMar10 - 400 * kHour; t < kNov3 + 400 * kHour; t += 7 * kHour + 13) {
    const int64_t local = ny->toLocal(t);
    if (local >= kMar10 + 2 * kHour && local < kMar10 + 3 * kHour) continue;  // In the gap.
    if (local >= kNov3 + kHour && local < kNov3 + 2 * kHour) continue;        // In the overlap.
    ASSERT_EQ(ny->toUtc(local), t) << t;
  }
}

}  // namespace
}  // namespace eddy
