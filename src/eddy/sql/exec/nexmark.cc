#include "eddy/sql/exec/nexmark.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <iterator>

#include "eddy/sql/parser/sql_error.h"

namespace eddy::sql {
namespace {

// ---- The generator.

constexpr int64_t kFirstPersonId = 1000;
constexpr int64_t kFirstAuctionId = 1000;
constexpr int64_t kFirstCategoryId = 10;
constexpr int64_t kNumCategories = 5;
constexpr int64_t kPersonIdLead = 10;
constexpr int64_t kAuctionIdLead = 10;
constexpr int64_t kHotSellerRatio = 100;
constexpr int64_t kHotAuctionRatio = 100;
constexpr int64_t kHotBidderRatio = 100;
constexpr int64_t kHotChannelsRatio = 100;
constexpr int64_t kChannelsNumber = 10000;

const char* const kFirstNames[] = {"Peter", "Paul", "Luke", "John", "Saul", "Vicky", "Kate", "Julie", "Sarah", "Deiter", "Walter"};
const char* const kLastNames[] = {"Shultz", "Abrams", "Spencer", "White", "Bartels", "Walton", "Smith", "Jones", "Noris"};
const char* const kCities[] = {"Phoenix", "Los Angeles", "San Francisco", "Boise", "Portland",
                               "Bend",    "Redmond",     "Seattle",       "Kent",  "Cheyenne"};
const char* const kStates[] = {"AZ", "CA", "ID", "OR", "WA", "WY"};
const char* const kHotChannels[] = {"Google", "Facebook", "Baidu", "Apple"};
// The hot channels' URLs: fixed, as the benchmark draws them once.
const char* const kHotUrls[] = {"https://www.nexmark.com/uxmz/llbl/wkbq/item.htm?query=1",
                                "https://www.nexmark.com/kfzk/ptqb/jjvb/item.htm?query=1",
                                "https://www.nexmark.com/ywbo/gpwx/nsqx/item.htm?query=1",
                                "https://www.nexmark.com/hqcf/ktra/aiqe/item.htm?query=1"};

template <typename T, size_t N>
constexpr int64_t count(T (&)[N]) {
  return static_cast<int64_t>(N);
}

// Random lower-case letters that strings are cut from: one random number per string
// rather than one per character (the benchmark only needs the strings to look random).
const std::string& letterPool() {
  static const std::string pool = [] {
    static const char kLetters[] = "abcdefghijklmnopqrstuvwxyz";
    std::string p(1 << 16, ' ');
    uint64_t x = 0x2545f4914f6cdd1dULL;
    for (char& c : p) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      c = kLetters[x % 26];
    }
    return p;
  }();
  return pool;
}

// A random stream of one event: splitmix64 seeded by the event number and a stream id
// (0: the numbers; each string field has its own).
class Random {
 public:
  explicit Random(int64_t n, uint64_t stream = 0)
      : state_((static_cast<uint64_t>(n) * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL) ^
               (stream * 0xd1b54a32d192ed03ULL)) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // In [0, bound), by the high half of a 128-bit product (Lemire's reduction): no
  // division, and a bias of at most bound / 2^64.
  int64_t nextLong(int64_t bound) {
    if (bound <= 1) return 0;
    return static_cast<int64_t>((static_cast<unsigned __int128>(next()) * static_cast<uint64_t>(bound)) >> 64);
  }
  double nextDouble() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // Lower-case letters, `len` of them.
  void string(std::string& s, size_t len) { s.assign(string(len)); }
  // The same, as a view into the pool (which lives as long as the program): no copy.
  std::string_view string(size_t len) {
    const std::string& pool = letterPool();
    len = std::min(len, pool.size());
    return std::string_view(pool).substr(static_cast<size_t>(nextLong(static_cast<int64_t>(pool.size() - len + 1))), len);
  }

