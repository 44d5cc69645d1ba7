#include "eddy/sql/exec/over_aggregate.h"

#include <cstring>
#include <deque>

#include "eddy/sql/exec/group_key.h"

namespace eddy::sql {
namespace {

struct FrameRow {
  int64_t ts;
  std::string row;
};

}  // namespace

OverAggregateOperator::OverAggregateOperator(OverSpec spec)
    : spec_(std::move(spec)) {
  for (size_t c = 0; c < spec_.input_types.size(); ++c) all_columns_.push_back(static_cast<int>(c));
  for (int k : spec_.partition) partition_types_.push_back(spec_.input_types[static_cast<size_t>(k)]);
  output_types_ = spec_.input_types;
  for (const auto& a : spec_.aggs) output_types_.push_back(a.type);
  out_ = emptyBatch(output_types_);
}

void OverAggregateOperator::open() {
  openKeyedTimers(context(), this);
  pending_ = PendingRows(backend().getMapState(state::MapStateDescriptor<int64_t, std::string>("overPending")));
  accs_ = backend().getState(state::ValueStateDescriptor<std::string>("overAccs"));
  frame_ = backend().getState(state::ValueStateDescriptor<std::string>("overFrame"));
}

void OverAggregateOperator::processElement(const runtime::StreamRecord<RecordBatch>& record) {
  const RecordBatch& in = record.value;
  const Column& time = in.columns[static_cast<size_t>(spec_.time_col)];
  std::string key, row;
  if (spec_.proctime) {
    // Rows of a key and time in this batch are peers: evaluated together, in order.
    size_t r = 0;
    while (r < in.size()) {
      if (time.isNull(r)) {
        ++r;
        continue;
      }
      encodeKey(in, r, spec_.partition, partition_types_, key);
      const int64_t ts = time.i64[r];
      std::vector<std::string> rows;
      std::string next_key;
      for (; r < in.size() && !time.isNull(r) && time.i64[r] == ts; ++r) {
        encodeKey(in, r, spec_.partition, partition_types_, next_key);
        if (next_key != key) break;
        encodeKey(in, r, all_columns_, spec_.input_types, row);
        rows.push_back(row);
      }
      backend().setCurrentKey(key);
      evaluate(ts, rows);
    }
    flush();
    return;
  }
  for (size_t r = 0; r < in.size(); ++r) {
    if (time.isNull(r)) continue;
    int64_t ts = time.i64[r];
    if (ts <= timers_->currentWatermark()) {
      context().metrics->num_late_records_dropped.inc();
      continue;
    }
    encodeKey(in, r, spec_.partition, partition_types_, key);
    backend().setCurrentKey(key);
    encodeKey(in, r, all_columns_, spec_.input_types, row);
    pending_.add(*timers_, ts, row);
  }
}

void OverAggregateOperator::processWatermark(runtime::Watermark wm) {
  timers_->advanceWatermark(wm.timestamp);
  flush();
  emitWatermark(wm);
}

void OverAggregateOperator::onEventTime(const runtime::InternalTimer<std::string, int64_t>& t) {
  const int64_t ts = t.ns;
  std::vector<std::string> rows = pending_.take(ts);
  if (rows.empty()) return;
  evaluate(ts, rows);
}

void OverAggregateOperator::evaluate(int64_t ts, const std::vector<std::string>& rows) {
  std::vector<Accumulator> accs = freshAccumulators(spec_.aggs);
  if (std::optional<std::string> bytes = accs_->value()) {
    int64_t unused;
    Status st = decodeAccumulators(*bytes, &unused, accs);
    if (!st.isOk()) throw std::runtime_error("over aggregate state: " + st.message());
  }
  std::deque<FrameRow> frame;
  if (!spec_.unbounded) {
    if (std::optional<std::string> bytes = frame_->value()) {
      for (size_t p = 0; p < bytes->size();) {
        FrameRow f;
        std::memcpy(&f.ts, bytes->data() + p, 8);
        p += 8;
        f.row = readBytes(*bytes, p);
        frame.push_back(std::move(f));
      }
    }
  }
  auto add = [&](const std::string& row, int sign) {
    std::vector<Value> values = decodeKey(row, spec_.input_types);
    auto column = [&](int c) { return values[static_cast<size_t>(c)]; };
    for (size_t a = 0; a < spec_.aggs.size(); ++a) foldRow(accs[a], spec_.aggs[a], column, sign > 0);
  };
  auto emit = [&](const std::string& row) {
    std::vector<Value> values = decodeKey(row, spec_.input_types);
    size_t c = 0;
    for (const Value& v : values) appendValue(out_.columns[c++], v);
    for (const Accumulator& a : accs) appendValue(out_.columns[c++], a.result());
    out_.kinds.push_back(RowKind::kInsert);
  };
  if (spec_.rows) {
    // ROWS: one row at a time, the frame the current row and `preceding` before it.
    for (const std::string& row : rows) {
      add(row, 1);
      if (!spec_.unbounded) {
        frame.push_back({ts, row});
        while (static_cast<int64_t>(frame.size()) > spec_.preceding + 1) {
          add(frame.front().row, -1);
          frame.pop_front();
        }
      }
      emit(row);
    }
  } else {
    // RANGE: the rows within `preceding` ms of this time, peers included.
    if (!spec_.unbounded) {
      while (!frame.empty() && frame.front().ts < ts - spec_.preceding) {
        add(frame.front().row, -1);
        frame.pop_front();
      }
    }
    for (const std::string& row : rows) {
      add(row, 1);
      if (!spec_.unbounded) frame.push_back({ts, row});
    }
    for (const std::string& row : rows) emit(row);
  }
  accs_->update(encodeAccumulators(0, accs));
  if (!spec_.unbounded) {
    std::string bytes;
    for (const FrameRow& f : frame) {
      bytes.append(reinterpret_cast<const char*>(&f.ts), 8);
      appendBytes(bytes, f.row);
    }
    if (bytes.empty()) {
      frame_->clear();
    } else {
      frame_->update(std::move(bytes));
    }
  }
}

void OverAggregateOperator::flush() {
  if (out_.empty()) return;
  output().collect(runtime::StreamRecord<RecordBatch>{std::move(out_), runtime::kNoTimestamp});
  out_ = emptyBatch(output_types_);
}

}  // namespace eddy::sql
