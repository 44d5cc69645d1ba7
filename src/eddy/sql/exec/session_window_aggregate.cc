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
                                                               std::vector<LogicalType> output_types)
    : KeyedSupport([](const RecordBatch&) { return std::string(); }),
      keys_(std::move(keys)), partition_keys_(std::move(partition_keys)), start_col_(start_col), end_col_(end_col),
      aggs_(std::move(aggs)), output_types_(std::move(output_types)) {
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

void SessionWindowAggregateOperator::open() {
  openBackend(context());
  timers_ = std::make_unique<runtime::InternalTimerService<std::string, int64_t>>(&backend(), context().processing_time,
                                                                                  this);
  restorePart(1, [&](DataInputView& in) { return timers_->restoreTimers(in); });
  dropRestored();
  sessions_ = backend().getMapState(state::MapStateDescriptor<int64_t, std::string>("sessions"));
  out_ = emptyBatch(output_types_);
}

void SessionWindowAggregateOperator::processElement(const runtime::StreamRecord<RecordBatch>& record) {
  const RecordBatch& in = record.value;
  const Column& starts = in.columns[static_cast<size_t>(start_col_)];
  const Column& ends = in.columns[static_cast<size_t>(end_col_)];
  std::string key, row;
  for (size_t r = 0; r < in.size(); ++r) {
    encodeKey(in, r, partition_keys_, partition_types_, key);
    backend().setCurrentKey(key);
    Session merged{starts.i64[r], ends.i64[r], {}};
    std::vector<int64_t> absorbed;
    for (auto& [end, bytes] : sessions_->entries()) {
      Session s = decodeSession(end, bytes);
      if (s.start > merged.end || s.end < merged.start) continue;
      merged.start = std::min(merged.start, s.start);
      merged.end = std::max(merged.end, s.end);
      merged.rows += s.rows;
      absorbed.push_back(end);
    }
    if (merged.end - 1 <= timers_->currentWatermark()) {
      context().metrics->num_late_records_dropped.inc();
      continue;  // Nothing absorbed is touched: those sessions stay as they were.
    }
    for (int64_t end : absorbed) {
      sessions_->remove(end);
      if (end != merged.end) timers_->deleteEventTimeTimer(end, end - 1);
    }
    encodeKey(in, r, keys_, key_types_, row);
    appendBytes(merged.rows, row);
    encodeKey(in, r, value_cols_, value_types_, row);
    appendBytes(merged.rows, row);
    sessions_->put(merged.end, encodeSession(merged));
    timers_->registerEventTimeTimer(merged.end, merged.end - 1);
  }
}

void SessionWindowAggregateOperator::onEventTime(const runtime::InternalTimer<std::string, int64_t>& t) {
  std::optional<std::string> bytes = sessions_->get(t.ns);
  if (!bytes) return;  // Merged into a later session.
  Session s = decodeSession(t.ns, *bytes);
  sessions_->remove(t.ns);
  // Group the session's rows by group key (its bytes); keys come out in key order.
  std::map<std::string, std::vector<Accumulator>> groups;
  for (size_t p = 0; p < s.rows.size();) {
    std::string group = readBytes(s.rows, p);
    std::vector<Value> values = decodeKey(readBytes(s.rows, p), value_types_);
    auto it = groups.find(group);
    if (it == groups.end()) it = groups.emplace(group, freshAccumulators(aggs_)).first;
    // Input column c of the row is its stored value column.
    auto column = [&](int c) {
      auto at = std::find(value_cols_.begin(), value_cols_.end(), c);
      return values[static_cast<size_t>(at - value_cols_.begin())];
    };
    for (size_t a = 0; a < aggs_.size(); ++a) foldRow(it->second[a], aggs_[a], column, true);
  }
  for (const auto& [group, accs] : groups) {
    size_t c = 0;
    for (const Value& v : decodeKey(group, key_types_)) appendValue(out_.columns[c++], v);
    appendValue(out_.columns[c++], Value::ofInt(s.start));
    appendValue(out_.columns[c++], Value::ofInt(s.end));
    appendValue(out_.columns[c++], Value::ofInt(s.end - 1));
    for (const Accumulator& a : accs) appendValue(out_.columns[c++], a.result());
    out_.kinds.push_back(RowKind::kInsert);
  }
}

std::string SessionWindowAggregateOperator::encodeSession(const Session& s) {
  std::string out(8, '\0');
  std::memcpy(out.data(), &s.start, 8);
  return out + s.rows;
}

SessionWindowAggregateOperator::Session SessionWindowAggregateOperator::decodeSession(int64_t end,
                                                                                      const std::string& bytes) {
  Session s;
  std::memcpy(&s.start, bytes.data(), 8);
  s.end = end;
  s.rows = bytes.substr(8);
  return s;
}

void SessionWindowAggregateOperator::flush() {
  if (out_.empty()) return;
  output().collect(runtime::StreamRecord<RecordBatch>{std::move(out_), runtime::kNoTimestamp});
  out_ = emptyBatch(output_types_);
}

}  // namespace eddy::sql
