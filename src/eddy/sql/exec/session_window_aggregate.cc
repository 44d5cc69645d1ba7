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
      num_keys_(keys.size()), partition_keys_(std::move(partition_keys)), start_col_(start_col), end_col_(end_col),
      aggs_(std::move(aggs)), output_types_(std::move(output_types)) {
  for (int k : partition_keys_) partition_types_.push_back(input_types[static_cast<size_t>(k)]);
  stored_cols_ = keys;
  // The slot of input column `col` among the stored columns after the keys (-1: none).
  auto slotOf = [&](int col) {
    if (col < 0) return -1;
    auto first = stored_cols_.begin() + static_cast<long>(num_keys_);
    auto it = std::find(first, stored_cols_.end(), col);
    if (it == stored_cols_.end()) {
      stored_cols_.push_back(col);
      it = stored_cols_.end() - 1;
    }
    return static_cast<int>(it - stored_cols_.begin());
  };
  for (const AggregateCall& a : aggs_) {
    arg_slot_.push_back(slotOf(a.arg));
    filter_slot_.push_back(slotOf(a.filter));
  }
  for (int c : stored_cols_) stored_types_.push_back(input_types[static_cast<size_t>(c)]);
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
    encodeKey(in, r, stored_cols_, stored_types_, row);
    uint32_t n = static_cast<uint32_t>(row.size());
    merged.rows.append(reinterpret_cast<const char*>(&n), 4);
    merged.rows += row;
    sessions_->put(merged.end, encodeSession(merged));
    timers_->registerEventTimeTimer(merged.end, merged.end - 1);
  }
}

void SessionWindowAggregateOperator::onEventTime(const runtime::InternalTimer<std::string, int64_t>& t) {
  std::optional<std::string> bytes = sessions_->get(t.ns);
  if (!bytes) return;  // Merged into a later session.
  Session s = decodeSession(t.ns, *bytes);
  sessions_->remove(t.ns);
  // Group the session's rows by group key; keys come out in key order.
  std::map<std::string, std::pair<std::vector<Value>, std::vector<Accumulator>>> groups;
  for (size_t p = 0; p < s.rows.size();) {
    uint32_t n;
    std::memcpy(&n, s.rows.data() + p, 4);
    std::string row = s.rows.substr(p + 4, n);
    p += 4 + n;
    std::vector<Value> values = decodeKey(row, stored_types_);
    std::vector<Value> key(values.begin(), values.begin() + static_cast<long>(num_keys_));
    std::string group;
    for (size_t k = 0; k < num_keys_; ++k) {
      std::string e = key[k].null ? std::string() : encodeOrdered(key[k], stored_types_[k]);
      uint32_t len = static_cast<uint32_t>(e.size());
      group.push_back(key[k].null ? '\0' : '\1');
      group.append(reinterpret_cast<const char*>(&len), 4);
      group += e;
    }
    auto it = groups.find(group);
    if (it == groups.end()) it = groups.emplace(group, std::make_pair(key, freshAccumulators(aggs_))).first;
    for (size_t a = 0; a < aggs_.size(); ++a) {
      if (filter_slot_[a] >= 0) {
        const Value& f = values[static_cast<size_t>(filter_slot_[a])];
        if (f.null || f.i == 0) continue;
      }
      it->second.second[a].accumulate(arg_slot_[a] < 0 ? Value() : values[static_cast<size_t>(arg_slot_[a])]);
    }
  }
  for (const auto& [group, entry] : groups) {
    size_t c = 0;
    for (const Value& v : entry.first) appendValue(out_.columns[c++], v);
    appendValue(out_.columns[c++], Value::ofInt(s.start));
    appendValue(out_.columns[c++], Value::ofInt(s.end));
    appendValue(out_.columns[c++], Value::ofInt(s.end - 1));
    for (const Accumulator& a : entry.second) appendValue(out_.columns[c++], a.result());
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
