#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "eddy/core/fixed_divisor.h"
#include "eddy/sql/exec/connector_options.h"
#include "eddy/sql/exec/table_source.h"

namespace eddy::sql {

/// The Nexmark benchmark's event generator (persons, auctions and bids of an online
/// auction, after the Beam / nexmark-flink generator): event n is a person, an auction
/// or a bid by n modulo the proportions (1:3:46 by default); ids, hot sellers, hot
/// bidders and hot auctions, prices and strings follow the benchmark's rules. Each
/// event is computed from its number alone (its random stream is seeded by it), so the
/// events do not depend on how the sequence is split between subtasks. Event n's time
/// is base_time + n / rate seconds.
struct NexmarkConfig {
  int64_t events = -1;  // -1: unbounded
  double rate = 10'000'000;  // events per second of event time ('first-event.rate')
  int64_t person_proportion = 1, auction_proportion = 3, bid_proportion = 46;
  int64_t base_time = 1436918400000;  // 2015-07-15 00:00:00 UTC, as Beam's generator
  int64_t hot_auction_ratio = 2, hot_sellers_ratio = 4, hot_bidders_ratio = 4;
  int64_t num_active_people = 1000, num_in_flight_auctions = 100;
  int64_t avg_person_bytes = 200, avg_auction_bytes = 500, avg_bid_bytes = 100;

  int64_t totalProportion() const { return person_proportion + auction_proportion + bid_proportion; }
};

/// One generated event. Strings are only filled for the event's own type. A bid's
/// numbers and extra come first, in one cache line (bids are 46 of 50 events).
struct NexmarkEvent {
  enum Type : int { kPerson = 0, kAuction = 1, kBid = 2 };
  Type type = kBid;
  int64_t timestamp = 0;
  // bid
  int64_t auction = 0, bidder = 0, price = 0;
  // all
  std::string_view extra;  // A view into a static pool of letters.
  // person
  int64_t person_id = 0;
  // auction
  int64_t auction_id = 0, initial_bid = 0, reserve = 0, expires = 0, seller = 0, category = 0;
  std::string_view item_name, description;  // Views into a static pool of letters.
  // person
  std::string name, email, credit_card, city, state;
  // bid
  std::string channel, url;
};

/// Which string fields to generate (numbers are cheap and always are). Each string
/// has its own random stream, so skipping one changes no other field.
struct NexmarkStrings {
  bool person = true;   // name, emailAddress, creditCard, city, state
  bool auction = true;  // itemName, description
  bool channel = true;  // bid channel and url
  bool extra = true;    // every event's extra
};

/// The events of one configuration. Event n is computed from its number alone.
/// Thread: a value; generate() is const and may run on any thread.
class NexmarkGenerator {
 public:
  explicit NexmarkGenerator(const NexmarkConfig& config, const NexmarkStrings& strings = NexmarkStrings());
  /// Where event n falls: in the proportions (epoch n / total, offset n % total) and,
  /// when the rate is a whole number, in time (n * 1000 / rate ms, and the remainder).
  struct Position {
    int64_t epoch = 0, offset = 0;
    int64_t ms = 0, ms_rest = 0;
  };
  Position positionOf(int64_t n) const {
    Position p;
    proportions_.divide(n, p.epoch, p.offset);
    if (whole_rate_ && n <= kMaxWholeRateEvent) rate_.divide(n * 1000, p.ms, p.ms_rest);
    return p;
  }
  /// The position `step` events after `p`, with `step` as a position too
  /// (positionOf(events)): readers step through the sequence without dividing.
  Position advance(Position p, const Position& step) const {
    p.epoch += step.epoch;
    p.offset += step.offset;
    if (p.offset >= config_.totalProportion()) {
      p.offset -= config_.totalProportion();
      ++p.epoch;
    }
    p.ms += step.ms;
    p.ms_rest += step.ms_rest;
    if (p.ms_rest >= whole_rate_value_) {
      p.ms_rest -= whole_rate_value_;
      ++p.ms;
    }
    return p;
  }
  /// The type of the event at `p`, without generating it.
  NexmarkEvent::Type typeAt(const Position& p) const {
    return p.offset < config_.person_proportion                                 ? NexmarkEvent::kPerson
           : p.offset < config_.person_proportion + config_.auction_proportion ? NexmarkEvent::kAuction
                                                                                : NexmarkEvent::kBid;
  }
  NexmarkEvent::Type typeOf(int64_t n) const { return typeAt(positionOf(n)); }
  /// Generates event n into `e` (its strings reuse their capacity; the views stay valid
  /// for the program's life).
  void generate(int64_t n, NexmarkEvent& e) const { generate(n, positionOf(n), e); }
  /// The same, with n's position known.
  void generate(int64_t n, const Position& position, NexmarkEvent& e) const;
  /// Event n's time: base_time + n / rate seconds, in milliseconds.
  int64_t timestamp(int64_t n) const { return timestamp(n, positionOf(n)); }

 private:
  NexmarkConfig config_;
  NexmarkStrings strings_;
  FixedDivisor proportions_;  // By the proportions' total: epoch and offset of event n.
  // Event n at position p: its time.
  int64_t timestamp(int64_t n, const Position& p) const;
  // Above this, n * 1000 overflows: times come from doubles.
  static constexpr int64_t kMaxWholeRateEvent = INT64_MAX / 1000;

  bool whole_rate_;           // The rate is a whole number of events per second:
  int64_t whole_rate_value_;  // that number (else 1),
  FixedDivisor rate_;         // and times divide by it.
  int64_t auction_horizon_events_;  // Events for about num_in_flight_auctions auctions.
};

/// The 'nexmark' table connector: options 'events.num', 'first-event.rate' (also
/// 'next-event.rate'), 'person.proportion', 'auction.proportion', 'bid.proportion'.
/// The table's physical columns are picked by name from Flink's nexmark DDL:
/// event_type, person.{id, name, emailAddress, creditCard, city, state, dateTime,
/// extra}, auction.{id, itemName, description, initialBid, reserve, dateTime, expires,
/// seller, category, extra}, bid.{auction, bidder, price, channel, url, dateTime, extra}.
Result<std::shared_ptr<RowSourceFactory>> nexmarkSource(const std::string& table, const Options& options,
                                                        const Schema& physical);

}  // namespace eddy::sql