 private:
  uint64_t state_;
};

int64_t timestampOf(const NexmarkConfig& c, int64_t n) {
  return c.base_time + static_cast<int64_t>(static_cast<double>(n) * 1000.0 / c.rate);
}

bool isWholeNumber(double rate) { return rate >= 1 && rate < 0x1p52 && rate == static_cast<double>(static_cast<int64_t>(rate)); }

using Position = NexmarkGenerator::Position;

int64_t lastBase0PersonId(const NexmarkConfig& c, Position p) {
  return p.epoch * c.person_proportion + std::min(p.offset, c.person_proportion - 1);
}

int64_t lastBase0AuctionId(const NexmarkConfig& c, Position p) {
  int64_t epoch = p.epoch;
  int64_t offset = p.offset;
  if (offset < c.person_proportion) {
    --epoch;
    offset = c.auction_proportion - 1;
  } else if (offset >= c.person_proportion + c.auction_proportion) {
    offset = c.auction_proportion - 1;
  } else {
    offset -= c.person_proportion;
  }
  return epoch * c.auction_proportion + offset;
}

int64_t nextBase0PersonId(const NexmarkConfig& c, Position p, Random& r) {
  int64_t people = lastBase0PersonId(c, p) + 1;
  int64_t active = std::min(people, c.num_active_people);
  return people - active + r.nextLong(active + kPersonIdLead);
}

int64_t nextBase0AuctionId(const NexmarkConfig& c, Position p, Random& r) {
  int64_t max_auction = lastBase0AuctionId(c, p);
  int64_t min_auction = std::max<int64_t>(max_auction - c.num_in_flight_auctions, 0);
  return min_auction + r.nextLong(max_auction - min_auction + 1 + kAuctionIdLead);
}

// The benchmark's price: round(100 * 10^(6u)) cents for a uniform u, log-uniform from
// $1 to $1M. u's 52 random bits split into four parts, 10^(6u) = 10^(6 b1) * 10^(6 b2)
// * 10^(6 b3) * 10^(6 lo): the first three from 256-entry tables (6 KiB, which stay in
// the L1 cache beside the event's columns; two 16 KiB tables missed it), the last
// (below 2^-24, so 10^(6 lo) - 1 < 8.3e-7) as 1 + 6 ln(10) lo, whose relative error
// stays under 4e-13. Three independent loads and a few multiply-adds: libm's exp and
// llround were a fifth of a pass-through query's time, and a polynomial's chain of
// dependent steps was still a third of the generator's. The low bits become a double by
// the exponent trick: an integer-to-double conversion writes half a register and waits
// for its last writer (another event's arithmetic).
class PriceTable {
 public:
  PriceTable() {
    for (int k = 0; k < kSize; ++k) {
      high_[k] = 100.0 * std::pow(10.0, 6.0 * k / kSize);
      middle_[k] = std::pow(10.0, 6.0 * k / (static_cast<double>(kSize) * kSize));
      fine_[k] = std::pow(10.0, 6.0 * k / (static_cast<double>(kSize) * kSize * kSize));
    }
  }
  int64_t price(uint64_t random) const {
    const uint64_t bits = random >> 12;  // u = bits / 2^52
    const double low = std::bit_cast<double>((bits & kLowMask) | 0x4330000000000000ULL) - 0x1p52;
    const double scale = high_[bits >> 44] * middle_[(bits >> 36) & (kSize - 1)] * fine_[(bits >> 28) & (kSize - 1)];
    return static_cast<int64_t>(scale + scale * (low * kLowStep) + 0.5);
  }

 private:
  static constexpr int kSize = 256;  // 8 bits each for the three table parts
  static constexpr uint64_t kLowMask = (uint64_t{1} << 28) - 1;
  static constexpr double kLowStep = 6.0 * 2.302585092994046 * 0x1p-52;  // d/du 10^(6u) at 0, per low unit
  double high_[kSize];
  double middle_[kSize];
  double fine_[kSize];
};

const PriceTable kPrices;

int64_t nextPrice(Random& r) { return kPrices.price(r.next()); }

// Padding that brings an event to about `average` bytes.
void nextExtra(Random& r, std::string_view& s, int64_t current, int64_t average) {
  int64_t desired = average - current;
  if (desired <= 0) {
    s = {};
    return;
  }
  int64_t delta = (desired * 2 + 5) / 10;  // round(desired * 0.2), as the benchmark
  s = r.string(static_cast<size_t>(desired - delta + r.nextLong(2 * delta + 1)));
}

}  // namespace

NexmarkGenerator::NexmarkGenerator(const NexmarkConfig& config, const NexmarkStrings& strings)
    : config_(config), strings_(strings), proportions_(config.totalProportion()),
      whole_rate_(isWholeNumber(config.rate)), whole_rate_value_(whole_rate_ ? static_cast<int64_t>(config.rate) : 1),
      rate_(whole_rate_value_),
      auction_horizon_events_(config.num_in_flight_auctions * config.totalProportion() / config.auction_proportion) {}

