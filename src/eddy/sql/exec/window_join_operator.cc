#include "eddy/sql/exec/window_join_operator.h"

#include <algorithm>

#include "eddy/sql/exec/aggregates.h"
#include "eddy/sql/exec/group_key.h"

namespace eddy::sql {

WindowJoinOperator::WindowJoinOperator(WindowJoinSpec spec)
    : TimedJoinOperator(spec), spec_(std::move(spec)) {
  sides_[0] = JoinInputColumns(spec_.left_keys, spec_.left_types);
  sides_[1] = JoinInputColumns(spec_.right_keys, spec_.right_types);
  end_col_[0] = spec_.left_end;
  end_col_[1] = spec_.right_end;
  outer_[0] = spec_.leftOuter();
  outer_[1] = spec_.rightOuter();
}

void WindowJoinOperator::open() {
  openKeyedTimers(context(), this);
  rows_[0] = backend().getListState(state::ListStateDescriptor<std::string>("windowJoinLeft"));
  rows_[1] = backend().getListState(state::ListStateDescriptor<std::string>("windowJoinRight"));
}

void WindowJoinOperator::process(const RecordBatch& in, int side) {
  const JoinInputColumns& me = sides_[side];
  const Column& ends = in.columns[static_cast<size_t>(end_col_[side])];
  std::string key, row;
  for (size_t r = 0; r < in.size(); ++r) {
    const int64_t fire_at = windowFireTime(ends.i64[r], spec_.window_zone.get());
    if (fire_at <= timers_->currentWatermark()) {
      context().metrics->num_late_records_dropped.inc();
      continue;
    }
    // The window columns are keys and never NULL; another NULL key joins nothing, but
    // an outer side's row still comes out padded.
    bool null_key = false;
    for (int k : me.keys) null_key = null_key || in.columns[static_cast<size_t>(k)].isNull(r);
    if (null_key && !outer_[side]) continue;
    encodeKey(in, r, me.keys, me.key_types, key);
    if (null_key) key += std::string(1, static_cast<char>(side)) + std::to_string(r);  // Alone in its key.
    backend().setCurrentKey(key);
    encodeKey(in, r, me.all_columns, me.types, row);
    rows_[side]->add(row);
    timers_->registerEventTimeTimer(0, fire_at);
  }
}

void WindowJoinOperator::onEventTime(const runtime::InternalTimer<std::string, int64_t>&) {
  std::vector<std::string> rows[2];
  for (int s = 0; s < 2; ++s) {
    rows[s] = rows_[s]->get();
    rows_[s]->clear();
  }
  std::vector<bool> right_joined(rows[1].size(), false);
  RecordBatch one = emptyBatch(spec_.left_types);
  std::vector<const std::string*> candidates;
  for (const std::string& s : rows[1]) candidates.push_back(&s);
  for (const std::string& left : rows[0]) {
    std::vector<Value> values = decodeKey(left, spec_.left_types);
    for (auto& c : one.columns) c.clear();
    one.kinds.assign(1, RowKind::kInsert);
    for (size_t c = 0; c < values.size(); ++c) appendValue(one.columns[c], values[c]);
    std::vector<bool> ok = joined_.accept(one, 0, 0, candidates);
    if (spec_.semiOrAnti()) {  // The left row alone, once, as it has a match or none.
      const bool any = std::find(ok.begin(), ok.end(), true) != ok.end();
      if (any == (spec_.type == JoinType::kSemi)) joined_.emit(&one, 0, 0, nullptr, RowKind::kInsert);
      continue;
    }
    bool any = false;
    for (size_t i = 0; i < candidates.size(); ++i) {
      if (!ok[i]) continue;
      joined_.emit(&one, 0, 0, candidates[i], RowKind::kInsert);
      right_joined[i] = true;
      any = true;
    }
    if (!any && outer_[0]) joined_.emit(&one, 0, 0, nullptr, RowKind::kInsert);
  }
  if (outer_[1]) {
    for (size_t i = 0; i < rows[1].size(); ++i) {
      if (!right_joined[i]) joined_.emit(nullptr, 0, 0, &rows[1][i], RowKind::kInsert);
    }
  }
}

}  // namespace eddy::sql
