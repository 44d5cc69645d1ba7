#include "eddy/sql/exec/match_operator.h"

#include "eddy/sql/exec/group_key.h"

namespace eddy::sql {

MatchOperator::MatchOperator(std::shared_ptr<const MatchSpec> spec)
    : spec_(std::move(spec)), matcher_(*spec_) {
  for (size_t c = 0; c < spec_->input_types.size(); ++c) all_columns_.push_back(static_cast<int>(c));
  for (int k : spec_->partition) partition_types_.push_back(spec_->input_types[static_cast<size_t>(k)]);
  out_ = emptyBatch(spec_->output_types);
}

void MatchOperator::open() {
  openKeyedTimers(context(), this);
  pending_ = PendingRows(backend().getMapState(state::MapStateDescriptor<int64_t, std::string>("matchPending")));
  runs_ = backend().getState(state::ValueStateDescriptor<std::string>("matchRuns"));
}

MatchState MatchOperator::load() {
  std::optional<std::string> bytes = runs_->value();
  if (!bytes) return MatchState();
  Result<MatchState> s = MatchState::deserialize(*bytes, spec_->input_types);
  if (!s.isOk()) throw std::runtime_error("MATCH_RECOGNIZE state: " + s.status().message());
  return std::move(*s);
}

void MatchOperator::store(const MatchState& s) {
  if (s.empty()) {
    runs_->clear();
  } else {
    runs_->update(s.serialize());
  }
  if (std::optional<int64_t> timeout = matcher_.nextTimeout(s)) {
    timers_->registerTimer(spec_->proctime, *timeout, *timeout);
  }
}

void MatchOperator::processElement(const runtime::StreamRecord<RecordBatch>& record) {
  const RecordBatch& in = record.value;
  const Column& time = in.columns[static_cast<size_t>(spec_->time_col)];
  std::string key, row;
  std::vector<std::vector<Value>> found;
  for (size_t r = 0; r < in.size(); ++r) {
    if (time.isNull(r)) continue;
    const int64_t ts = time.i64[r];
    encodeKey(in, r, spec_->partition, partition_types_, key);
    backend().setCurrentKey(key);
    encodeKey(in, r, all_columns_, spec_->input_types, row);
    if (spec_->proctime) {
      MatchState s = load();
      matcher_.advanceTime(s, ts, found);
      matcher_.process(s, ts, row, found);
      store(s);
      emit(found);
      continue;
    }
    if (ts <= timers_->currentWatermark()) {
      context().metrics->num_late_records_dropped.inc();
      continue;
    }
    pending_.add(*timers_, ts, row);
  }
  flush();
}

void MatchOperator::processWatermark(runtime::Watermark wm) {
  timers_->advanceWatermark(wm.timestamp);
  flush();
  emitWatermark(wm);
}

// The rows of time `ts` (and WITHIN's expiry at it), in ORDER BY order.
void MatchOperator::onEventTime(const runtime::InternalTimer<std::string, int64_t>& t) {
  const int64_t ts = t.ns;
  MatchState s = load();
  std::vector<std::vector<Value>> found;
  matcher_.advanceTime(s, ts, found);
  std::vector<std::string> bytes = pending_.take(ts);
  if (!bytes.empty()) {
    // As a batch too, to sort them by the further ORDER BY columns.
    RecordBatch rows = emptyBatch(spec_->input_types);
    for (const std::string& row : bytes) {
      appendDecoded(row, spec_->input_types, rows, 0);
      rows.kinds.push_back(RowKind::kInsert);
    }
    for (uint32_t r : spec_->order.sorted(rows, spec_->input_types)) {
      matcher_.process(s, ts, std::move(bytes[r]), found);
    }
  }
  store(s);
  emit(found);
}

void MatchOperator::onProcessingTime(const runtime::InternalTimer<std::string, int64_t>& t) {
  MatchState s = load();
  std::vector<std::vector<Value>> found;
  matcher_.advanceTime(s, t.ns, found);
  store(s);
  emit(found);
  flush();
}

void MatchOperator::emit(std::vector<std::vector<Value>>& rows) {
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) appendValue(out_.columns[c], row[c]);
    out_.kinds.push_back(RowKind::kInsert);
  }
  rows.clear();
}

void MatchOperator::flush() {
  if (out_.empty()) return;
  output().collect(runtime::StreamRecord<RecordBatch>{std::move(out_), runtime::kNoTimestamp});
  out_ = emptyBatch(spec_->output_types);
}

}  // namespace eddy::sql