int64_t NexmarkGenerator::timestamp(int64_t n, const Position& p) const {
  // n * 1000 / rate milliseconds, in integers when the rate is a whole number (and the
  // product fits): the same floor as the double division, without a divide.
  if (whole_rate_ && n <= kMaxWholeRateEvent) return config_.base_time + p.ms;
  return timestampOf(config_, n);
}

void NexmarkGenerator::generate(int64_t n, const Position& pos, NexmarkEvent& e) const {
  enum Stream : uint64_t { kNumbers, kPerson, kAuctionText, kChannel, kExtra };
  const NexmarkConfig& c = config_;
  Random r(n, kNumbers);
  e.timestamp = timestamp(n, pos);
  if (pos.offset < c.person_proportion) {
    e.type = NexmarkEvent::kPerson;
    e.person_id = lastBase0PersonId(c, pos) + kFirstPersonId;
    int64_t size = 8;
    if (strings_.person) {
      Random t(n, kPerson);
      e.name.assign(kFirstNames[t.nextLong(count(kFirstNames))]);
      e.name.append(" ").append(kLastNames[t.nextLong(count(kLastNames))]);
      e.email.assign(t.string(7)).append("@").append(t.string(5)).append(".com");
      char card[24];
      std::snprintf(card, sizeof card, "%04lld %04lld %04lld %04lld", static_cast<long long>(t.nextLong(10000)),
                    static_cast<long long>(t.nextLong(10000)), static_cast<long long>(t.nextLong(10000)),
                    static_cast<long long>(t.nextLong(10000)));
      e.credit_card = card;
      e.city = kCities[t.nextLong(count(kCities))];
      e.state = kStates[t.nextLong(count(kStates))];
      size += static_cast<int64_t>(e.name.size() + e.email.size() + e.credit_card.size() + e.city.size() +
                                   e.state.size());
    } else {
      size += 50;  // About the strings' usual length, for the extra's size.
    }
    if (strings_.extra) {
      Random t(n, kExtra);
      nextExtra(t, e.extra, size, c.avg_person_bytes);
    }
  } else if (pos.offset < c.person_proportion + c.auction_proportion) {
    e.type = NexmarkEvent::kAuction;
    e.auction_id = lastBase0AuctionId(c, pos) + kFirstAuctionId;
    int64_t seller = r.nextLong(c.hot_sellers_ratio) > 0 ? (lastBase0PersonId(c, pos) / kHotSellerRatio) * kHotSellerRatio
                                                         : nextBase0PersonId(c, pos, r);
    e.seller = seller + kFirstPersonId;
    e.category = kFirstCategoryId + r.nextLong(kNumCategories);
    e.initial_bid = nextPrice(r);
    // Long enough for about num_in_flight_auctions auctions to be open at a time.
    int64_t horizon = timestamp(n + auction_horizon_events_) - e.timestamp;
    e.expires = e.timestamp + 1 + r.nextLong(std::max<int64_t>(horizon * 2, 1));
    e.reserve = e.initial_bid + nextPrice(r);
    if (strings_.auction) {
      Random t(n, kAuctionText);
      e.item_name = t.string(20);
      e.description = t.string(100);
    }
    if (strings_.extra) {
      Random t(n, kExtra);
      nextExtra(t, e.extra, 8 + 20 + 100 + 8 + 8 + 8 + 8 + 8, c.avg_auction_bytes);
    }
  } else {
    e.type = NexmarkEvent::kBid;
    // The price first: its long chain of arithmetic overlaps the rest of the event.
    e.price = nextPrice(r);
    int64_t auction = r.nextLong(c.hot_auction_ratio) > 0
                          ? (lastBase0AuctionId(c, pos) / kHotAuctionRatio) * kHotAuctionRatio
                          : nextBase0AuctionId(c, pos, r);
    e.auction = auction + kFirstAuctionId;
    int64_t bidder = r.nextLong(c.hot_bidders_ratio) > 0
                         ? (lastBase0PersonId(c, pos) / kHotBidderRatio) * kHotBidderRatio + 1
                         : nextBase0PersonId(c, pos, r);
    e.bidder = bidder + kFirstPersonId;
    if (strings_.channel) {
      Random t(n, kChannel);
      int64_t channel = t.nextLong(kChannelsNumber);
      if (t.nextLong(kHotChannelsRatio) > 0) {
        int64_t i = t.nextLong(count(kHotChannels));
        e.channel = kHotChannels[i];
        e.url = kHotUrls[i];
      } else {
        e.channel = "channel-" + std::to_string(channel);
        // Java's Integer.reverse of the channel number, as the benchmark writes it.
        uint32_t v = static_cast<uint32_t>(channel), rev = 0;
        for (int k = 0; k < 32; ++k, v >>= 1) rev = (rev << 1) | (v & 1);
        e.url.assign("https://www.nexmark.com/").append(t.string(5)).append("/").append(t.string(5)).append("/");
        e.url.append(t.string(5)).append("/item.htm?query=1&channel_id=").append(std::to_string(static_cast<int32_t>(rev)));
      }
    }
    if (strings_.extra) {
      Random t(n, kExtra);
      nextExtra(t, e.extra, 32, c.avg_bid_bytes);
    }
  }
}

