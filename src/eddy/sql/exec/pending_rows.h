#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "eddy/runtime/internal_timer_service.h"
#include "eddy/sql/exec/group_key.h"
#include "eddy/state/keyed_state_backend.h"

namespace eddy::sql {

/// The current key's rows waiting for the watermark to pass their time, as Flink's
/// event-time operators (OVER, MATCH_RECOGNIZE) buffer them: one keyed state entry per
/// time holding its rows (encodeKey bytes, length-prefixed, in arrival order), and an
/// event-time timer at that time (namespace = the time) to take them out.
class PendingRows {
 public:
  explicit PendingRows(state::MapState<int64_t, std::string>* rows) : rows_(rows) {}

  /// Adds `row` at time `ts`; the first row of a time registers its timer.
  void add(runtime::InternalTimerService<std::string, int64_t>& timers, int64_t ts, const std::string& row) {
    std::string rows = rows_->get(ts).value_or(std::string());
    if (rows.empty()) timers.registerEventTimeTimer(ts, ts);
    appendBytes(rows, row);
    rows_->put(ts, std::move(rows));
  }

  /// Removes and returns the rows at time `ts` (none if there are none).
  std::vector<std::string> take(int64_t ts) {
    std::vector<std::string> out;
    std::optional<std::string> waiting = rows_->get(ts);
    if (!waiting) return out;
    rows_->remove(ts);
    for (size_t p = 0; p < waiting->size();) out.push_back(readBytes(*waiting, p));
    return out;
  }

 private:
  state::MapState<int64_t, std::string>* rows_;
};

}  // namespace eddy::sql
