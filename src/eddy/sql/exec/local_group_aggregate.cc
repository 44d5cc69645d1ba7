#include "eddy/sql/exec/local_group_aggregate.h"

#include "eddy/sql/exec/group_key.h"

namespace eddy::sql {

LocalGroupAggregateOperator::LocalGroupAggregateOperator(std::vector<int> keys, std::vector<LogicalType> key_types,
                                                         std::vector<AggregateCall> aggs, MiniBatch mini_batch)
    : keys_(std::move(keys)), key_types_(std::move(key_types)), aggs_(std::move(aggs)), mini_batch_(mini_batch) {}

void LocalGroupAggregateOperator::open() {
  if (mini_batch_.latency_ms > 0) {
    endBundlesEvery(context().processing_time, mini_batch_.latency_ms, [this] { finishBundle(); });
  }
}

void LocalGroupAggregateOperator::processElement(const runtime::StreamRecord<RecordBatch>& record) {
  const RecordBatch& in = record.value;
  std::string key;
  for (size_t r = 0; r < in.size(); ++r) {
    encodeKey(in, r, keys_, key_types_, key);
    auto [it, inserted] = partials_.try_emplace(key);
    Partial& p = it->second;
    if (inserted) {
      p.accs = freshAccumulators(aggs_);
      order_.push_back(key);
    }
    // A retraction (over an updating input) counts down: the global phase deletes a
    // group whose rows reach zero.
    const bool acc = isAccumulate(in.kinds[r]);
    p.rows += acc ? 1 : -1;
    for (size_t a = 0; a < aggs_.size(); ++a) foldRow(p.accs[a], aggs_[a], in, r, acc);
    if (++bundle_rows_ >= mini_batch_.size && mini_batch_.size > 0) finishBundle();
  }
}

void LocalGroupAggregateOperator::processWatermark(runtime::Watermark wm) {
  finishBundle();  // The partials of rows before the watermark go before it.
  emitWatermark(wm);
}

Result<runtime::OperatorSnapshot> LocalGroupAggregateOperator::snapshotState(int64_t checkpoint_id) {
  finishBundle();  // Emitted before the barrier: the snapshot holds nothing.
  return OneInputStreamOperator::snapshotState(checkpoint_id);
}

void LocalGroupAggregateOperator::finishBundle() {
  if (order_.empty()) return;
  std::vector<LogicalType> types = key_types_;
  types.push_back(LogicalType::string().notNull());
  RecordBatch out = emptyBatch(types);
  for (const std::string& k : order_) {
    const Partial& p = partials_.at(k);
    std::vector<Value> key = decodeKey(k, key_types_);
    for (size_t c = 0; c < key.size(); ++c) appendValue(out.columns[c], key[c]);
    appendValue(out.columns[key.size()], Value::ofString(encodeAccumulators(p.rows, p.accs)));
    out.kinds.push_back(RowKind::kInsert);
  }
  partials_.clear();
  order_.clear();
  bundle_rows_ = 0;
  output().collect(runtime::StreamRecord<RecordBatch>{std::move(out), runtime::kNoTimestamp});
}

}  // namespace eddy::sql
