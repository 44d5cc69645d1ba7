// The plain C++ loops the benchmark compares against: the same records and results as
// the Eddy workloads, with no framework (std::unordered_map for keyed state).
#include <map>
#include <unordered_map>
#include <vector>

#include "workloads.h"

namespace eddy::bench {

Result plainLoop(const std::string& workload, int64_t records, int64_t keys) {
  Result r;
  if (workload == "stateless") {
    for (int64_t i = 0; i < records; ++i) {
      BenchRecord rec = record(i, keys);
      int64_t v = rec.value * 2;
      if (rec.key % 2 == 0) {
        ++r.outputs;
        r.checksum += static_cast<uint64_t>(v);
      }
    }
  } else if (workload == "running") {
    std::unordered_map<int64_t, int64_t> sums;
    for (int64_t i = 0; i < records; ++i) {
      BenchRecord rec = record(i, keys);
      int64_t& s = sums[rec.key];
      s += rec.value;
      ++r.outputs;
      r.checksum += static_cast<uint64_t>(s);
    }
  } else {
    // Windows of `size` ms sliding by `slide` ms (starting before 0 too, as Flink's);
    // timestamps ascend, so a window is complete once a record's timestamp passes its end.
    int64_t size = workload == "tumbling" ? 1000 : 10000;
    int64_t slide = 1000;
    std::map<int64_t, std::unordered_map<int64_t, int64_t>> open;  // window start -> key -> sum
    auto fireUpTo = [&](int64_t watermark) {
      while (!open.empty() && open.begin()->first + size - 1 <= watermark) {
        for (auto& [k, s] : open.begin()->second) {
          ++r.outputs;
          r.checksum += static_cast<uint64_t>(s);
        }
        open.erase(open.begin());
      }
    };
    for (int64_t i = 0; i < records; ++i) {
      BenchRecord rec = record(i, keys);
      fireUpTo(rec.timestamp_ms - 1);
      int64_t last = rec.timestamp_ms - rec.timestamp_ms % slide;
      for (int64_t start = last; start > rec.timestamp_ms - size; start -= slide) {
        open[start][rec.key] += rec.value;
      }
    }
    fireUpTo(INT64_MAX);
  }
  return r;
}

}  // namespace eddy::bench
