#pragma once

#include <utility>
#include <vector>

#include "eddy/runtime/stream_operator.h"
#include "eddy/sql/exec/aggregates.h"

namespace eddy::sql {

/// The windows [start, end) a row with rowtime `ts` belongs to, for TUMBLE, HOP and
/// CUMULATE (DESIGN: start = ts - (ts - offset + size) % size); for SESSION the row's
/// own [ts, ts + gap), which the session window aggregation merges.
std::vector<std::pair<int64_t, int64_t>> assignWindows(const WindowSpec& w, int64_t ts);

/// Flink's window table-valued functions: each row comes out once per window it
/// belongs to, with window_start, window_end and window_time (end - 1, the new rowtime;
/// see WindowSpec::zone for windows on a zone's clock) appended. Rows without a rowtime are dropped, as Flink does.
/// Thread: the task thread.
class WindowTableFunctionOperator final : public runtime::OneInputStreamOperator<RecordBatch, RecordBatch> {
 public:
  WindowTableFunctionOperator(int time_col, WindowSpec window) : time_col_(time_col), window_(window) {}
  void processElement(const runtime::StreamRecord<RecordBatch>& record) override {
    const RecordBatch& in = record.value;
    const Column& time = in.columns[static_cast<size_t>(time_col_)];
    RecordBatch out;
    for (const Column& c : in.columns) out.columns.emplace_back(c.storage);
    for (int k = 0; k < 3; ++k) out.columns.emplace_back(Storage::kInt64);
    size_t n = in.columns.size();
    for (size_t r = 0; r < in.size(); ++r) {
      if (time.null[r]) continue;
      for (auto [start, end] : assignWindows(window_, window_.windowTime(time.i64[r]))) {
        for (size_t c = 0; c < n; ++c) out.columns[c].appendFrom(in.columns[c], r);
        out.columns[n].i64.push_back(start);
        out.columns[n + 1].i64.push_back(end);
        out.columns[n + 2].i64.push_back(window_.fireTime(end));
        for (int k = 0; k < 3; ++k) out.columns[n + static_cast<size_t>(k)].null.push_back(0);
        out.kinds.push_back(in.kinds[r]);
      }
    }
    if (!out.empty()) output().collect(runtime::StreamRecord<RecordBatch>{std::move(out), record.timestamp});
  }

 private:
  int time_col_;
  WindowSpec window_;
};

}  // namespace eddy::sql