namespace {

// ---- The connector.

enum class Field {
  kEventType,
  kPersonId, kPersonName, kPersonEmail, kPersonCard, kPersonCity, kPersonState, kPersonTime, kPersonExtra,
  kAuctionId, kItemName, kDescription, kInitialBid, kReserve, kAuctionTime, kExpires, kSeller, kCategory, kAuctionExtra,
  kBidAuction, kBidBidder, kBidPrice, kBidChannel, kBidUrl, kBidTime, kBidExtra,
  kPersonNull, kAuctionNull, kBidNull,  // The ROW columns' null markers (rowNullMarker).
};

struct FieldInfo {
  const char* name;
  Field field;
  bool is_string;
};

constexpr FieldInfo kFields[] = {
    {"event_type", Field::kEventType, false},
    {"person.id", Field::kPersonId, false},           {"person.name", Field::kPersonName, true},
    {"person.emailAddress", Field::kPersonEmail, true}, {"person.creditCard", Field::kPersonCard, true},
    {"person.city", Field::kPersonCity, true},        {"person.state", Field::kPersonState, true},
    {"person.dateTime", Field::kPersonTime, false},   {"person.extra", Field::kPersonExtra, true},
    {"auction.id", Field::kAuctionId, false},         {"auction.itemName", Field::kItemName, true},
    {"auction.description", Field::kDescription, true}, {"auction.initialBid", Field::kInitialBid, false},
    {"auction.reserve", Field::kReserve, false},      {"auction.dateTime", Field::kAuctionTime, false},
    {"auction.expires", Field::kExpires, false},      {"auction.seller", Field::kSeller, false},
    {"auction.category", Field::kCategory, false},    {"auction.extra", Field::kAuctionExtra, true},
    {"bid.auction", Field::kBidAuction, false},       {"bid.bidder", Field::kBidBidder, false},
    {"bid.price", Field::kBidPrice, false},           {"bid.channel", Field::kBidChannel, true},
    {"bid.url", Field::kBidUrl, true},                {"bid.dateTime", Field::kBidTime, false},
    {"bid.extra", Field::kBidExtra, true},
    {"person.", Field::kPersonNull, false},           {"auction.", Field::kAuctionNull, false},
    {"bid.", Field::kBidNull, false},
};

constexpr bool fieldsInEnumOrder() {
  for (size_t i = 0; i < std::size(kFields); ++i) {
    if (static_cast<size_t>(kFields[i].field) != i) return false;
  }
  return true;
}
static_assert(fieldsInEnumOrder(), "kFields is indexed by Field");

bool isString(Field f) { return kFields[static_cast<size_t>(f)].is_string; }

NexmarkEvent::Type ownerOf(Field f) {
  if (f == Field::kPersonNull) return NexmarkEvent::kPerson;
  if (f == Field::kAuctionNull) return NexmarkEvent::kAuction;
  if (f >= Field::kBidAuction) return NexmarkEvent::kBid;
  if (f >= Field::kAuctionId) return NexmarkEvent::kAuction;
  return NexmarkEvent::kPerson;
}

// Which event types a query reads, as bits 1 << type (a filter on event_type pushed
// into the scan): the reader skips the others without generating them.
constexpr unsigned kAllTypes = 0b111;

NexmarkStrings stringsRead(const std::vector<Field>& fields, const std::vector<bool>& needed) {
  NexmarkStrings s{false, false, false, false};
  for (size_t c = 0; c < fields.size(); ++c) {
    if (!needed[c]) continue;
    switch (fields[c]) {
      case Field::kPersonName:
      case Field::kPersonEmail:
      case Field::kPersonCard:
      case Field::kPersonCity:
      case Field::kPersonState: s.person = true; break;
      case Field::kItemName:
      case Field::kDescription: s.auction = true; break;
      case Field::kBidChannel:
      case Field::kBidUrl: s.channel = true; break;
      case Field::kPersonExtra:
      case Field::kAuctionExtra:
      case Field::kBidExtra: s.extra = true; break;
      default: break;
    }
  }
  return s;
}

class NexmarkReader final : public RowReader {
 public:
  NexmarkReader(const NexmarkConfig& config, std::vector<Field> fields, const std::vector<bool>& needed,
                unsigned types, int subtask, int parallelism, int64_t emitted)
      : generator_(config, stringsRead(fields, needed)), events_(config.events), fields_(std::move(fields)),
        types_(types), subtask_(subtask), parallelism_(parallelism), emitted_(emitted) {
    for (size_t c = 0; c < fields_.size(); ++c) {
      if (!needed[c]) continue;
      if (fields_[c] >= Field::kPersonNull) {
        markers_.push_back({c, ownerOf(fields_[c])});
      } else if (isString(fields_[c])) {
        strings_read_.push_back(c);
      } else {
        ints_.push_back(intColumn(c, fields_[c]));
      }
    }
    last_bytes_.assign(fields_.size(), 0);
  }

