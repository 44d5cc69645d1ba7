#include "eddy/runtime/task.h"

#include <gtest/gtest.h>

namespace eddy::runtime {
namespace {

using std::chrono::milliseconds;

TEST(IdleWaitTest, SleepsTheMaximumWhenNoTimerIsPending) {
  // kMaxTimestamp means "no timer": the wait must be the cap, not an overflow into the
  // past (which made idle tasks spin).
  EXPECT_EQ(idleWait(kMaxTimestamp, 1'700'000'000'000, milliseconds(50)), milliseconds(50));
}

TEST(IdleWaitTest, WakesForTheNextTimerAndNotAtAllWhenItIsDue) {
  EXPECT_EQ(idleWait(1'030, 1'000, milliseconds(50)), milliseconds(30));
  EXPECT_EQ(idleWait(1'000, 1'000, milliseconds(50)), milliseconds(0));
  EXPECT_EQ(idleWait(900, 1'000, milliseconds(50)), milliseconds(0));
  EXPECT_EQ(idleWait(1'051, 1'000, milliseconds(50)), milliseconds(50));
}

}  // namespace
}  // namespace eddy::runtime
