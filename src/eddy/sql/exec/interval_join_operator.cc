#include "eddy/sql/exec/interval_join_operator.h"

#include <algorithm>
#include <limits>

#include "eddy/sql/exec/group_key.h"

namespace eddy::sql {
namespace {

// One cached row: its encoded columns and whether it has joined (an outer side's row
// that never joins is emitted padded when it expires).
struct CachedRow {
  std::string bytes;
  bool joined = false;
};

std::vector<CachedRow> decodeRows(const std::string& s) {
  std::vector<CachedRow> rows;
  for (size_t p = 0; p < s.size();) {
    CachedRow r;
    r.bytes = readBytes(s, p);
    r.joined = s[p++] != '\0';
    rows.push_back(std::move(r));
  }
  return rows;
}

std::string encodeRows(const std::vector<CachedRow>& rows) {
  std::string s;
  for (const CachedRow& r : rows) {
    appendBytes(s, r.bytes);
    s.push_back(r.joined ? '\1' : '\0');
  }
  return s;
}

// The cache of one key in time order (the state's own order is a hash order).
std::vector<std::pair<int64_t, std::string>> sortedEntries(state::MapState<int64_t, std::string>& cache) {
  std::vector<std::pair<int64_t, std::string>> entries;
  for (auto& [time, rows] : cache.entries()) entries.emplace_back(time, rows);
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return entries;
}

}  // namespace

IntervalJoinOperator::IntervalJoinOperator(IntervalJoinSpec spec)
    : TimedJoinOperator(spec), spec_(std::move(spec)) {
  static_cast<JoinInputColumns&>(sides_[0]) = JoinInputColumns(spec_.left_keys, spec_.left_types);
  static_cast<JoinInputColumns&>(sides_[1]) = JoinInputColumns(spec_.right_keys, spec_.right_types);
  sides_[0].time = spec_.left_time;
  sides_[1].time = spec_.right_time;
  sides_[0].outer = spec_.leftOuter();
  sides_[1].outer = spec_.rightOuter();
  // Flink: leftRelativeSize = -leftLowerBound, rightRelativeSize = leftUpperBound.
  sides_[0].relative_size = -spec_.lower;
  sides_[1].relative_size = spec_.upper;
  min_cleanup_interval_ = (sides_[0].relative_size + sides_[1].relative_size) / 2;
}

void IntervalJoinOperator::open() {
  openKeyedTimers(context(), this);
  const char* caches[2] = {"leftCache", "rightCache"};
  const char* timers[2] = {"leftCleanupTimer", "rightCleanupTimer"};
  for (int s = 0; s < 2; ++s) {
    sides_[s].cache = backend().getMapState(state::MapStateDescriptor<int64_t, std::string>(caches[s]));
    sides_[s].cleanup_timer = backend().getState(state::ValueStateDescriptor<int64_t>(timers[s]));
  }
}

int64_t IntervalJoinOperator::operatorTime() const {
  const int64_t now = spec_.proctime ? timers_->currentProcessingTime() : timers_->currentWatermark();
  return now > 0 ? now : 0;
}

int64_t IntervalJoinOperator::expirationTime(int64_t operator_time, int64_t relative_size) {
  if (operator_time == kMaxTimestamp) return operator_time;
  return operator_time - relative_size - 1;
}

void IntervalJoinOperator::process(const RecordBatch& in, int side) {
  Side& me = sides_[side];
  Side& other = sides_[1 - side];
  const Column& time = in.columns[static_cast<size_t>(me.time)];
  // The watermark does not move within a batch; a processing-time batch arrives at once.
  const int64_t now = operatorTime();
  std::string key, bytes;
  for (size_t r = 0; r < in.size(); ++r) {
    bool null_key = false;
    for (int k : me.keys) null_key = null_key || in.columns[static_cast<size_t>(k)].isNull(r);
    const bool no_time = !spec_.proctime && time.isNull(r);
    if ((null_key || no_time) && !me.outer) continue;
    encodeKey(in, r, me.keys, me.key_types, key);
    backend().setCurrentKey(key);
    if (no_time) {
      // A row without a time joins nothing (Flink compares it as unknown).
      joined_.emit(&in, r, side, nullptr, RowKind::kInsert);
      continue;
    }
    const int64_t t = spec_.proctime ? now : time.i64[r];
    const int64_t other_lower = t - other.relative_size;
    const int64_t other_upper = t + me.relative_size;
    bool joined = false;
    if (!null_key && other.expiration < other_upper) {
      // The other side may hold rows this one joins with; expired ones go on the way.
      other.expiration = expirationTime(now, other.relative_size);
      for (auto& [other_time, encoded] : sortedEntries(*other.cache)) {
        std::vector<CachedRow> rows = decodeRows(encoded);
        bool changed = false;
        if (other_time >= other_lower && other_time <= other_upper) {
          std::vector<const std::string*> candidates;
          for (const CachedRow& c : rows) candidates.push_back(&c.bytes);
          std::vector<bool> ok = joined_.accept(in, r, side, candidates);
          for (size_t i = 0; i < rows.size(); ++i) {
            if (!ok[i]) continue;
            joined_.emit(&in, r, side, &rows[i].bytes, RowKind::kInsert);
            joined = true;
            if (other.outer && !rows[i].joined) {
              rows[i].joined = true;
              changed = true;
            }
          }
        }
        if (other_time <= other.expiration) {
          if (other.outer) {
            for (const CachedRow& c : rows) {
              if (!c.joined) joined_.emit(nullptr, r, side, &c.bytes, RowKind::kInsert);
            }
          }
          other.cache->remove(other_time);
        } else if (changed) {
          other.cache->put(other_time, encodeRows(rows));
        }
      }
    }
    if (now < other_upper) {
      // Rows of the other side still to come may join with this one: keep it.
      encodeKey(in, r, me.all_columns, me.types, bytes);
      std::string rows = me.cache->get(t).value_or(std::string());
      appendBytes(rows, bytes);
      rows.push_back(joined ? '\1' : '\0');
      me.cache->put(t, std::move(rows));
      if (!me.cleanup_timer->value()) registerCleanup(side, t);
    } else if (!joined && me.outer) {
      joined_.emit(&in, r, side, nullptr, RowKind::kInsert);
    }
  }
  flushJoined();
}

void IntervalJoinOperator::registerCleanup(int side, int64_t row_time) {
  const int64_t at = row_time + sides_[side].relative_size + min_cleanup_interval_ + 1;
  timers_->registerTimer(spec_.proctime, 0, at);
  sides_[side].cleanup_timer->update(at);
}

void IntervalJoinOperator::processWatermark(runtime::Watermark wm) {
  timers_->advanceWatermark(wm.timestamp);
  flushJoined();
  if (spec_.proctime || wm.timestamp == kMaxTimestamp || wm.timestamp == kMinTimestamp) {
    emitWatermark(wm);
  } else {
    emitWatermark(runtime::Watermark{wm.timestamp - spec_.watermarkDelay()});
  }
}

void IntervalJoinOperator::cleanUp(int64_t timer) {
  // As Flink's onTimer: the right side's cleanup first, then the left's.
  for (int side : {1, 0}) {
    std::optional<int64_t> at = sides_[side].cleanup_timer->value();
    if (!at || *at != timer) continue;
    sides_[side].expiration = expirationTime(operatorTime(), sides_[side].relative_size);
    removeExpired(side, sides_[side].expiration);
  }
}

void IntervalJoinOperator::removeExpired(int side, int64_t expiration) {
  Side& s = sides_[side];
  int64_t earliest = -1;
  for (auto& [time, encoded] : sortedEntries(*s.cache)) {
    if (time <= expiration) {
      if (s.outer) {
        for (const CachedRow& c : decodeRows(encoded)) {
          // Padded: this side's stored row next to nulls, built as the other side's view.
          if (!c.joined) joined_.emit(nullptr, 0, 1 - side, &c.bytes, RowKind::kInsert);
        }
      }
      s.cache->remove(time);
    } else if (earliest < 0 || time < earliest) {
      earliest = time;
    }
  }
  if (earliest > 0) {
    registerCleanup(side, earliest);
  } else {
    s.cleanup_timer->clear();
    s.cache->clear();
  }
}

}  // namespace eddy::sql