  Result<runtime::ReadStatus> read(RecordBatch& out, int max_rows) override {
    const size_t base = out.size();
    const auto most = static_cast<size_t>(max_rows);
    // Number columns are sized for the batch up front and written in place, then
    // trimmed to the rows read.
    for (const IntColumn& w : ints_) {
      out.columns[w.column].i64.resize(base + most);
      out.columns[w.column].null.resize(base + most);
    }
    for (size_t c : strings_read_) {
      // As many bytes as the last batch's and an eighth: a batch a little longer than
      // the last does not double its buffer.
      out.columns[c].str.reserve(base + most, out.columns[c].str.bytes() + last_bytes_[c] + last_bytes_[c] / 8);
      out.columns[c].null.reserve(base + most);
    }
    size_t rows = 0;
    runtime::ReadStatus status = runtime::ReadStatus::kMoreAvailable;
    // The next event's number and position, stepped without a division per event.
    int64_t n = subtask_ + emitted_ * parallelism_;
    NexmarkGenerator::Position position = generator_.positionOf(n);
    const NexmarkGenerator::Position step = generator_.positionOf(parallelism_);
    bool ended = false;
    while (rows < most && !ended) {
      // A chunk of events, then each column's values from it in a loop of its own, which
      // keeps the column's member and owner in registers (row by row, every column's
      // description was loaded again around each generate() call). A chunk is small
      // enough to stay in the L1 cache between its loops.
      size_t chunk = 0;
      const size_t chunk_end = std::min(most - rows, chunk_.size());
      for (; chunk < chunk_end; ++emitted_, n += parallelism_, position = generator_.advance(position, step)) {
        if (events_ >= 0 && n >= events_) {
          ended = true;
          break;
        }
        if (types_ != kAllTypes && !(types_ & (1u << generator_.typeAt(position)))) continue;
        generator_.generate(n, position, chunk_[chunk++]);
      }
      fillColumns(out, base + rows, chunk);
      rows += chunk;
    }
    if (ended && rows == 0) status = runtime::ReadStatus::kEndOfInput;
    for (const IntColumn& w : ints_) {
      out.columns[w.column].i64.resize(base + rows);
      out.columns[w.column].null.resize(base + rows);
    }
    for (size_t c : strings_read_) last_bytes_[c] = out.columns[c].str.bytes();
    out.kinds.resize(base + rows, RowKind::kInsert);
    return status;
  }
  Result<operators::SplitState> snapshot() const override {
    return operators::SplitState{"nexmark-" + std::to_string(subtask_) + "-of-" + std::to_string(parallelism_),
                                 std::to_string(emitted_)};
  }

 private:
  // A number column the query reads: the event's member it is (event_type: none) and
  // the event type that has it (-1: every event).
  struct IntColumn {
    size_t column;
    int owner;
    int64_t NexmarkEvent::*member;
  };

