#pragma once

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "eddy/core/flat_hash_map.h"
#include "eddy/sql/exec/aggregates.h"
#include "eddy/sql/exec/group_key.h"
#include "eddy/sql/exec/keyed_timers.h"
#include "eddy/sql/exec/window_slicing.h"

namespace eddy::sql {

/// Flink's window aggregation. Per key the accumulators live in keyed state per slice
/// (see SliceAssigner): rows from a window TVF fused into the aggregation are assigned
/// by their time column, each to one slice; rows that already carry their window (a
/// TVF not fused, or an earlier window aggregation) go to the slice of their
/// window_end. When the watermark passes a window's end - 1 its slices are merged, one
/// +I row is emitted (none for a window without rows) and the slices no later window
/// needs are forgotten. A row whose every window has fired is late and dropped
/// (numLateRecordsDropped); one whose first windows fired counts in the rest.
/// Append-only in and out.
/// A processing-time window (`proctime`) fires instead when the processing time
/// reaches its end - 1; at the end of a bounded input its unfired windows are dropped,
/// as Flink quiesces processing-time timers then.
/// Output: key columns, window_start, window_end, window_time (end - 1), aggregates.
/// Thread: the task thread.
class WindowAggregateOperator final
    : public runtime::OneInputStreamOperator<RecordBatch, RecordBatch>,
      private KeyedTimersSupport,
      public runtime::Triggerable<std::string, int64_t> {
 public:
  /// `time_col`: the input's time column when `slices` is sliced, else its window_end.
  /// `start_in_key`: the last key column is each row's window_start (windows that
  /// arrive attached, not aligned): grouped by it, output as the window_start.
  WindowAggregateOperator(std::vector<int> keys, std::vector<LogicalType> key_types, SliceAssigner slices,
                          int time_col, std::vector<AggregateCall> aggs, std::vector<LogicalType> output_types,
                          bool proctime = false, bool start_in_key = false)
      : keys_(std::move(keys)), key_types_(std::move(key_types)), slices_(slices), time_col_(time_col),
        aggs_(std::move(aggs)), output_types_(std::move(output_types)), proctime_(proctime),
        start_in_key_(start_in_key) {}

  Status initializeState(std::vector<runtime::OperatorSnapshot> restored) override {
    return stashRestored(std::move(restored));
  }
  Result<runtime::OperatorSnapshot> snapshotState(int64_t id) override {
    flushCache();
    return snapshotWithTimers(id);
  }
  void open() override {
    state_written_ = openKeyedTimers(context(), this);
    state_ = backend().getMapState(state::MapStateDescriptor<int64_t, std::string>("windowAggs"));
    out_ = emptyBatch(output_types_);
  }

  void processElement(const runtime::StreamRecord<RecordBatch>& record) override {
    const RecordBatch& in = record.value;
    const Column& time = in.columns[static_cast<size_t>(time_col_)];
    std::string key, slot;
    for (size_t r = 0; r < in.size(); ++r) {
      if (time.null[r]) continue;  // No rowtime: in no window, as the TVF drops it.
      // A windowed input's time column is its window_end, already on the windows' clock.
      const int64_t slice = slices_.slicing() ? slices_.sliceEnd(window().windowTime(time.i64[r])) : time.i64[r];
      const int64_t last = slices_.lastWindowEnd(slice);
      if (slices_.firstWindowEnd(slice) > last) continue;  // Between HOP windows.
      // Flink: late when the last window holding the row has fired (end - 1 <= watermark).
      // A processing-time row's window is the one open now.
      if (!proctime_ && window().fireTime(last) <= timers_->currentWatermark()) {
        context().metrics->num_late_records_dropped.inc();
        continue;
      }
      encodeKey(in, r, keys_, key_types_, key);
      slotOf(key, slice, slot);
      bool inserted = false;
      Slice& p = cache_.tryEmplace(slot, &inserted);
      if (inserted) {
        // Not cached: read its state once.
        backend().setCurrentKey(key);
        p.key = key;
        p.end = slice;
        bool stored = false;
        p.accs = load(slice, &p.rows, &stored);
        if (!stored) registerFirstWindow(slice);
      }
      p.dirty = true;
      p.rows += isAccumulate(in.kinds[r]) ? 1 : -1;
      for (size_t a = 0; a < aggs_.size(); ++a) foldRow(p.accs[a], aggs_[a], in, r, isAccumulate(in.kinds[r]));
    }
    if (cache_.size() > kMaxCachedWindows) {
      flushCache();
      cache_.clear();
    }
  }

  void processWatermark(runtime::Watermark wm) override {
    timers_->advanceWatermark(wm.timestamp);
    flush();
    emitWatermark(wm);
  }
  void finish() override { flush(); }

  void onEventTime(const runtime::InternalTimer<std::string, int64_t>& t) override { fire(t); }
  void onProcessingTime(const runtime::InternalTimer<std::string, int64_t>& t) override {
    fire(t);
    flush();
  }

 private:
  static void slotOf(const std::string& key, int64_t slice, std::string& slot) {
    slot = key;
    slot.append(reinterpret_cast<const char*>(&slice), sizeof slice);
  }
  const WindowSpec& window() const { return slices_.window(); }
  void registerTimer(int64_t window_end) {
    timers_->registerTimer(proctime_, window_end, window().fireTime(window_end));
  }
  // A new slice of the current key: a timer for the first of its windows not yet fired
  // (later ones are registered as each fires, while the key has slices they share).
  void registerFirstWindow(int64_t slice) {
    int64_t end = slices_.firstWindowEnd(slice);
    if (!proctime_) {
      while (window().fireTime(end) <= timers_->currentWatermark()) end = *slices_.nextWindowEnd(end);
    }
    registerTimer(end);
  }

  // Emits the window of timer `t` (its key, and its end as the namespace) from the
  // key's slices in it, drops the slices no later window holds, and registers the next
  // window's timer when some of its slices are left.
  void fire(const runtime::InternalTimer<std::string, int64_t>& t) {
    const int64_t end = t.ns;
    std::vector<Accumulator> accs;
    int64_t rows = 0;
    bool merged = false, shared = false;
    std::string slot;
    for (int64_t s = slices_.firstSliceEnd(end); s <= end; s += slices_.sliceStep()) {
      const bool expires = slices_.expiresWith(s, end);
      slotOf(t.key, s, slot);
      std::vector<Accumulator> loaded;
      int64_t n = 0;
      const std::vector<Accumulator>* slice = nullptr;
      Slice* cached = cache_.find(slot);
      if (cached) {
        slice = &cached->accs;
        n = cached->rows;
      } else if (state_written_) {
        bool stored = false;
        loaded = load(s, &n, &stored);
        if (stored) slice = &loaded;
      }
      if (!slice) continue;
      rows += n;
      if (!merged && expires) {
        accs = std::move(cached ? cached->accs : loaded);  // Not needed again: taken, not copied.
      } else if (!merged) {
        accs = *slice;
      } else {
        for (size_t a = 0; a < accs.size(); ++a) accs[a].merge((*slice)[a]);
      }
      merged = true;
      if (expires) {
        if (cached) cache_.erase(slot);
        if (state_written_) state_->remove(s);
      } else {
        shared = true;
      }
    }
    if (shared) registerTimer(*slices_.nextWindowEnd(end));
    if (rows <= 0) return;  // No row (or all retracted): Flink emits nothing.
    std::vector<Value> key = decodeKey(t.key, key_types_);
    const Value start = start_in_key_ ? key.back() : Value::ofInt(slices_.windowStart(end));
    if (start_in_key_) key.pop_back();
    size_t c = 0;
    for (const Value& v : key) appendValue(out_.columns[c++], v);
    appendValue(out_.columns[c++], start);
    appendValue(out_.columns[c++], Value::ofInt(end));
    appendValue(out_.columns[c++], Value::ofInt(window().fireTime(end)));
    for (const Accumulator& a : accs) appendValue(out_.columns[c++], a.result());
    out_.kinds.push_back(RowKind::kInsert);
  }

  // The accumulators of the current key's slice ending at `end` (fresh ones if none),
  // and its row count.
  std::vector<Accumulator> load(int64_t end, int64_t* rows, bool* stored) {
    std::vector<Accumulator> accs = freshAccumulators(aggs_);
    *rows = 0;
    *stored = false;
    if (!state_written_) return accs;  // Every slice is still in the cache.
    std::optional<std::string> bytes = state_->get(end);
    *stored = bytes.has_value();
    if (!bytes) return accs;
    Status st = decodeAccumulators(*bytes, rows, accs);
    if (!st.isOk()) throw std::runtime_error("window aggregate state: " + st.message());
    return accs;
  }
  // Writes the changed slices of the cache to keyed state.
  void flushCache() {
    cache_.forEach([&](const std::string&, Slice& p) {
      if (!p.dirty) return;
      backend().setCurrentKey(p.key);
      state_->put(p.end, encodeAccumulators(p.rows, p.accs));
      state_written_ = true;
      p.dirty = false;
    });
  }
  void flush() {
    if (out_.empty()) return;
    output().collect(runtime::StreamRecord<RecordBatch>{std::move(out_), runtime::kNoTimestamp});
    out_ = emptyBatch(output_types_);
  }

  // Plan.
  std::vector<int> keys_;
  std::vector<LogicalType> key_types_;
  SliceAssigner slices_;
  int time_col_;
  std::vector<AggregateCall> aggs_;
  std::vector<LogicalType> output_types_;
  bool proctime_;
  bool start_in_key_;
  // Whether state_ may hold a slice (restored, or the cache written back): until then
  // the cache holds every open slice and state is not read.
  bool state_written_ = false;
  // Checkpointed state: per key, slice end -> (row count, accumulators); a timer per
  // key and window to fire.
  state::MapState<int64_t, std::string>* state_ = nullptr;
  // Transient state: rows of fired windows not yet emitted; decoded slices (key bytes
  // + slice end -> accumulators), a cache of state_ written back when it is full and
  // before a snapshot, so that a slice is not decoded and encoded per batch.
  RecordBatch out_;
  struct Slice {
    std::string key;
    int64_t end = 0;
    int64_t rows = 0;
    bool dirty = false;
    std::vector<Accumulator> accs;
  };
  static constexpr size_t kMaxCachedWindows = 1 << 16;
  struct SlotHash {
    size_t operator()(const std::string& s) const { return std::hash<std::string>()(s); }
  };
  FlatHashMap<std::string, Slice, SlotHash> cache_;
};

}  // namespace eddy::sql
