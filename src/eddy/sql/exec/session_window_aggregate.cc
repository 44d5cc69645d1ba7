#include "eddy/sql/exec/session_window_aggregate.h"

#include <algorithm>
#include <cstring>
#include <map>

#include "eddy/sql/exec/group_key.h"

namespace eddy::sql {

SessionWindowAggregateOperator::SessionWindowAggregateOperator(std::vector<int> keys, std::vector<int> partition_keys,
                                                               int start_col, int end_col,
                                                               std::vector<AggregateCall> aggs,
                                                               const std::vector<LogicalType>& input_types,
                                                               std::vector<LogicalType> output_types,
                                                               std::shared_ptr<const TimeZone> zone, bool proctime)
    : keys_(std::move(keys)), partition_keys_(std::move(partition_keys)), start_col_(start_col), end_col_(end_col),
      zone_(std::move(zone)), proctime_(proctime), aggs_(std::move(aggs)), output_types_(std::move(output_types)) {
  for (int k : keys_) key_types_.push_back(input_types[static_cast<size_t>(k)]);
  for (int k : partition_keys_) partition_types_.push_back(input_types[static_cast<size_t>(k)]);
  // The slot of input column `col` among the stored value columns (-1: none).
  auto slotOf = [&](int col) {
    if (col < 0) return -1;
    auto it = std::find(value_cols_.begin(), value_cols_.end(), col);
    if (it == value_cols_.end()) {
      value_cols_.push_back(col);
      it = value_cols_.end() - 1;
    }
    return static_cast<int>(it - value_cols_.begin());
  };
  for (const AggregateCall& a : aggs_) {
    slotOf(a.arg);
    slotOf(a.filter);
    for (int c : a.udf_args) slotOf(c);
  }
  for (int c : value_cols_) value_types_.push_back(input_types[static_cast<size_t>(c)]);
}

std::unique_ptr<SessionWindowAggregateOperator> SessionWindowAggregateOperator::sessionRows(
    std::vector<int> partition_keys, const std::vector<LogicalType>& types, std::shared_ptr<const TimeZone> zone,
    bool proctime) {
  const int width = static_cast<int>(types.size()) - 3;  // Then window_start, window_end, window_time.
  auto op = std::make_unique<SessionWindowAggregateOperator>(std::vector<int>{}, std::move(partition_keys), width,
                                                             width + 1, std::vector<AggregateCall>{}, types, types,
                                                             std::move(zone), proctime);
  op->rows_out_ = true;
  for (int c = 0; c < width; ++c) {
    op->value_cols_.push_back(c);
    op->value_types_.push_back(types[static_cast<size_t>(c)]);
  }
  return op;
}

void SessionWindowAggregateOperator::emitRow(const std::vector<Value>& values, int64_t start, int64_t end) {
  size_t c = 0;
  for (const Value& v : values) appendValue(out_.columns[c++], v);
  appendValue(out_.columns[c++], Value::ofInt(start));
  appendValue(out_.columns[c++], Value::ofInt(end));
  appendValue(out_.columns[c++], Value::ofInt(windowFireTime(end, zone_.get())));
  out_.kinds.push_back(RowKind::kInsert);
}

void SessionWindowAggregateOperator::open() {
  openKeyedTimers(context(), this);
  sessions_ = backend().getMapState(state::MapStateDescriptor<int64_t, int64_t>("sessions"));
  rows_ = backend().getListState(state::ListStateDescriptor<std::string>("sessionRows"));
  out_ = emptyBatch(output_types_);
}

void SessionWindowAggregateOperator::processElement(const runtime::StreamRecord<RecordBatch>& record) {
  const RecordBatch& in = record.value;
  const Column& starts = in.columns[static_cast<size_t>(start_col_)];
  const Column& ends = in.columns[static_cast<size_t>(end_col_)];
  std::string key, row, values;
  for (size_t r = 0; r < in.size(); ++r) {
    encodeKey(in, r, partition_keys_, partition_types_, key);
    backend().setCurrentKey(key);
    const int64_t row_start = starts.i64[r];
    int64_t start = row_start, end = ends.i64[r];
    std::vector<int64_t> absorbed;
    for (auto& [e, s] : sessions_->entries()) {
      if (s > end || e < start) continue;
      start = std::min(start, s);
      end = std::max(end, e);
      absorbed.push_back(e);
    }
    if (!proctime_ && windowFireTime(end, zone_.get()) <= timers_->currentWatermark()) {
      context().metrics->num_late_records_dropped.inc();
      continue;  // Nothing absorbed is touched: those sessions stay as they were.
    }
    for (int64_t e : absorbed) {
      sessions_->remove(e);
      if (e != end) timers_->deleteTimer(proctime_, e, windowFireTime(e, zone_.get()));
    }
    sessions_->put(end, start);
    timers_->registerTimer(proctime_, end, windowFireTime(end, zone_.get()));
    std::string stored(8, '\0');
    std::memcpy(stored.data(), &row_start, 8);
    encodeKey(in, r, keys_, key_types_, row);
    encodeKey(in, r, value_cols_, value_types_, values);
    appendBytes(stored, row);
    appendBytes(stored, values);
    rows_->add(std::move(stored));
  }
}

void SessionWindowAggregateOperator::fire(int64_t end) {
  std::optional<int64_t> start = sessions_->get(end);
  if (!start) return;  // Merged into a later session.
  sessions_->remove(end);
  // The session's rows (their window starts in it); the others stay.
  std::vector<std::string> rows = rows_->get();
  std::vector<std::string> others;
  // Group the rows by group key (its bytes); keys come out in key order.
  std::map<std::string, std::vector<Accumulator>> groups;
  for (std::string& bytes : rows) {
    int64_t row_start;
    std::memcpy(&row_start, bytes.data(), 8);
    if (row_start < *start || row_start >= end) {
      others.push_back(std::move(bytes));
      continue;
    }
    size_t p = 8;
    std::string group = readBytes(bytes, p);
    std::vector<Value> values = decodeKey(readBytes(bytes, p), value_types_);
    if (rows_out_) {
      emitRow(values, *start, end);
      continue;
    }
    auto it = groups.find(group);
    if (it == groups.end()) it = groups.emplace(group, freshAccumulators(aggs_)).first;
    // Input column c of the row is its stored value column.
    auto column = [&](int c) {
      auto at = std::find(value_cols_.begin(), value_cols_.end(), c);
      return values[static_cast<size_t>(at - value_cols_.begin())];
    };
    for (size_t a = 0; a < aggs_.size(); ++a) foldRow(it->second[a], aggs_[a], column, true);
  }
  if (others.empty()) {
    rows_->clear();
  } else {
    rows_->update(std::move(others));
  }
  for (const auto& [group, accs] : groups) {
    size_t c = 0;
    for (const Value& v : decodeKey(group, key_types_)) appendValue(out_.columns[c++], v);
    appendValue(out_.columns[c++], Value::ofInt(*start));
    appendValue(out_.columns[c++], Value::ofInt(end));
    appendValue(out_.columns[c++], Value::ofInt(windowFireTime(end, zone_.get())));
    for (const Accumulator& a : accs) appendValue(out_.columns[c++], a.result());
    out_.kinds.push_back(RowKind::kInsert);
  }
}

void SessionWindowAggregateOperator::flush() {
  if (out_.empty()) return;
  output().collect(runtime::StreamRecord<RecordBatch>{std::move(out_), runtime::kNoTimestamp});
  out_ = emptyBatch(output_types_);
}

}  // namespace eddy::sql
