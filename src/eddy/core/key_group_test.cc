#include "eddy/core/key_group.h"

#include <gtest/gtest.h>

#include <string>

#include "eddy/core/key_hash.h"

namespace eddy {
namespace {

TEST(KeyGroupRange, SplitsKeyGroupsAsFlinkDoes) {
  EXPECT_EQ(KeyGroupRange::forOperator(128, 2, 0).start, 0);
  EXPECT_EQ(KeyGroupRange::forOperator(128, 2, 0).end, 63);
  EXPECT_EQ(KeyGroupRange::forOperator(128, 2, 1).start, 64);
  EXPECT_EQ(KeyGroupRange::forOperator(128, 3, 1).start, 43);
  EXPECT_EQ(KeyGroupRange::forOperator(128, 3, 1).end, 85);
  EXPECT_EQ(KeyGroupRange::forOperator(128, 3, 2).end, 127);
}

TEST(KeyGroupRange, EveryKeyGroupBelongsToTheOperatorWhoseRangeHoldsIt) {
  for (int mp : {1, 7, 128, 1000}) {
    for (int p = 1; p <= mp && p <= 37; ++p) {
      for (int kg = 0; kg < mp; ++kg) {
        int op = operatorIndexForKeyGroup(kg, mp, p);
        ASSERT_TRUE(KeyGroupRange::forOperator(mp, p, op).contains(kg))
            << "mp=" << mp << " p=" << p << " kg=" << kg;
      }
    }
  }
}

TEST(MurmurHash, IsNonNegativeAndSpreadsSmallIntegers) {
  int buckets[128] = {};
  for (int i = -5000; i < 5000; ++i) {
    int32_t h = murmurHash(i);
    ASSERT_GE(h, 0);
    ++buckets[h % 128];
  }
  for (int b : buckets) EXPECT_GT(b, 40);
}

TEST(KeyHash, MatchesJavaHashCode) {
  EXPECT_EQ(KeyHash<std::string>()("abc"), 96354);
  EXPECT_EQ(KeyHash<std::string>()(""), 0);
  EXPECT_EQ(KeyHash<int64_t>()(int64_t{1} << 32), 1);
  EXPECT_EQ(KeyHash<int64_t>()(-1), 0);
  EXPECT_EQ(KeyHash<int32_t>()(-7), -7);
  EXPECT_EQ(KeyHash<double>()(1.0), 1072693248);
}

}  // namespace
}  // namespace eddy
