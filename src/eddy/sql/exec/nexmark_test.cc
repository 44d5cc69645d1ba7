#include "eddy/sql/exec/nexmark.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "eddy/sql/exec/expression.h"

namespace eddy::sql {
namespace {

TEST(Nexmark, EventsFollowTheProportionsAndTypeOfAgreesWithTheEvent) {
  NexmarkConfig config;
  NexmarkGenerator generator(config);
  NexmarkEvent e;
  int counts[3] = {0, 0, 0};
  for (int64_t n = 0; n < 50'000; ++n) {
    generator.generate(n, e);
    ASSERT_EQ(generator.typeOf(n), e.type) << n;
    ++counts[e.type];
    // Event n of every 50 is a person for n % 50 == 0, an auction for 1..3, else a bid.
    const int64_t offset = n % 50;
    ASSERT_EQ(e.type, offset == 0 ? NexmarkEvent::kPerson : offset <= 3 ? NexmarkEvent::kAuction : NexmarkEvent::kBid);
  }
  EXPECT_EQ(counts[0], 1'000);
  EXPECT_EQ(counts[1], 3'000);
  EXPECT_EQ(counts[2], 46'000);
}

TEST(Nexmark, AnEventDependsOnItsNumberAloneNotOnWhatWasGeneratedBefore) {
  NexmarkConfig config;
  NexmarkGenerator all(config);
  NexmarkGenerator numbers_only(config, NexmarkStrings{false, false, false, false});
  NexmarkEvent forward, backward, bare;
  std::vector<int64_t> numbers;  // Per event: its price, or a person's id.
  for (int64_t n = 0; n < 2'000; ++n) {
    all.generate(n, forward);
    numbers.push_back(forward.type == NexmarkEvent::kBid       ? forward.price
                     : forward.type == NexmarkEvent::kAuction ? forward.initial_bid
                                                              : forward.person_id);
  }
  for (int64_t n = 1'999; n >= 0; --n) {
    all.generate(n, backward);
    numbers_only.generate(n, bare);
    const int64_t number = backward.type == NexmarkEvent::kBid       ? backward.price
                          : backward.type == NexmarkEvent::kAuction ? backward.initial_bid
                                                                    : backward.person_id;
    ASSERT_EQ(number, numbers[static_cast<size_t>(n)]) << n;
    // Skipping the strings changes no number.
    ASSERT_EQ(bare.timestamp, backward.timestamp);
    if (bare.type == NexmarkEvent::kBid) {
      ASSERT_EQ(bare.auction, backward.auction);
      ASSERT_EQ(bare.bidder, backward.bidder);
      ASSERT_EQ(bare.price, backward.price);
    }
  }
}

TEST(Nexmark, PricesAreLogUniformFromOneDollarToAMillion) {
  NexmarkConfig config;
  NexmarkGenerator generator(config, NexmarkStrings{false, false, false, false});
  NexmarkEvent e;
  int64_t bids = 0, below_1000_dollars = 0, lowest = INT64_MAX, highest = 0;
  for (int64_t n = 0; n < 200'000; ++n) {
    generator.generate(n, e);
    if (e.type != NexmarkEvent::kBid) continue;
    ++bids;
    lowest = std::min(lowest, e.price);
    highest = std::max(highest, e.price);
    if (e.price < 100'000) ++below_1000_dollars;  // 10^(6u) < 10^3: half of them.
  }
  EXPECT_GE(lowest, 100);
  EXPECT_LE(highest, 100'000'000);
  EXPECT_LT(lowest, 110);
  EXPECT_GT(highest, 90'000'000);
  EXPECT_NEAR(static_cast<double>(below_1000_dollars) / static_cast<double>(bids), 0.5, 0.01);
}

TEST(Nexmark, BidsReferToAuctionsAndPersonsThatExistOrAreAboutTo) {
  NexmarkConfig config;
  NexmarkGenerator generator(config, NexmarkStrings{false, false, false, false});
  NexmarkEvent e;
  int64_t last_person = -1, last_auction = -1;
  for (int64_t n = 0; n < 100'000; ++n) {
    generator.generate(n, e);
    if (e.type == NexmarkEvent::kPerson) last_person = e.person_id;
    if (e.type == NexmarkEvent::kAuction) {
      last_auction = e.auction_id;
      ASSERT_GT(e.expires, e.timestamp);
      ASSERT_GT(e.reserve, e.initial_bid);
      ASSERT_LE(e.seller, last_person + 10);
    }
    if (e.type == NexmarkEvent::kBid) {
      ASSERT_GE(e.auction, 1000);
      ASSERT_LE(e.auction, last_auction + 10);
      ASSERT_GE(e.bidder, 1000);
      ASSERT_LE(e.bidder, last_person + 10);
    }
  }
}

TEST(Nexmark, EventTimeIsTheEventNumberOverTheRate) {
  for (double rate : {1000.0, 10'000'000.0, 3.0, 7.0, 2.5}) {
    NexmarkConfig config;
    config.rate = rate;
    NexmarkGenerator generator(config);
    for (int64_t n : {int64_t{0}, int64_t{1}, int64_t{2}, int64_t{3}, int64_t{999}, int64_t{10'000}, int64_t{123'456'789},
                      int64_t{1} << 40}) {
      const auto expected = config.base_time + static_cast<int64_t>(static_cast<double>(n) * 1000.0 / rate);
      ASSERT_EQ(generator.timestamp(n), expected) << "event " << n << " at rate " << rate;
    }
  }
}

TEST(Nexmark, SteppingThroughPositionsAgreesWithComputingEachOne) {
  for (double rate : {7.0, 10'000'000.0}) {
    NexmarkConfig config;
    config.rate = rate;
    NexmarkGenerator generator(config, NexmarkStrings{false, false, false, false});
    for (int64_t step : {1, 3, 50, 77}) {
      int64_t n = 5;
      NexmarkGenerator::Position p = generator.positionOf(n);
      const NexmarkGenerator::Position by = generator.positionOf(step);
      NexmarkEvent stepped, direct;
      for (int i = 0; i < 500; ++i, n += step, p = generator.advance(p, by)) {
        const NexmarkGenerator::Position want = generator.positionOf(n);
        ASSERT_EQ(p.epoch, want.epoch) << n;
        ASSERT_EQ(p.offset, want.offset) << n;
        ASSERT_EQ(p.ms, want.ms) << n;
        ASSERT_EQ(p.ms_rest, want.ms_rest) << n;
        generator.generate(n, p, stepped);
        generator.generate(n, direct);
        ASSERT_EQ(stepped.timestamp, direct.timestamp);
        ASSERT_EQ(stepped.type, direct.type);
      }
    }
  }
}

}  // namespace
}  // namespace eddy::sql