  // The values of the first `count` events of chunk_ into rows `at`... of `out`.
  void fillColumns(RecordBatch& out, size_t at, size_t count) const {
    const NexmarkEvent* events = chunk_.data();
    for (const IntColumn& w : ints_) {
      int64_t* values = out.columns[w.column].i64.data() + at;
      uint8_t* nulls = out.columns[w.column].null.data() + at;
      const int owner = w.owner;
      int64_t NexmarkEvent::*const member = w.member;
      if (owner < 0) {  // event_type
        for (size_t r = 0; r < count; ++r) values[r] = events[r].type;
        std::fill(nulls, nulls + count, uint8_t{0});
        continue;
      }
      if (types_ == 1u << owner) {  // Only the owner's events are read (a view's scan).
        for (size_t r = 0; r < count; ++r) values[r] = events[r].*member;
        std::fill(nulls, nulls + count, uint8_t{0});
        continue;
      }
      for (size_t r = 0; r < count; ++r) {
        const bool own = events[r].type == owner;
        values[r] = own ? events[r].*member : 0;
        nulls[r] = !own;
      }
    }
    for (size_t c : strings_read_) {
      Column& col = out.columns[c];
      const Field f = fields_[c];
      const int owner = ownerOf(f);
      for (size_t r = 0; r < count; ++r) {
        if (events[r].type != owner) {
          col.appendNull();
        } else {
          col.str.push_back(stringOf(events[r], f));
          col.null.push_back(0);
        }
      }
    }
    for (const auto& [c, owner] : markers_) {  // A row of another event's type is NULL.
      Column& col = out.columns[c];
      for (size_t r = 0; r < count; ++r) col.i64.push_back(events[r].type != owner);
      col.null.resize(at + count, 0);
    }
  }

  static IntColumn intColumn(size_t column, Field f) {
    auto owned = [&](int64_t NexmarkEvent::*member) { return IntColumn{column, ownerOf(f), member}; };
    switch (f) {
      case Field::kPersonId: return owned(&NexmarkEvent::person_id);
      case Field::kPersonTime:
      case Field::kAuctionTime:
      case Field::kBidTime: return owned(&NexmarkEvent::timestamp);
      case Field::kAuctionId: return owned(&NexmarkEvent::auction_id);
      case Field::kInitialBid: return owned(&NexmarkEvent::initial_bid);
      case Field::kReserve: return owned(&NexmarkEvent::reserve);
      case Field::kExpires: return owned(&NexmarkEvent::expires);
      case Field::kSeller: return owned(&NexmarkEvent::seller);
      case Field::kCategory: return owned(&NexmarkEvent::category);
      case Field::kBidAuction: return owned(&NexmarkEvent::auction);
      case Field::kBidBidder: return owned(&NexmarkEvent::bidder);
      case Field::kBidPrice: return owned(&NexmarkEvent::price);
      default: return IntColumn{column, -1, nullptr};  // event_type
    }
  }

  static std::string_view stringOf(const NexmarkEvent& e, Field f) {
    switch (f) {
      case Field::kPersonName: return e.name;
      case Field::kPersonEmail: return e.email;
      case Field::kPersonCard: return e.credit_card;
      case Field::kPersonCity: return e.city;
      case Field::kPersonState: return e.state;
      case Field::kItemName: return e.item_name;
      case Field::kDescription: return e.description;
      case Field::kBidChannel: return e.channel;
      case Field::kBidUrl: return e.url;
      default: return e.extra;  // person.extra, auction.extra, bid.extra
    }
  }

