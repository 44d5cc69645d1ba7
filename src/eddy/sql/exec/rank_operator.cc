#include "eddy/sql/exec/rank_operator.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <set>

#include "eddy/sql/exec/aggregates.h"
#include "eddy/sql/exec/group_key.h"

namespace eddy::sql {
RankOperator::RankOperator(RankSpec spec)
    : spec_(std::move(spec)) {
  for (size_t c = 0; c < spec_.input_types.size(); ++c) all_columns_.push_back(static_cast<int>(c));
  for (int k : spec_.partition) partition_types_.push_back(spec_.input_types[static_cast<size_t>(k)]);
  output_types_ = spec_.input_types;
  output_types_.push_back(LogicalType::bigint().notNull());
  out_ = emptyBatch(output_types_);
}

void RankOperator::open() {
  openKeyedTimers(context(), this);
  state::ValueStateDescriptor<std::string> rows("rankRows");
  state::ValueStateDescriptor<int64_t> arrivals("rankArrivals");
  if (spec_.state_ttl_ms > 0) {
    auto ttl = state::StateTtlConfig::newBuilder(Duration(spec_.state_ttl_ms)).build();
    rows.enableTimeToLive(ttl);
    arrivals.enableTimeToLive(ttl);
  }
  rows_ = backend().getState(rows);
  arrivals_ = backend().getState(arrivals);
}

std::vector<RankOperator::Entry> RankOperator::load() {
  std::vector<Entry> rows;
  std::optional<std::string> bytes = rows_->value();
  if (!bytes) return rows;
  for (size_t p = 0; p < bytes->size();) {
    Entry e;
    e.sort_key = readBytes(*bytes, p);
    e.row = readBytes(*bytes, p);
    rows.push_back(std::move(e));
  }
  return rows;
}

void RankOperator::store(const std::vector<Entry>& rows) {
  if (rows.empty()) {
    rows_->clear();
    return;
  }
  std::string bytes;
  for (const Entry& e : rows) {
    appendBytes(bytes, e.sort_key);
    appendBytes(bytes, e.row);
  }
  rows_->update(std::move(bytes));
}

std::string RankOperator::sortKey(const RecordBatch& in, size_t r) {
  std::string key;
  spec_.appendKey(in, r, spec_.input_types, key);
  return key;
}

void RankOperator::emit(const std::string& row, int64_t rank, RowKind kind) {
  appendDecoded(row, spec_.input_types, out_, 0);
  appendValue(out_.columns[spec_.input_types.size()], Value::ofInt(rank));
  out_.kinds.push_back(kind);
}

std::vector<std::pair<const RankOperator::Entry*, int64_t>> RankOperator::top(const std::vector<Entry>& rows) const {
  std::vector<std::pair<const Entry*, int64_t>> out;
  int64_t rank = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    // The ORDER BY values: the sort key without its arrival number.
    const std::string_view values(rows[i].sort_key.data(), rows[i].sort_key.size() - 8);
    const bool tie = i > 0 && values == std::string_view(rows[i - 1].sort_key.data(), rows[i - 1].sort_key.size() - 8);
    switch (spec_.function) {
      case RankSpec::Function::kRowNumber: rank = static_cast<int64_t>(i) + 1; break;
      case RankSpec::Function::kRank: rank = tie ? rank : static_cast<int64_t>(i) + 1; break;
      case RankSpec::Function::kDenseRank: rank = tie ? rank : rank + 1; break;
    }
    if (rank > spec_.limit) break;
    out.emplace_back(&rows[i], rank);
  }
  return out;
}

