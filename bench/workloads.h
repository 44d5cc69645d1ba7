#pragma once

#include <cstdint>
#include <string>

namespace eddy::bench {

struct BenchRecord {
  int64_t key;
  int64_t timestamp_ms;
  int64_t value;
};

/// The standard splitmix64 finaliser with the 0x9e3779b97f4a7c15 increment.
inline uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

inline BenchRecord record(int64_t i, int64_t keys) {
  return BenchRecord{static_cast<int64_t>(splitmix64(static_cast<uint64_t>(i)) % static_cast<uint64_t>(keys)),
                     i / 1000, i % 100};
}

struct Result {
  int64_t outputs = 0;
  uint64_t checksum = 0;
};

/// The same work as the Eddy job, as a plain single-threaded C++ loop.
Result plainLoop(const std::string& workload, int64_t records, int64_t keys);

/// `eddy-bench nexmark ...` (nexmark_bench.cc).
int runNexmark(int argc, char** argv);

}  // namespace eddy::bench
