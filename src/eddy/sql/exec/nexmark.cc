#include "eddy/sql/exec/nexmark.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

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
  int64_t nextLong(int64_t bound) { return bound <= 1 ? 0 : static_cast<int64_t>(next() % static_cast<uint64_t>(bound)); }
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

int64_t lastBase0PersonId(const NexmarkConfig& c, int64_t n) {
  int64_t epoch = n / c.totalProportion();
  int64_t offset = std::min(n % c.totalProportion(), c.person_proportion - 1);
  return epoch * c.person_proportion + offset;
}

int64_t lastBase0AuctionId(const NexmarkConfig& c, int64_t n) {
  int64_t epoch = n / c.totalProportion();
  int64_t offset = n % c.totalProportion();
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

int64_t nextBase0PersonId(const NexmarkConfig& c, int64_t n, Random& r) {
  int64_t people = lastBase0PersonId(c, n) + 1;
  int64_t active = std::min(people, c.num_active_people);
  return people - active + r.nextLong(active + kPersonIdLead);
}

int64_t nextBase0AuctionId(const NexmarkConfig& c, int64_t n, Random& r) {
  int64_t max_auction = lastBase0AuctionId(c, n);
  int64_t min_auction = std::max<int64_t>(max_auction - c.num_in_flight_auctions, 0);
  return min_auction + r.nextLong(max_auction - min_auction + 1 + kAuctionIdLead);
}

// round(10^(6u) * 100), with 10^x as e^(x ln 10): exp is several times cheaper than pow.
int64_t nextPrice(Random& r) { return std::llround(std::exp(r.nextDouble() * 6.0 * 2.302585092994046) * 100.0); }

// Padding that brings an event to about `average` bytes.
void nextExtra(Random& r, std::string_view& s, int64_t current, int64_t average) {
  int64_t desired = average - current;
  if (desired <= 0) {
    s = {};
    return;
  }
  int64_t delta = std::llround(static_cast<double>(desired) * 0.2);
  s = r.string(static_cast<size_t>(desired - delta + r.nextLong(2 * delta + 1)));
}

}  // namespace

