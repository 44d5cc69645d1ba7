#include "eddy/sql/exec/temporal_join_operator.h"

#include <algorithm>
#include <map>

#include "eddy/sql/exec/group_key.h"

namespace eddy::sql {

TemporalJoinOperator::TemporalJoinOperator(TemporalJoinSpec spec)
    : TimedJoinOperator(spec), spec_(std::move(spec)) {
  sides_[0] = JoinInputColumns(spec_.left_keys, spec_.left_types);
  sides_[1] = JoinInputColumns(spec_.right_keys, spec_.right_types);
}

void TemporalJoinOperator::open() {
  openKeyedTimers(context(), this);
  left_ = backend().getMapState(state::MapStateDescriptor<int64_t, std::string>("temporalLeft"));
  right_ = backend().getMapState(state::MapStateDescriptor<int64_t, std::string>("temporalRight"));
}

void TemporalJoinOperator::process(const RecordBatch& in, int side) {
  if (side == 0) {
    addLeft(in);
  } else {
    addRight(in);
  }
}

void TemporalJoinOperator::addLeft(const RecordBatch& in) {
  const Column& time = in.columns[static_cast<size_t>(spec_.left_time)];
  const JoinInputColumns& me = sides_[0];
  std::string key, row;
  for (size_t r = 0; r < in.size(); ++r) {
    bool null_key = false;
    for (int k : me.keys) null_key = null_key || in.columns[static_cast<size_t>(k)].isNull(r);
    if (time.isNull(r) || (null_key && spec_.type == JoinType::kInner)) continue;
    encodeKey(in, r, me.keys, me.key_types, key);
    backend().setCurrentKey(key);
    encodeKey(in, r, me.all_columns, me.types, row);
    const int64_t t = time.i64[r];
    std::string rows = left_->get(t).value_or(std::string());
    appendBytes(rows, row);
    left_->put(t, std::move(rows));
    timers_->registerEventTimeTimer(0, t);
  }
}

void TemporalJoinOperator::addRight(const RecordBatch& in) {
  const Column& time = in.columns[static_cast<size_t>(spec_.right_time)];
  const JoinInputColumns& me = sides_[1];
  std::string key, row;
  for (size_t r = 0; r < in.size(); ++r) {
    bool null_key = false;
    for (int k : me.keys) null_key = null_key || in.columns[static_cast<size_t>(k)].isNull(r);
    if (time.isNull(r) || null_key) continue;
    if (spec_.upsert_right && in.kinds[r] == RowKind::kUpdateBefore) continue;
    encodeKey(in, r, me.keys, me.key_types, key);
    backend().setCurrentKey(key);
    encodeKey(in, r, me.all_columns, me.types, row);
    // A later change at the same time replaces an earlier one (-U then +U: the +U).
    right_->put(time.i64[r], std::string(1, static_cast<char>(in.kinds[r])) + row);
    timers_->registerEventTimeTimer(0, time.i64[r]);  // To drop versions no row can read.
  }
}

void TemporalJoinOperator::onEventTime(const runtime::InternalTimer<std::string, int64_t>&) {
  const int64_t watermark = timers_->currentWatermark();
  std::map<int64_t, std::string> versions;
  for (auto& [t, v] : right_->entries()) versions.emplace(t, std::move(v));
  std::vector<std::pair<int64_t, std::string>> ready;
  for (auto& [t, rows] : left_->entries()) {
    if (t <= watermark) ready.emplace_back(t, std::move(rows));
  }
  std::sort(ready.begin(), ready.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  // The left rows are joined from their encoded bytes: decoded into a one-row batch.
  RecordBatch one = emptyBatch(spec_.left_types);
  for (auto& [t, rows] : ready) {
    auto v = versions.upper_bound(t);
    const std::string* version = nullptr;
    if (v != versions.begin()) {
      --v;
      if (isAccumulate(static_cast<RowKind>(v->second[0]))) version = &v->second;
    }
    std::string bytes;
    if (version) bytes = version->substr(1);
    for (size_t p = 0; p < rows.size();) {
      std::vector<Value> values = decodeKey(readBytes(rows, p), spec_.left_types);
      for (auto& c : one.columns) c.clear();
      one.kinds.assign(1, RowKind::kInsert);
      for (size_t c = 0; c < values.size(); ++c) appendValue(one.columns[c], values[c]);
      bool matched = false;
      if (version && joined_.accept(one, 0, 0, {&bytes})[0]) {
        joined_.emit(&one, 0, 0, &bytes, RowKind::kInsert);
        matched = true;
      }
      if (!matched && spec_.type == JoinType::kLeft) joined_.emit(&one, 0, 0, nullptr, RowKind::kInsert);
    }
    left_->remove(t);
  }
  // Versions older than the one current at the watermark can no longer be read.
  auto current = versions.upper_bound(watermark);
  if (current != versions.begin()) {
    --current;
    for (auto it = versions.begin(); it != current; ++it) right_->remove(it->first);
  }
}

}  // namespace eddy::sql
