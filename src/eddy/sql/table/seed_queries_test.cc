// The two queries of the seed article, on generated out-of-order orders read from a
// CSV file, checked against the same results computed by plain loops: the 5-minute
// tumbling revenue per customer, and the anomaly query (CTEs, HOP, AVG/STDDEV over the
// windows, CROSS JOIN with that single-row aggregate).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>

#include "eddy/sql/table/changelog_testing.h"
#include "eddy/sql/table/table_environment.h"

namespace eddy::sql {
namespace {

constexpr int64_t kBase = 1704067200000;  // 2024-01-01 00:00:00 UTC
constexpr int64_t kMinute = 60000;

struct Order {
  int64_t id, customer, cents, ts;
};

std::string timestamp(int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];  // Room for any int fields, so the compiler sees no truncation.
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%03d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}

std::string money(int64_t cents) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s%lld.%02lld", cents < 0 ? "-" : "", static_cast<long long>(std::llabs(cents) / 100),
                static_cast<long long>(std::llabs(cents) % 100));
  return buf;
}

// Orders 350 ms apart on average, each up to 4 s late relative to its neighbours, so
// the stream is out of order but within the 5 s the watermark allows (no row is late,
// whatever the watermark's timing). A few customers have bursts of large orders.
std::vector<Order> generate(size_t n, int customers) {
  std::mt19937_64 rng(42);
  std::vector<Order> orders;
  for (size_t i = 0; i < n; ++i) {
    Order o;
    o.id = static_cast<int64_t>(i) + 1;
    o.customer = 1000 + static_cast<int64_t>(rng() % static_cast<uint64_t>(customers));
    o.cents = 100 + static_cast<int64_t>(rng() % 20000);
    if (rng() % 200 == 0) o.cents *= 40;  // A burst.
    o.ts = kBase + static_cast<int64_t>(i) * 350 + static_cast<int64_t>(rng() % 4000);
    orders.push_back(o);
  }
  return orders;
}

class SeedQueries : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("eddy_seed_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    orders_ = generate(6000, 12);
    std::ofstream csv(dir_ / "orders.csv");
    for (const Order& o : orders_) {
      csv << o.id << "," << o.customer << "," << money(o.cents) << "," << timestamp(o.ts) << "\n";
    }
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::vector<std::string> run(const std::string& query, int parallelism) {
    auto out = std::make_shared<ListCollector>();
    TableEnvironment env(out);
    Status st = env.executeScript(
        "SET 'parallelism.default' = '" + std::to_string(parallelism) + "';\n"
        "CREATE TABLE orders (order_id BIGINT, customer_id BIGINT, amount DECIMAL(10, 2), order_time TIMESTAMP(3),\n"
        "  WATERMARK FOR order_time AS order_time - INTERVAL '5' SECOND)\n"
        "WITH ('connector' = 'filesystem', 'path' = '" +
        (dir_ / "orders.csv").string() + "', 'format' = 'csv');\n" + query);
    EXPECT_TRUE(st.isOk()) << st.message();
    std::vector<std::string> lines;
    for (const std::string& l : out->take()) {
      if (l.rfind("[INFO]", 0) != 0) lines.push_back(l);
    }
    return lines;
  }

  std::filesystem::path dir_;
  std::vector<Order> orders_;
};

TEST_F(SeedQueries, TumblingRevenuePerCustomer) {
  const std::string query =
      "SELECT customer_id, window_start, window_end, SUM(amount) AS revenue\n"
      "FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(order_time), INTERVAL '5' MINUTES))\n"
      "GROUP BY customer_id, window_start, window_end;";
  std::map<std::pair<int64_t, int64_t>, int64_t> revenue;  // (customer, start) -> cents
  for (const Order& o : orders_) revenue[{o.customer, o.ts - (o.ts % (5 * kMinute))}] += o.cents;
  std::multiset<std::string> want;
  for (const auto& [k, cents] : revenue) {
    want.insert("+I[" + std::to_string(k.first) + ", " + timestamp(k.second) + ", " + timestamp(k.second + 5 * kMinute) +
                ", " + money(cents) + "]");
  }
  for (int parallelism : {1, 2}) {
    std::vector<std::string> got = run(query, parallelism);
    EXPECT_EQ(std::multiset<std::string>(got.begin(), got.end()), want) << "parallelism " << parallelism;
  }
  EXPECT_GT(want.size(), 80u);  // 12 customers over 35 minutes
}

TEST_F(SeedQueries, AnomaliesAgainstTheOverallDistribution) {
  const std::string query =
      "WITH per_customer AS (\n"
      "  SELECT customer_id, window_start, window_end, SUM(amount) AS total\n"
      "  FROM TABLE(HOP(TABLE orders, DESCRIPTOR(order_time), INTERVAL '1' MINUTE, INTERVAL '5' MINUTES))\n"
      "  GROUP BY customer_id, window_start, window_end\n"
      "), stats AS (\n"
      "  SELECT AVG(total) AS avg_total, STDDEV(total) AS std_total FROM per_customer\n"
      ")\n"
      "SELECT p.customer_id, p.window_start, p.total\n"
      "FROM per_customer p CROSS JOIN stats s\n"
      "WHERE p.total > s.avg_total + 2 * s.std_total;";
  std::map<std::pair<int64_t, int64_t>, int64_t> totals;  // (customer, start) -> cents
  for (const Order& o : orders_) {
    int64_t last = o.ts - (o.ts % kMinute);
    for (int64_t start = last; start > o.ts - 5 * kMinute; start -= kMinute) totals[{o.customer, start}] += o.cents;
  }
  long double sum = 0, sq = 0;
  for (const auto& [k, cents] : totals) sum += cents;
  long double mean = sum / static_cast<long double>(totals.size());
  for (const auto& [k, cents] : totals) sq += (cents - mean) * (cents - mean);
  long double stddev = std::sqrt(sq / static_cast<long double>(totals.size() - 1));
  std::multiset<std::string> want;
  for (const auto& [k, cents] : totals) {
    if (cents > mean + 2 * stddev) {
      want.insert("[" + std::to_string(k.first) + ", " + timestamp(k.second) + ", " + money(cents) + "]");
    }
  }
  for (int parallelism : {1, 2}) {
    std::multiset<std::string> rows;
    std::string error;
    EXPECT_TRUE(materializeChangelog(run(query, parallelism), &rows, &error)) << error;
    EXPECT_EQ(rows, want) << "parallelism " << parallelism;
  }
  EXPECT_GE(want.size(), 3u);
  EXPECT_LT(want.size(), totals.size() / 5);
}

}  // namespace
}  // namespace eddy::sql
