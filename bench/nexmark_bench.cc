// eddy-bench nexmark: runs a Nexmark query (bench/nexmark/qN.sql over ddl.sql) with the
// nexmark source and a blackhole sink through the SQL front door, and prints the same
// JSON line as the other workloads. --baseline runs the plain C++ loop doing the same
// work for q0-q2 (the generator plus the query's projection / filter).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

#include "eddy/sql/exec/nexmark.h"
#include "eddy/sql/table/table_environment.h"
#include "workloads.h"

namespace eddy::bench {
namespace {

std::string readFile(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void replaceAll(std::string& s, const std::string& from, const std::string& to) {
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
}

// The work of q0 (pass through), q1 (price in euros) and q2 (a selection) without a
// framework: generate each bid (with the strings the query reads), compute the output
// columns.
Result plainNexmark(const std::string& query, int64_t events) {
  sql::NexmarkConfig config;
  config.events = events;
  sql::NexmarkStrings strings{false, false, false, query != "q2"};  // q0 and q1 read extra.
  sql::NexmarkGenerator generator(config, strings);
  sql::NexmarkEvent e;
  Result r;
  for (int64_t n = 0; n < events; ++n) {
    if (generator.typeOf(n) != sql::NexmarkEvent::kBid) continue;
    generator.generate(n, e);
    if (query == "q0") {
      r.checksum += static_cast<uint64_t>(e.auction + e.bidder + e.price + e.timestamp) + e.extra.size();
    } else if (query == "q1") {
      r.checksum += static_cast<uint64_t>(e.auction + e.bidder + e.price * 908 + e.timestamp) + e.extra.size();
    } else {
      if (e.auction % 123 != 0) continue;
      r.checksum += static_cast<uint64_t>(e.auction + e.price);
    }
    ++r.outputs;
  }
  return r;
}

int usage() {
  std::fprintf(stderr,
               "usage: eddy-bench nexmark --query qN [--events N] [--parallelism P] [--queries DIR] [--baseline]\n"
               "                         [--set key=value]...   (a SQL option, e.g. table.exec.mini-batch.enabled=true)\n");
  return 2;
}

}  // namespace

int runNexmark(int argc, char** argv) {
  std::string query;
  int64_t events = 10'000'000;
  int parallelism = 1;
  bool baseline = false;
  std::string options;  // SET statements run before the script.
  std::filesystem::path dir = EDDY_NEXMARK_DIR;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) std::exit(usage());
      return argv[++i];
    };
    if (a == "--query") {
      query = next();
    } else if (a == "--events") {
      events = std::stoll(next());
    } else if (a == "--parallelism") {
      parallelism = std::stoi(next());
    } else if (a == "--queries") {
      dir = next();
    } else if (a == "--baseline") {
      baseline = true;
    } else if (a == "--set") {
      std::string kv = next();
      size_t eq = kv.find('=');
      if (eq == std::string::npos) return usage();
      options += "SET '" + kv.substr(0, eq) + "' = '" + kv.substr(eq + 1) + "';\n";
    } else {
      return usage();
    }
  }
  if (query.empty()) return usage();
  if (query[0] != 'q') query = "q" + query;
  Result result;
  auto start = std::chrono::steady_clock::now();
  if (baseline) {
    if (query != "q0" && query != "q1" && query != "q2") {
      std::fprintf(stderr, "eddy-bench nexmark: no baseline loop for %s (q0, q1, q2 have one)\n", query.c_str());
      return 2;
    }
    result = plainNexmark(query, events);
  } else {
    std::filesystem::path file = dir / (query + ".sql");
    if (!std::filesystem::exists(file)) {
      std::fprintf(stderr, "eddy-bench nexmark: no query file %s\n", file.string().c_str());
      return 2;
    }
    std::string script = readFile(dir / "ddl.sql") + "\n" + readFile(file);
    replaceAll(script, "${EVENTS_NUM}", std::to_string(events));
    replaceAll(script, "${TPS}", "10000000");
    // q13's bounded side input: key, value for the 10000 keys of mod(auction, 10000).
    std::filesystem::path side =
        std::filesystem::temp_directory_path() / ("eddy-nexmark-side-" + std::to_string(::getpid()) + ".csv");
    {
      std::ofstream out(side);
      for (int k = 0; k < 10000; ++k) out << k << "," << k * 7 << "\n";
    }
    replaceAll(script, "${SIDE_INPUT}", side.string());
    sql::TableEnvironment env(std::make_shared<sql::ListCollector>());
    // q14's UDF, as the benchmark's CountChar: occurrences of a character in a string.
    sql::ScalarFunction count_char;
    count_char.argument_types = {sql::LogicalType::string(), sql::LogicalType::string()};
    count_char.result_type = sql::LogicalType::bigint().notNull();
    count_char.null_on_null = false;
    count_char.eval = [](const std::vector<sql::Value>& v) {
      int64_t n = 0;
      if (!v[0].null && !v[1].null && !v[1].s.empty()) n = std::count(v[0].s.begin(), v[0].s.end(), v[1].s[0]);
      return sql::Value::ofInt(n);
    };
    env.createTemporarySystemFunction("count_char", count_char);
    Status st = env.executeScript("SET 'parallelism.default' = '" + std::to_string(parallelism) + "';\n" + options +
                                  script);
    std::filesystem::remove(side);
    if (!st.isOk()) {
      std::fprintf(stderr, "eddy-bench nexmark %s: %s\n", query.c_str(), st.message().c_str());
      return 1;
    }
    result.outputs = env.lastJobRowsWritten();
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "{\"workload\":\"nexmark-%s%s\",\"records\":%lld,\"keys\":0,\"parallelism\":%d,\"seconds\":%.3f,"
      "\"records_per_second\":%.0f,\"outputs\":%lld,\"checksum\":%llu}\n",
      query.c_str(), baseline ? "-baseline" : "", static_cast<long long>(events), baseline ? 1 : parallelism, seconds,
      static_cast<double>(events) / seconds, static_cast<long long>(result.outputs),
      static_cast<unsigned long long>(result.checksum));
  return 0;
}

}  // namespace eddy::bench