  NexmarkGenerator generator_;
  int64_t events_;  // -1: unbounded
  std::vector<Field> fields_;
  // The columns the query reads; the others stay empty.
  std::vector<IntColumn> ints_;
  std::vector<size_t> strings_read_;
  std::vector<std::pair<size_t, int>> markers_;  // Null marker columns read: (column, the ROW's event type).
  unsigned types_;            // The event types it reads (kAllTypes: all).
  std::vector<size_t> last_bytes_;  // Per string column: its bytes in the last batch.
  int subtask_, parallelism_;
  int64_t emitted_;
  std::vector<NexmarkEvent> chunk_ = std::vector<NexmarkEvent>(64);  // Events being read (their strings' buffers kept).
};

class NexmarkFactory final : public RowSourceFactory {
 public:
  NexmarkFactory(NexmarkConfig config, std::vector<Field> fields)
      : config_(config), fields_(std::move(fields)), needed_(fields_.size(), true) {}
  bool isBounded() const override { return config_.events >= 0; }
  void projectColumns(const std::vector<bool>& needed) override { needed_ = needed; }
  // `event_type IN (...)`: a view's filter (bid, auction, person) skips the other events.
  bool applyFilter(int column, const std::vector<int64_t>& values) override {
    if (fields_[static_cast<size_t>(column)] != Field::kEventType) return false;
    unsigned types = 0;
    for (int64_t v : values) {
      if (v >= NexmarkEvent::kPerson && v <= NexmarkEvent::kBid) types |= 1u << v;
    }
    types_ &= types;
    return true;
  }
  Result<std::vector<std::unique_ptr<RowReader>>> create(int subtask, int parallelism, const Clock&) override {
    std::vector<std::unique_ptr<RowReader>> r;
    r.push_back(std::make_unique<NexmarkReader>(config_, fields_, needed_, types_, subtask, parallelism, 0));
    return r;
  }
  Result<std::vector<std::unique_ptr<RowReader>>> restore(const std::vector<operators::SplitState>& splits,
                                                           const Clock&) override {
    std::vector<std::unique_ptr<RowReader>> r;
    for (const auto& s : splits) {
      int subtask = 0, parallelism = 0;
      long long emitted = 0;
      if (std::sscanf(s.split.c_str(), "nexmark-%d-of-%d", &subtask, &parallelism) != 2 ||
          std::sscanf(s.position.c_str(), "%lld", &emitted) != 1 || parallelism <= 0) {
        return Status::invalidArgument("nexmark: cannot restore split '" + s.split + "' at '" + s.position + "'");
      }
      r.push_back(std::make_unique<NexmarkReader>(config_, fields_, needed_, types_, subtask, parallelism, emitted));
    }
    return r;
  }

 private:
  NexmarkConfig config_;
  std::vector<Field> fields_;
  std::vector<bool> needed_;
  unsigned types_ = kAllTypes;
};

}  // namespace

Result<std::shared_ptr<RowSourceFactory>> nexmarkSource(const std::string& table, const Options& o,
                                                        const Schema& physical) {
  NexmarkConfig c;
  EDDY_ASSIGN_OR_RETURN(c.events, intOption(table, o, "events.num", -1));
  EDDY_ASSIGN_OR_RETURN(int64_t rate, intOption(table, o, "first-event.rate", 10'000'000));
  EDDY_ASSIGN_OR_RETURN(rate, intOption(table, o, "next-event.rate", rate));
  if (rate <= 0) return Status::invalidArgument("table '" + table + "': option 'first-event.rate' must be positive");
  c.rate = static_cast<double>(rate);
  EDDY_ASSIGN_OR_RETURN(c.person_proportion, intOption(table, o, "person.proportion", 1));
  EDDY_ASSIGN_OR_RETURN(c.auction_proportion, intOption(table, o, "auction.proportion", 3));
  EDDY_ASSIGN_OR_RETURN(c.bid_proportion, intOption(table, o, "bid.proportion", 46));
  if (c.person_proportion < 1 || c.auction_proportion < 1 || c.bid_proportion < 0) {
    return Status::invalidArgument("table '" + table +
                                   "': the nexmark proportions must be at least 1 (persons, auctions) and 0 (bids)");
  }
  std::vector<Field> fields;
  for (const auto& col : physical) {
    const FieldInfo* info = nullptr;
    for (const FieldInfo& f : kFields) {
      if (col.name == f.name) info = &f;
    }
    if (!info) {
      std::vector<std::string> names;
      for (const FieldInfo& f : kFields) names.push_back(f.name);
      return Status::invalidArgument("table '" + table + "': the nexmark connector has no column '" + col.name + "'" +
                                     didYouMean(col.name, names));
    }
    bool is_string = col.type.storage() == Storage::kString;
    bool is_int = col.type.storage() == Storage::kInt64 && col.type.id != TypeId::kDecimal;
    if (info->is_string ? !is_string : !is_int) {
      return Status::invalidArgument("table '" + table + "': nexmark column '" + col.name + "' must be " +
                                     (info->is_string ? "VARCHAR" : "an integer or a TIMESTAMP(3)") + ", not " +
                                     col.type.toString());
    }
    fields.push_back(info->field);
  }
  return std::shared_ptr<RowSourceFactory>(std::make_shared<NexmarkFactory>(c, std::move(fields)));
}

}  // namespace eddy::sql