void generateNexmarkEvent(const NexmarkConfig& c, int64_t n, NexmarkEvent& e, const NexmarkStrings& want) {
  enum Stream : uint64_t { kNumbers, kPerson, kAuctionText, kChannel, kExtra };
  Random r(n, kNumbers);
  e.timestamp = timestampOf(c, n);
  int64_t offset = n % c.totalProportion();
  if (offset < c.person_proportion) {
    e.type = NexmarkEvent::kPerson;
    e.person_id = lastBase0PersonId(c, n) + kFirstPersonId;
    int64_t size = 8;
    if (want.person) {
      Random t(n, kPerson);
      e.name = std::string(kFirstNames[t.nextLong(count(kFirstNames))]) + " " + kLastNames[t.nextLong(count(kLastNames))];
      std::string user, host;
      t.string(user, 7);
      t.string(host, 5);
      e.email = user + "@" + host + ".com";
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
    if (want.extra) {
      Random t(n, kExtra);
      nextExtra(t, e.extra, size, c.avg_person_bytes);
    }
  } else if (offset < c.person_proportion + c.auction_proportion) {
    e.type = NexmarkEvent::kAuction;
    e.auction_id = lastBase0AuctionId(c, n) + kFirstAuctionId;
    int64_t seller = r.nextLong(c.hot_sellers_ratio) > 0 ? (lastBase0PersonId(c, n) / kHotSellerRatio) * kHotSellerRatio
                                                         : nextBase0PersonId(c, n, r);
    e.seller = seller + kFirstPersonId;
    e.category = kFirstCategoryId + r.nextLong(kNumCategories);
    e.initial_bid = nextPrice(r);
    // Long enough for about num_in_flight_auctions auctions to be open at a time.
    int64_t events_for_auctions = c.num_in_flight_auctions * c.totalProportion() / c.auction_proportion;
    int64_t horizon = timestampOf(c, n + events_for_auctions) - e.timestamp;
    e.expires = e.timestamp + 1 + r.nextLong(std::max<int64_t>(horizon * 2, 1));
    e.reserve = e.initial_bid + nextPrice(r);
    if (want.auction) {
      Random t(n, kAuctionText);
      e.item_name = t.string(20);
      e.description = t.string(100);
    }
    if (want.extra) {
      Random t(n, kExtra);
      nextExtra(t, e.extra, 8 + 20 + 100 + 8 + 8 + 8 + 8 + 8, c.avg_auction_bytes);
    }
  } else {
    e.type = NexmarkEvent::kBid;
    int64_t auction = r.nextLong(c.hot_auction_ratio) > 0
                          ? (lastBase0AuctionId(c, n) / kHotAuctionRatio) * kHotAuctionRatio
                          : nextBase0AuctionId(c, n, r);
    e.auction = auction + kFirstAuctionId;
    int64_t bidder = r.nextLong(c.hot_bidders_ratio) > 0
                         ? (lastBase0PersonId(c, n) / kHotBidderRatio) * kHotBidderRatio + 1
                         : nextBase0PersonId(c, n, r);
    e.bidder = bidder + kFirstPersonId;
    e.price = nextPrice(r);
    if (want.channel) {
      Random t(n, kChannel);
      int64_t channel = t.nextLong(kChannelsNumber);
      if (t.nextLong(kHotChannelsRatio) > 0) {
        int64_t i = t.nextLong(count(kHotChannels));
        e.channel = kHotChannels[i];
        e.url = kHotUrls[i];
      } else {
        e.channel = "channel-" + std::to_string(channel);
        std::string a, b, d;
        t.string(a, 5);
        t.string(b, 5);
        t.string(d, 5);
        // Java's Integer.reverse of the channel number, as the benchmark writes it.
        uint32_t v = static_cast<uint32_t>(channel), rev = 0;
        for (int k = 0; k < 32; ++k, v >>= 1) rev = (rev << 1) | (v & 1);
        e.url = "https://www.nexmark.com/" + a + "/" + b + "/" + d + "/item.htm?query=1&channel_id=" +
                std::to_string(static_cast<int32_t>(rev));
      }
    }
    if (want.extra) {
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
};

struct FieldInfo {
  const char* name;
  Field field;
  bool is_string;
};

const FieldInfo kFields[] = {
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
};

NexmarkEvent::Type ownerOf(Field f) {
  if (f >= Field::kBidAuction) return NexmarkEvent::kBid;
  if (f >= Field::kAuctionId) return NexmarkEvent::kAuction;
  return NexmarkEvent::kPerson;
}

class NexmarkReader final : public RowReader {
 public:
  NexmarkReader(const NexmarkConfig& config, std::vector<Field> fields, std::vector<bool> needed, int subtask,
                int parallelism, int64_t emitted)
      : config_(config), fields_(std::move(fields)), needed_(std::move(needed)), subtask_(subtask),
        parallelism_(parallelism), emitted_(emitted) {
    strings_ = NexmarkStrings{false, false, false, false};
    for (size_t c = 0; c < fields_.size(); ++c) {
      if (!needed_[c]) continue;
      read_.push_back(c);
      switch (fields_[c]) {
        case Field::kPersonName:
        case Field::kPersonEmail:
        case Field::kPersonCard:
        case Field::kPersonCity:
        case Field::kPersonState: strings_.person = true; break;
        case Field::kItemName:
        case Field::kDescription: strings_.auction = true; break;
        case Field::kBidChannel:
        case Field::kBidUrl: strings_.channel = true; break;
        case Field::kPersonExtra:
        case Field::kAuctionExtra:
        case Field::kBidExtra: strings_.extra = true; break;
        default: break;
      }
    }
  }

  Result<runtime::ReadStatus> read(RecordBatch& out, int max_rows) override {
    for (int k = 0; k < max_rows; ++k) {
      int64_t n = subtask_ + emitted_ * parallelism_;
      if (config_.events >= 0 && n >= config_.events) {
        return k == 0 ? runtime::ReadStatus::kEndOfInput : runtime::ReadStatus::kMoreAvailable;
      }
      generateNexmarkEvent(config_, n, event_, strings_);
      ++emitted_;
      for (size_t c : read_) append(out.columns[c], fields_[c]);
      out.kinds.push_back(RowKind::kInsert);
    }
    return runtime::ReadStatus::kMoreAvailable;
  }
  Result<operators::SplitState> snapshot() const override {
    return operators::SplitState{"nexmark-" + std::to_string(subtask_) + "-of-" + std::to_string(parallelism_),
                                 std::to_string(emitted_)};
  }

 private:
  void append(Column& col, Field f) {
    const NexmarkEvent& e = event_;
    if (f != Field::kEventType && ownerOf(f) != e.type) {
      col.appendNull();
      return;
    }
    switch (f) {
      case Field::kEventType: return pushInt(col, e.type);
      case Field::kPersonId: return pushInt(col, e.person_id);
      case Field::kPersonName: return pushString(col, e.name);
      case Field::kPersonEmail: return pushString(col, e.email);
      case Field::kPersonCard: return pushString(col, e.credit_card);
      case Field::kPersonCity: return pushString(col, e.city);
      case Field::kPersonState: return pushString(col, e.state);
      case Field::kPersonTime:
      case Field::kAuctionTime:
      case Field::kBidTime: return pushInt(col, e.timestamp);
      case Field::kPersonExtra:
      case Field::kAuctionExtra:
      case Field::kBidExtra: return pushString(col, e.extra);
      case Field::kAuctionId: return pushInt(col, e.auction_id);
      case Field::kItemName: return pushString(col, e.item_name);
      case Field::kDescription: return pushString(col, e.description);
      case Field::kInitialBid: return pushInt(col, e.initial_bid);
      case Field::kReserve: return pushInt(col, e.reserve);
      case Field::kExpires: return pushInt(col, e.expires);
      case Field::kSeller: return pushInt(col, e.seller);
      case Field::kCategory: return pushInt(col, e.category);
      case Field::kBidAuction: return pushInt(col, e.auction);
      case Field::kBidBidder: return pushInt(col, e.bidder);
      case Field::kBidPrice: return pushInt(col, e.price);
      case Field::kBidChannel: return pushString(col, e.channel);
      case Field::kBidUrl: return pushString(col, e.url);
    }
  }
  static void pushInt(Column& col, int64_t v) {
    col.i64.push_back(v);
    col.null.push_back(0);
  }
  static void pushString(Column& col, std::string_view s) {
    col.str.push_back(s);
    col.null.push_back(0);
  }

  NexmarkConfig config_;
  std::vector<Field> fields_;
  std::vector<bool> needed_;  // Columns the query reads; the others stay empty.
  std::vector<size_t> read_;  // Their indexes.
  NexmarkStrings strings_;
  int subtask_, parallelism_;
  int64_t emitted_;
  NexmarkEvent event_;
};

class NexmarkFactory final : public RowSourceFactory {
 public:
  NexmarkFactory(NexmarkConfig config, std::vector<Field> fields)
      : config_(config), fields_(std::move(fields)), needed_(fields_.size(), true) {}
  bool isBounded() const override { return config_.events >= 0; }
  void projectColumns(const std::vector<bool>& needed) override { needed_ = needed; }
  Result<std::vector<std::unique_ptr<RowReader>>> create(int subtask, int parallelism, const Clock&) override {
    std::vector<std::unique_ptr<RowReader>> r;
    r.push_back(std::make_unique<NexmarkReader>(config_, fields_, needed_, subtask, parallelism, 0));
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
      r.push_back(std::make_unique<NexmarkReader>(config_, fields_, needed_, subtask, parallelism, emitted));
    }
    return r;
  }

 private:
  NexmarkConfig config_;
  std::vector<Field> fields_;
  std::vector<bool> needed_;
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
