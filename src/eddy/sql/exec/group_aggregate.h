#pragma once

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "eddy/operators/keyed_operator.h"
#include "eddy/sql/exec/aggregates.h"
#include "eddy/sql/exec/group_key.h"

namespace eddy::sql {

/// Flink's GroupAggFunction: an unbounded GROUP BY over a changelog. Per key it keeps
/// the accumulators (and a row count) in keyed state; for each input row it emits +I
/// for a new group, -U/+U when the results change, and -D when the group's last row is
/// retracted. Rows are handled in input order, as Flink does without mini-batch.
/// Decoded groups stay cached in the operator (up to kMaxCachedGroups) and are written
/// to keyed state when the cache is full and before every snapshot, so a hot key is not
/// decoded and encoded per row or batch; checkpoints see exactly the processed rows.
///
/// With a mini-batch (Flink's MiniBatchGroupAggFunction, table.exec.mini-batch.*) the
/// rows are folded in as they come but the changes are held back: when the bundle ends
/// (`size` rows, every `latency_ms` of processing time, before a snapshot and at the
/// end of input) each group touched emits once, its result before the bundle against
/// its result now (+I, -U/+U, -D or nothing), in the order the groups were first
/// touched.
/// As the global phase of a two-phase aggregation (`partial_input`, Flink's
/// GlobalGroupAggregate) its input rows are a LocalGroupAggregateOperator's: the key
/// columns, then a partial accumulator, merged into the group's.
/// Output: the key columns, then one column per aggregate.
/// Thread: the task thread.
/// table.exec.mini-batch.*: size 0 is no mini-batch.
struct MiniBatch {
  int64_t latency_ms = 0;
  int64_t size = 0;
};

/// Calls `end_bundle` every `latency_ms` of processing time from now on (Flink's
/// mini-batch interval), so that a slow input still sees its results.
inline void endBundlesEvery(runtime::ProcessingTimeService* pts, int64_t latency_ms, std::function<void()> end_bundle) {
  pts->registerTimer(pts->getCurrentProcessingTime() + latency_ms, [pts, latency_ms, end_bundle](Timestamp) {
    end_bundle();
    endBundlesEvery(pts, latency_ms, end_bundle);
  });
}

class GroupAggregateOperator final : public runtime::OneInputStreamOperator<RecordBatch, RecordBatch>,
                                     private operators::KeyedSupport<std::string, RecordBatch> {
 public:
  /// `state_ttl_ms` > 0: Flink's table.exec.state.ttl, a group not updated for that long
  /// (processing time) is forgotten; its next row starts it afresh with +I.
  GroupAggregateOperator(std::vector<int> keys, std::vector<LogicalType> key_types, std::vector<AggregateCall> aggs,
                         std::vector<LogicalType> output_types, int64_t state_ttl_ms = 0,
                         MiniBatch mini_batch = {}, bool partial_input = false)
      : KeyedSupport([](const RecordBatch&) { return std::string(); }),
        keys_(std::move(keys)), key_types_(std::move(key_types)), aggs_(std::move(aggs)),
        output_types_(std::move(output_types)), ttl_ms_(state_ttl_ms), mini_batch_(mini_batch),
        partial_input_(partial_input) {}

  Status initializeState(std::vector<runtime::OperatorSnapshot> restored) override {
    return stashRestored(std::move(restored));
  }
  Result<runtime::OperatorSnapshot> snapshotState(int64_t id) override {
    finishBundle();  // As Flink's prepareSnapshotPreBarrier: the snapshot follows the output.
    flush();
    return snapshotKeyed(id, {});
  }
  void finish() override { finishBundle(); }
  void open() override {
    openBackend(context());
    dropRestored();
    state::ValueStateDescriptor<std::string> descriptor("groupAggs");
    if (ttl_ms_ > 0) descriptor.enableTimeToLive(state::StateTtlConfig::newBuilder(Duration(ttl_ms_)).build());
    state_ = backend().getState(descriptor);
    if (mini_batch_.size > 0 && mini_batch_.latency_ms > 0) {
      endBundlesEvery(context().processing_time, mini_batch_.latency_ms, [this] { finishBundle(); });
    }
  }

  void processElement(const runtime::StreamRecord<RecordBatch>& record) override {
    const RecordBatch& in = record.value;
    RecordBatch out = emptyBatch(output_types_);
    std::string key;
    // One clock read per batch, not per row: retention is coarse anyway.
    const int64_t now = ttl_ms_ > 0 ? context().processing_time->clock().currentTimeMillis() : 0;
    for (size_t r = 0; r < in.size(); ++r) {
      encodeKey(in, r, keys_, key_types_, key);
      auto [it, inserted] = cache_.try_emplace(key);
      Group& g = it->second;
      if (inserted) {
        load(key, g);
      } else if (ttl_ms_ > 0 && now - g.updated >= ttl_ms_) {
        // Idle past the retention time: forgotten, as its state would have expired.
        g = Group{};
        g.accs = freshAccumulators(aggs_);
        g.updated = now;
        backend().setCurrentKey(key);
        state_->clear();
      }
      g.dirty = true;
      g.updated = now;
      std::vector<Value> before;
      bool existed = g.rows > 0;
      bool acc = isAccumulate(in.kinds[r]);
      if (!acc && !existed) continue;  // Flink ignores a retraction for an unknown group.
      if (mini_batch_.size > 0) {
        // Remember the group as the bundle found it; its changes come out at the end.
        if (bundle_index_.try_emplace(key, bundle_.size()).second) {
          Touched t;
          t.key = key;
          t.existed = existed;
          if (existed) t.before = lastResults(g);
          bundle_.push_back(std::move(t));
        }
        apply(g, in, r, acc);
        if (++bundle_rows_ >= mini_batch_.size) finishBundle();
        continue;
      }
      if (existed) before = lastResults(g);
      apply(g, in, r, acc);
      if (g.rows <= 0) {
        if (existed) emit(out, in, r, before, RowKind::kDelete);
        continue;
      }
      std::vector<Value> after = results(g);
      if (!existed) {
        emit(out, in, r, after, RowKind::kInsert);
      } else if (!sameValues(before, after)) {
        emit(out, in, r, before, RowKind::kUpdateBefore);
        emit(out, in, r, after, RowKind::kUpdateAfter);
      }
      g.last = std::move(after);
      g.has_last = true;
    }
    if (cache_.size() > kMaxCachedGroups && bundle_.empty()) {
      flush();
      cache_.clear();
    }
    if (!out.empty()) output().collect(runtime::StreamRecord<RecordBatch>{std::move(out), runtime::kNoTimestamp});
  }

 private:
  struct Group {
    int64_t rows = 0;
    std::vector<Accumulator> accs;
    bool dirty = false;  // Changed since it was last written to state.
    int64_t updated = 0;  // Processing time of its last change (with a state TTL).
    // The results last emitted, while the accumulators have not changed since: the
    // next change's -U, without computing them again.
    std::vector<Value> last;
    bool has_last = false;
  };
  static constexpr size_t kMaxCachedGroups = 1 << 16;
  // A group the current mini-batch touched: its key bytes and its result before.
  struct Touched {
    std::string key;
    bool existed = false;
    std::vector<Value> before;
  };

  // Folds row `r` of `in` into `g` (a retraction when !acc); a group whose last row
  // goes starts afresh.
  void apply(Group& g, const RecordBatch& in, size_t r, bool acc) {
    g.has_last = false;
    if (partial_input_) {
      // A partial accumulator from the local phase: merged in (its rows negative when
      // it holds more retractions than rows).
      std::vector<Accumulator> partial = freshAccumulators(aggs_);
      int64_t rows = 0;
      Status st = decodeAccumulators(in.columns[keys_.size()].str[r], &rows, partial);
      if (!st.isOk()) throw std::runtime_error("global group aggregate input: " + st.message());
      g.rows += rows;
      for (size_t a = 0; a < aggs_.size(); ++a) g.accs[a].merge(partial[a]);
      if (g.rows <= 0) {
        g.rows = 0;
        g.accs = freshAccumulators(aggs_);
      }
      return;
    }
    g.rows += acc ? 1 : -1;
    for (size_t a = 0; a < aggs_.size(); ++a) foldRow(g.accs[a], aggs_[a], in, r, acc);
    if (g.rows <= 0) {
      g.rows = 0;
      g.accs = freshAccumulators(aggs_);
    }
  }

  // Emits the changes of the groups the bundle touched and starts a new bundle.
  void finishBundle() {
    if (bundle_.empty()) return;
    RecordBatch out = emptyBatch(output_types_);
    for (const Touched& t : bundle_) {
      Group& g = cache_.at(t.key);
      std::vector<Value> key = decodeKey(t.key, key_types_);
      if (g.rows <= 0) {
        if (t.existed) emitValues(out, key, t.before, RowKind::kDelete);
        continue;
      }
      std::vector<Value> after = results(g);
      if (!t.existed) {
        emitValues(out, key, after, RowKind::kInsert);
      } else if (!sameValues(t.before, after)) {
        emitValues(out, key, t.before, RowKind::kUpdateBefore);
        emitValues(out, key, after, RowKind::kUpdateAfter);
      }
      g.last = std::move(after);
      g.has_last = true;
    }
    bundle_.clear();
    bundle_index_.clear();
    bundle_rows_ = 0;
    if (cache_.size() > kMaxCachedGroups) {
      flush();
      cache_.clear();
    }
    if (!out.empty()) output().collect(runtime::StreamRecord<RecordBatch>{std::move(out), runtime::kNoTimestamp});
  }

  // Writes the changed groups to keyed state; empty groups leave state and cache.
  void flush() {
    for (auto it = cache_.begin(); it != cache_.end();) {
      Group& g = it->second;
      if (g.dirty) {
        store(it->first, g);
        g.dirty = false;
      }
      it = g.rows <= 0 ? cache_.erase(it) : std::next(it);
    }
  }

  void load(const std::string& key, Group& g) {
    g.accs = freshAccumulators(aggs_);
    backend().setCurrentKey(key);
    std::optional<std::string> bytes = state_->value();
    if (!bytes) return;
    Status st = decodeAccumulators(*bytes, &g.rows, g.accs);
    if (!st.isOk()) throw std::runtime_error("group aggregate state: " + st.message());
  }
  void store(const std::string& key, const Group& g) {
    backend().setCurrentKey(key);
    if (g.rows <= 0) {
      state_->clear();
      return;
    }
    state_->update(encodeAccumulators(g.rows, g.accs));
  }
  // The group's results before a change: those last emitted, taken from the cache.
  std::vector<Value> lastResults(Group& g) const {
    if (!g.has_last) return results(g);
    g.has_last = false;
    return std::move(g.last);
  }
  std::vector<Value> results(const Group& g) const {
    std::vector<Value> v;
    v.reserve(g.accs.size());
    for (const auto& a : g.accs) v.push_back(a.result());
    return v;
  }
  static bool sameValues(const std::vector<Value>& a, const std::vector<Value>& b) {
    for (size_t i = 0; i < a.size(); ++i) {
      if (a[i].null != b[i].null || a[i].i != b[i].i || a[i].d != b[i].d || a[i].s != b[i].s) return false;
    }
    return true;
  }
  void emitValues(RecordBatch& out, const std::vector<Value>& key, const std::vector<Value>& values, RowKind kind) {
    for (size_t k = 0; k < key.size(); ++k) appendValue(out.columns[k], key[k]);
    for (size_t a = 0; a < values.size(); ++a) appendValue(out.columns[key.size() + a], values[a]);
    out.kinds.push_back(kind);
  }
  void emit(RecordBatch& out, const RecordBatch& in, size_t row, const std::vector<Value>& values, RowKind kind) {
    for (size_t k = 0; k < keys_.size(); ++k) out.columns[k].appendFrom(in.columns[static_cast<size_t>(keys_[k])], row);
    for (size_t a = 0; a < values.size(); ++a) appendValue(out.columns[keys_.size() + a], values[a]);
    out.kinds.push_back(kind);
  }

  // Plan.
  std::vector<int> keys_;
  std::vector<LogicalType> key_types_;
  std::vector<AggregateCall> aggs_;
  std::vector<LogicalType> output_types_;
  int64_t ttl_ms_;
  MiniBatch mini_batch_;
  bool partial_input_;
  // Checkpointed state: per key, the row count and the accumulators.
  state::ValueState<std::string>* state_ = nullptr;
  // The decoded groups (a cache of state_; see flush()).
  std::unordered_map<std::string, Group> cache_;
  // The current mini-batch: the groups it touched, in order, and how many rows it holds.
  std::vector<Touched> bundle_;
  std::unordered_map<std::string, size_t> bundle_index_;
  int64_t bundle_rows_ = 0;
};

}  // namespace eddy::sql