void RankOperator::processElement(const runtime::StreamRecord<RecordBatch>& record) {
  const RecordBatch& in = record.value;
  std::string key, row;
  for (size_t r = 0; r < in.size(); ++r) {
    encodeKey(in, r, spec_.partition, partition_types_, key);
    backend().setCurrentKey(key);
    if (spec_.window_end < 0 && ranksBelowAFullTop(in, r)) continue;
    std::vector<Entry> rows = load();
    std::vector<Entry> before;
    std::vector<int64_t> before_rank;
    for (const auto& [e, rank] : top(rows)) {
      before.push_back(*e);
      before_rank.push_back(rank);
    }
    encodeKey(in, r, all_columns_, spec_.input_types, row);
    if (spec_.window_end >= 0) {
      buffer(in, r, row);
      continue;
    }
    std::string sort = sortKey(in, r);
    if (isAccumulate(in.kinds[r])) {
      Entry e{withArrival(std::move(sort)), row};
      auto at = std::upper_bound(rows.begin(), rows.end(), e,
                                 [](const Entry& a, const Entry& b) { return a.sort_key < b.sort_key; });
      rows.insert(at, std::move(e));
    } else {
      // Retract the latest equal row (the same columns).
      for (size_t i = rows.size(); i-- > 0;) {
        if (rows[i].row == row && rows[i].sort_key.compare(0, sort.size(), sort) == 0) {
          rows.erase(rows.begin() + static_cast<long>(i));
          break;
        }
      }
    }
    const auto ranked = top(rows);
    // Rows ranked out of an append-only input never come back. (Shrinking keeps the
    // ranked rows where they are.)
    if (spec_.append_only_input) rows.resize(ranked.size());
    std::vector<const Entry*> after;
    std::vector<int64_t> after_rank;
    for (const auto& [e, rank] : ranked) {
      after.push_back(e);
      after_rank.push_back(rank);
    }
    if (spec_.output_rank_number && spec_.function != RankSpec::Function::kRowNumber) {
      // RANK / DENSE_RANK with the rank: each row that left (-D), changed rank (-U/+U)
      // or entered (+I).
      std::map<std::string, std::pair<const Entry*, int64_t>> was, is;
      for (size_t i = 0; i < before.size(); ++i) was[before[i].sort_key] = {&before[i], before_rank[i]};
      for (size_t i = 0; i < after.size(); ++i) is[after[i]->sort_key] = {after[i], after_rank[i]};
      for (const auto& [k, old] : was) {
        auto now = is.find(k);
        if (now == is.end()) {
          emit(old.first->row, old.second, RowKind::kDelete);
        } else if (now->second.second != old.second) {
          emit(old.first->row, old.second, RowKind::kUpdateBefore);
          emit(now->second.first->row, now->second.second, RowKind::kUpdateAfter);
        }
      }
      for (const auto& [k, now] : is) {
        if (!was.count(k)) emit(now.first->row, now.second, RowKind::kInsert);
      }
    } else if (spec_.output_rank_number) {
      for (size_t rank = 0; rank < std::max(before.size(), after.size()); ++rank) {
        const Entry* old = rank < before.size() ? &before[rank] : nullptr;
        const Entry* now = rank < after.size() ? after[rank] : nullptr;
        if (old && now && old->sort_key == now->sort_key && old->row == now->row) continue;
        int64_t number = static_cast<int64_t>(rank) + 1;
        if (old && now) {
          emit(old->row, number, RowKind::kUpdateBefore);
          emit(now->row, number, RowKind::kUpdateAfter);
        } else if (now) {
          emit(now->row, number, RowKind::kInsert);
        } else {
          emit(old->row, number, RowKind::kDelete);
        }
      }
    } else {
      // Rows that left, then rows that entered (each identified by its sort key, which
      // the arrival number makes unique).
      std::set<std::string> was, is;
      for (const Entry& e : before) was.insert(e.sort_key);
      for (const Entry* e : after) is.insert(e->sort_key);
      const bool update = spec_.deduplicate() && before.size() == 1 && after.size() == 1;
      for (const Entry& old : before) {
        if (!is.count(old.sort_key)) emit(old.row, 0, update ? RowKind::kUpdateBefore : RowKind::kDelete);
      }
      for (const Entry* now : after) {
        if (!was.count(now->sort_key)) emit(now->row, 0, update ? RowKind::kUpdateAfter : RowKind::kInsert);
      }
    }
    store(rows);
  }
  flush();
}

bool RankOperator::ranksBelowAFullTop(const RecordBatch& in, size_t r) {
  // Only an append-only ROW_NUMBER keeps exactly `limit` rows, and only an insert can
  // be ranked out at once; a retraction or a tie under RANK changes what is kept.
  if (!spec_.append_only_input || spec_.function != RankSpec::Function::kRowNumber || !isAccumulate(in.kinds[r])) {
    return false;
  }
  std::optional<std::string> bytes = rows_->value();
  if (!bytes) return false;
  // The kept rows' sort keys in order (each entry: sort key, then row, as store()
  // writes them): count them and find the last without copying any.
  std::string_view last;
  int64_t kept = 0;
  for (size_t p = 0; p < bytes->size(); ++kept) {
    uint32_t n;
    std::memcpy(&n, bytes->data() + p, 4);
    last = std::string_view(bytes->data() + p + 4, n);
    p += 4 + n;
    std::memcpy(&n, bytes->data() + p, 4);
    p += 4 + n;
  }
  if (kept < spec_.limit) return false;
  const std::string sort = sortKey(in, r);
  const std::string_view last_values = last.substr(0, last.size() - 8);  // Without its arrival number.
  // A tie goes to the earlier arrival, unless the last row is kept (it arrived later).
  const int order = std::string_view(sort).compare(last_values);
  return order > 0 || (order == 0 && !spec_.keepsLastRow());
}

std::string RankOperator::withArrival(std::string sort) {
  // Ties keep arrival order (the reverse when keeping the last row): the arrival number
  // ends the sort key.
  int64_t n = arrivals_->value().value_or(0);
  arrivals_->update(n + 1);
  uint64_t big = static_cast<uint64_t>(n);
  if (spec_.keepsLastRow()) big = ~big;
  for (int b = 7; b >= 0; --b) sort.push_back(static_cast<char>((big >> (b * 8)) & 0xff));
  return sort;
}

void RankOperator::buffer(const RecordBatch& in, size_t r, const std::string& row) {
  const Column& end = in.columns[static_cast<size_t>(spec_.window_end)];
  if (end.isNull(r)) return;
  const int64_t fire_at = windowFireTime(end.i64[r], spec_.window_zone.get());
  if (fire_at <= timers_->currentWatermark()) {
    context().metrics->num_late_records_dropped.inc();
    return;
  }
  std::vector<Entry> rows = load();
  if (rows.empty()) timers_->registerEventTimeTimer(0, fire_at);
  Entry e{withArrival(sortKey(in, r)), row};
  auto at = std::upper_bound(rows.begin(), rows.end(), e,
                             [](const Entry& a, const Entry& b) { return a.sort_key < b.sort_key; });
  rows.insert(at, std::move(e));
  rows.resize(top(rows).size());
  store(rows);
}

void RankOperator::processWatermark(runtime::Watermark wm) {
  timers_->advanceWatermark(wm.timestamp);
  flush();
  emitWatermark(wm);
}

void RankOperator::onEventTime(const runtime::InternalTimer<std::string, int64_t>&) {
  std::vector<Entry> rows = load();
  for (const auto& [e, rank] : top(rows)) emit(e->row, rank, RowKind::kInsert);
  rows_->clear();
  arrivals_->clear();
}

void RankOperator::flush() {
  if (out_.empty()) return;
  output().collect(runtime::StreamRecord<RecordBatch>{std::move(out_), runtime::kNoTimestamp});
  out_ = emptyBatch(output_types_);
}

}  // namespace eddy::sql
