#include "eddy/sql/exec/window_table_function.h"

#include "eddy/sql/exec/value.h"

namespace eddy::sql {

std::vector<std::pair<int64_t, int64_t>> assignWindows(const WindowSpec& w, int64_t ts) {
  std::vector<std::pair<int64_t, int64_t>> out;
  switch (w.kind) {
    case WindowSpec::Kind::kTumble: {
      int64_t start = ts - floorMod(ts - w.offset, w.size);
      out.emplace_back(start, start + w.size);
      break;
    }
    case WindowSpec::Kind::kHop: {
      // Oldest window first, as Flink's HOP TVF emits them.
      int64_t last = ts - floorMod(ts - w.offset, w.slide);
      std::vector<std::pair<int64_t, int64_t>> rev;
      for (int64_t start = last; start > ts - w.size; start -= w.slide) rev.emplace_back(start, start + w.size);
      out.assign(rev.rbegin(), rev.rend());
      break;
    }
    case WindowSpec::Kind::kCumulate: {
      int64_t start = ts - floorMod(ts - w.offset, w.size);
      int64_t first_end = ts - floorMod(ts - w.offset, w.slide) + w.slide;
      for (int64_t end = first_end; end <= start + w.size; end += w.slide) out.emplace_back(start, end);
      break;
    }
    case WindowSpec::Kind::kSession:
      out.emplace_back(ts, ts + w.gap);  // The session aggregation merges these.
      break;
    case WindowSpec::Kind::kNone:
      break;
  }
  return out;
}

}  // namespace eddy::sql
