#pragma once

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "eddy/core/flat_hash_map.h"
#include "eddy/operators/keyed_operator.h"
#include "eddy/runtime/internal_timer_service.h"
#include "eddy/sql/exec/aggregates.h"
#include "eddy/sql/exec/group_key.h"

namespace eddy::sql {

/// Flink's window aggregation over a window TVF's rows (which carry window_start and
/// window_end; a legacy group window is planned as such a TVF too): per key and window
/// the accumulators live in keyed state until the watermark passes the window's
/// end - 1, then one +I row is emitted and the window forgotten. A row whose window has
/// fired is late and dropped (numLateRecordsDropped). Append-only in and out.
/// A processing-time window (`proctime`) fires instead when the processing time
/// reaches its end - 1; at the end of a bounded input its unfired windows are dropped,
/// as Flink quiesces processing-time timers then.
/// Output: key columns, window_start, window_end, window_time (end - 1), aggregates.
/// Thread: the task thread.
class WindowAggregateOperator final
    : public runtime::OneInputStreamOperator<RecordBatch, RecordBatch>,
      private operators::KeyedSupport<std::string, RecordBatch>,
      public runtime::Triggerable<std::string, int64_t> {
 public:
  WindowAggregateOperator(std::vector<int> keys, std::vector<LogicalType> key_types, int start_col, int end_col,
                          std::vector<AggregateCall> aggs, std::vector<LogicalType> output_types, bool proctime = false)
      : KeyedSupport([](const RecordBatch&) { return std::string(); }),
        keys_(std::move(keys)), key_types_(std::move(key_types)), start_col_(start_col), end_col_(end_col),
        aggs_(std::move(aggs)), output_types_(std::move(output_types)), proctime_(proctime) {}

  Status initializeState(std::vector<runtime::OperatorSnapshot> restored) override {
    return stashRestored(std::move(restored));
  }
  Result<runtime::OperatorSnapshot> snapshotState(int64_t id) override {
    flushCache();
    return snapshotKeyed(id, {[&](std::vector<DataOutputView>& out) { return timers_->snapshotTimers(out); }});
  }
  void open() override {
    openBackend(context());
    timers_ = std::make_unique<runtime::InternalTimerService<std::string, int64_t>>(&backend(),
                                                                                      context().processing_time, this);
    restorePart(1, [&](DataInputView& in) { return timers_->restoreTimers(in); });
    state_written_ = restoring();
    dropRestored();
    state_ = backend().getMapState(state::MapStateDescriptor<int64_t, std::string>("windowAggs"));
    out_ = emptyBatch(output_types_);
  }

  void processElement(const runtime::StreamRecord<RecordBatch>& record) override {
    const RecordBatch& in = record.value;
    const Column& starts = in.columns[static_cast<size_t>(start_col_)];
    const Column& ends = in.columns[static_cast<size_t>(end_col_)];
    std::string key, slot;
    for (size_t r = 0; r < in.size(); ++r) {
      int64_t end = ends.i64[r];
      // Flink: late when the window has fired (end - 1 <= watermark). A processing-time
      // row's window is the one open now.
      if (!proctime_ && end - 1 <= timers_->currentWatermark()) {
        context().metrics->num_late_records_dropped.inc();
        continue;
      }
      encodeKey(in, r, keys_, key_types_, key);
      slot = key;
      slot.append(reinterpret_cast<const char*>(&end), sizeof end);
      bool inserted = false;
      Pending& p = cache_.tryEmplace(slot, &inserted);
      if (inserted) {
        // Not cached: read its state once.
        backend().setCurrentKey(key);
        p.key = key;
        p.end = end;
        p.start = starts.i64[r];
        bool stored = false;
        p.accs = load(end, nullptr, &stored);
        if (!stored) {
          if (proctime_) {
            timers_->registerProcessingTimeTimer(end, end - 1);
          } else {
            timers_->registerEventTimeTimer(end, end - 1);
          }
        }
      }
      p.dirty = true;
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
  // Emits the window of timer `t` (its key, and its end as the namespace) and forgets it.
  void fire(const runtime::InternalTimer<std::string, int64_t>& t) {
    int64_t end = t.ns;
    int64_t start = 0;
    std::string slot = t.key;
    slot.append(reinterpret_cast<const char*>(&end), sizeof end);
    std::vector<Accumulator> accs;
    if (Pending* cached = cache_.find(slot)) {
      start = cached->start;
      accs = std::move(cached->accs);
      cache_.erase(slot);
    } else {
      accs = load(end, &start);
    }
    if (state_written_) state_->remove(end);
    std::vector<Value> key = decodeKey(t.key, key_types_);
    size_t c = 0;
    for (const Value& v : key) appendValue(out_.columns[c++], v);
    appendValue(out_.columns[c++], Value::ofInt(start));
    appendValue(out_.columns[c++], Value::ofInt(end));
    appendValue(out_.columns[c++], Value::ofInt(end - 1));
    for (const Accumulator& a : accs) appendValue(out_.columns[c++], a.result());
    out_.kinds.push_back(RowKind::kInsert);
  }

  // The accumulators of the current key's window ending at `end` (fresh ones if none),
  // and the window's start. Windows sharing an end share a start (one TVF per operator).
  std::vector<Accumulator> load(int64_t end, int64_t* start = nullptr, bool* stored = nullptr) {
    std::vector<Accumulator> accs = freshAccumulators(aggs_);
    if (stored) *stored = false;
    if (!state_written_) return accs;  // Every window is still in the cache.
    std::optional<std::string> bytes = state_->get(end);
    if (stored) *stored = bytes.has_value();
    if (!bytes) return accs;
    int64_t s = 0;
    Status st = decodeAccumulators(*bytes, &s, accs);
    if (!st.isOk()) throw std::runtime_error("window aggregate state: " + st.message());
    if (start) *start = s;
    return accs;
  }
  void store(int64_t end, int64_t start, const std::vector<Accumulator>& accs) {
    state_->put(end, encodeAccumulators(start, accs));
  }
  // Writes the changed windows of the cache to keyed state.
  void flushCache() {
    cache_.forEach([&](const std::string&, Pending& p) {
      if (!p.dirty) return;
      backend().setCurrentKey(p.key);
      store(p.end, p.start, p.accs);
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
  int start_col_;
  int end_col_;
  std::vector<AggregateCall> aggs_;
  std::vector<LogicalType> output_types_;
  bool proctime_;
  // Whether state_ may hold a window (restored, or the cache written back): until then
  // the cache holds every open window and state is not read.
  bool state_written_ = false;
  // Checkpointed state: per key, window end -> (start, accumulators); a timer per window.
  state::MapState<int64_t, std::string>* state_ = nullptr;
  std::unique_ptr<runtime::InternalTimerService<std::string, int64_t>> timers_;
  // Transient state: rows of fired windows not yet emitted; decoded windows (key bytes
  // + window end -> accumulators), a cache of state_ written back when it is full and
  // before a snapshot, so that a window is not decoded and encoded per batch.
  RecordBatch out_;
  struct Pending {
    std::string key;
    int64_t start = 0, end = 0;
    bool dirty = false;
    std::vector<Accumulator> accs;
  };
  static constexpr size_t kMaxCachedWindows = 1 << 16;
  struct SlotHash {
    size_t operator()(const std::string& s) const { return std::hash<std::string>()(s); }
  };
  FlatHashMap<std::string, Pending, SlotHash> cache_;
};

}  // namespace eddy::sql
