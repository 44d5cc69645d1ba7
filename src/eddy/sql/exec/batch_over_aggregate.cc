#include "eddy/sql/exec/batch_over_aggregate.h"

#include <algorithm>
#include <unordered_map>

#include "eddy/sql/exec/group_key.h"

namespace eddy::sql {

BatchOverAggregateOperator::BatchOverAggregateOperator(OverSpec spec,
                                                       std::optional<RankSpec::Function> rank)
    : spec_(std::move(spec)), rank_(rank), rows_(spec_.input_types) {
  output_types_ = spec_.input_types;
  if (rank_) {
    output_types_.push_back(LogicalType::bigint().notNull());
  } else {
    for (const AggregateCall& a : spec_.aggs) output_types_.push_back(a.type);
  }
  out_ = emptyBatch(output_types_);
}

void BatchOverAggregateOperator::finish() {
  const RecordBatch all = rows_.take();
  // Partitions in the order their first row arrived, each's rows in arrival order.
  std::vector<LogicalType> partition_types;
  for (int c : spec_.partition)
    partition_types.push_back(spec_.input_types[static_cast<size_t>(c)]);
  std::unordered_map<std::string, size_t> index;
  std::vector<std::vector<uint32_t>> partitions;
  std::string key;
  for (size_t r = 0; r < all.size(); ++r) {
    key.clear();
    encodeKey(all, r, spec_.partition, partition_types, key);
    auto [it, inserted] = index.try_emplace(key, partitions.size());
    if (inserted) partitions.emplace_back();
    partitions[it->second].push_back(static_cast<uint32_t>(r));
  }
  const std::vector<std::string> keys = spec_.order.of(all, spec_.input_types);
  for (std::vector<uint32_t>& rows : partitions) {
    std::stable_sort(rows.begin(), rows.end(),
                     [&](uint32_t a, uint32_t b) { return keys[a] < keys[b]; });
    evaluate(all, rows, keys);
  }
  if (!out_.empty())
    output().collect(runtime::StreamRecord<RecordBatch>{std::move(out_), runtime::kNoTimestamp});
  out_ = emptyBatch(output_types_);
  if (held_) emitWatermark(*held_);
  held_.reset();
}

void BatchOverAggregateOperator::append(const RecordBatch& all, uint32_t row,
                                        const std::vector<Value>& results) {
  for (size_t c = 0; c < all.columns.size(); ++c) out_.columns[c].appendFrom(all.columns[c], row);
  for (size_t i = 0; i < results.size(); ++i)
    appendValue(out_.columns[all.columns.size() + i], results[i]);
  out_.kinds.push_back(RowKind::kInsert);
  if (out_.size() >= 1024) {
    output().collect(runtime::StreamRecord<RecordBatch>{std::move(out_), runtime::kNoTimestamp});
    out_ = emptyBatch(output_types_);
  }
}

void BatchOverAggregateOperator::evaluate(const RecordBatch& all, const std::vector<uint32_t>& rows,
                                          const std::vector<std::string>& keys) {
  const size_t n = rows.size();
  // Peers: rows [i, peerEnd(i)) share the ORDER BY values.
  auto peerEnd = [&](size_t i) {
    size_t j = i + 1;
    while (j < n && keys[rows[j]] == keys[rows[i]]) ++j;
    return j;
  };
  if (rank_) {
    int64_t dense = 0;
    for (size_t i = 0; i < n;) {
      const size_t end = peerEnd(i);
      ++dense;
      for (size_t j = i; j < end; ++j) {
        const int64_t number = *rank_ == RankSpec::Function::kRowNumber
                                   ? static_cast<int64_t>(j) + 1
                               : *rank_ == RankSpec::Function::kRank ? static_cast<int64_t>(i) + 1
                                                                     : dense;
        append(all, rows[j], {Value::ofInt(number)});
      }
      i = end;
    }
    return;
  }
  std::vector<Accumulator> accs = freshAccumulators(spec_.aggs);
  // LEAD is no fold: the value `offset` rows ahead of the current row, or its default.
  auto withLeads = [&](size_t at, std::vector<Value> values) {
    for (size_t a = 0; a < spec_.aggs.size(); ++a) {
      const AggregateCall& call = spec_.aggs[a];
      if (call.kind != AggKind::kLead) continue;
      const size_t ahead = at + static_cast<size_t>(call.lag_offset);
      values[a] = ahead < n ? valueAt(all.columns[static_cast<size_t>(call.arg)], rows[ahead])
                            : call.lag_default;
    }
    return values;
  };
  auto fold = [&](uint32_t row, bool add) {
    for (size_t a = 0; a < spec_.aggs.size(); ++a) foldRow(accs[a], spec_.aggs[a], all, row, add);
  };
  auto results = [&] {
    std::vector<Value> values;
    for (const Accumulator& a : accs) values.push_back(a.result());
    return values;
  };
  if (spec_.rows) {
    for (size_t i = 0; i < n; ++i) {
      fold(rows[i], true);
      if (!spec_.unbounded && static_cast<int64_t>(i) > spec_.preceding) {
        fold(rows[i - static_cast<size_t>(spec_.preceding) - 1], false);
      }
      append(all, rows[i], withLeads(i, results()));
    }
    return;
  }
  // RANGE: a row's frame ends with its last peer; a bounded one starts `preceding`
  // below its value of the first ORDER BY column (above it, descending).
  const bool desc = !spec_.order.descending.empty() && spec_.order.descending[0];
  const Column* value =
      spec_.order.order.empty() ? nullptr : &all.columns[static_cast<size_t>(spec_.order.order[0])];
  size_t first = 0;  // The bounded frame's oldest row still in it.
  for (size_t i = 0; i < n;) {
    const size_t end = peerEnd(i);
    for (size_t j = i; j < end; ++j) fold(rows[j], true);
    if (!spec_.unbounded && value) {
      const bool null = value->isNull(rows[i]);
      const int64_t v = null ? 0 : value->i64[rows[i]];
      auto outside = [&](uint32_t r) {
        if (null || value->isNull(r)) return value->isNull(r) != null;  // NULLs frame only NULLs.
        return desc ? value->i64[r] > v + spec_.preceding : value->i64[r] < v - spec_.preceding;
      };
      while (first < i && outside(rows[first])) fold(rows[first++], false);
    }
    const std::vector<Value> frame = results();
    for (size_t j = i; j < end; ++j) append(all, rows[j], withLeads(j, frame));
    i = end;
  }
}

Result<runtime::OperatorSnapshot> BatchOverAggregateOperator::snapshotState(int64_t checkpoint_id) {
  EDDY_ASSIGN_OR_RETURN(runtime::OperatorSnapshot snap,
                        OneInputStreamOperator::snapshotState(checkpoint_id));
  snap.operator_state = rows_.snapshot();
  return snap;
}

Status BatchOverAggregateOperator::initializeState(
    std::vector<runtime::OperatorSnapshot> restored) {
  for (const runtime::OperatorSnapshot& snap : restored)
    EDDY_RETURN_IF_ERROR(rows_.restore(snap.operator_state));
  return Status::ok();
}

}  // namespace eddy::sql
