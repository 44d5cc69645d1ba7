#include "eddy/sql/exec/batch_over_aggregate.h"

#include <algorithm>
#include <unordered_map>

#include "eddy/sql/exec/group_key.h"

namespace eddy::sql {

BatchOverAggregateOperator::BatchOverAggregateOperator(OverSpec spec,
                                                       std::optional<RankSpec::Function> rank)
    : FinalRowsOperator(spec.input_types), spec_(std::move(spec)), rank_(rank) {
  output_types_ = spec_.input_types;
  if (rank_) {
    output_types_.push_back(LogicalType::bigint().notNull());
  } else {
    for (const AggregateCall& a : spec_.aggs) output_types_.push_back(a.type);
  }
  out_ = emptyBatch(output_types_);
}

void BatchOverAggregateOperator::emitFinal(const RecordBatch& all) {
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
  // LAG and LEAD are no folds: the value `offset` rows before / after the current row
  // in ORDER BY order, or the default.
  auto withOffsets = [&](size_t at, std::vector<Value> values) {
    for (size_t a = 0; a < spec_.aggs.size(); ++a) {
      const AggregateCall& call = spec_.aggs[a];
      if (call.kind != AggKind::kLead && call.kind != AggKind::kLag) continue;
      const int64_t other =
          static_cast<int64_t>(at) + (call.kind == AggKind::kLead ? 1 : -1) * call.lag_offset;
      values[a] = other >= 0 && other < static_cast<int64_t>(n)
                      ? valueAt(all.columns[static_cast<size_t>(call.arg)],
                                rows[static_cast<size_t>(other)])
                      : call.lag_default;
    }
    return values;
  };
  auto fold = [&](size_t at, bool add) {
    for (size_t a = 0; a < spec_.aggs.size(); ++a)
      foldRow(accs[a], spec_.aggs[a], all, rows[at], add);
  };
  // A RANGE frame bounded by an amount measures on the first ORDER BY column (a time in
  // ms or an integer), in ORDER BY direction; NULLs frame only NULLs.
  const bool desc = !spec_.order.descending.empty() && spec_.order.descending[0];
  const Column* value =
      spec_.order.order.empty() ? nullptr : &all.columns[static_cast<size_t>(spec_.order.order[0])];
  auto isNull = [&](size_t j) { return value->isNull(rows[j]); };
  auto ahead = [&](size_t j, size_t i) {  // How far row j's value lies after row i's.
    return desc ? value->i64[rows[i]] - value->i64[rows[j]]
                : value->i64[rows[j]] - value->i64[rows[i]];
  };
  // Each row's frame is rows [lo, hi): both bounds only move forward, so rows are folded
  // in as the end passes them and retracted as the start does.
  size_t lo = 0, hi = 0, start = 0, end = 0;
  for (size_t i = 0; i < n;) {
    const size_t peers_end = peerEnd(i);
    for (size_t j = i; j < peers_end; ++j) {
      if (spec_.unbounded) {
        start = 0;
      } else if (spec_.current_start) {
        start = spec_.rows ? j : i;
      } else if (spec_.rows) {
        start =
            j > static_cast<size_t>(spec_.preceding) ? j - static_cast<size_t>(spec_.preceding) : 0;
      } else if (value) {
        while (start < i &&
               (isNull(start) != isNull(i) || (!isNull(i) && ahead(start, i) < -spec_.preceding))) {
          ++start;
        }
      } else {
        start = i;  // No ORDER BY: the partition is one group of peers.
      }
      if (spec_.unbounded_following) {
        end = n;
      } else if (spec_.rows) {
        end = std::min(n, j + 1 + static_cast<size_t>(spec_.following));
      } else if (spec_.following == 0 || !value) {
        end = peers_end;
      } else {
        end = std::max(end, peers_end);
        while (end < n && isNull(end) == isNull(i) &&
               (isNull(i) || ahead(end, i) <= spec_.following))
          ++end;
      }
      while (hi < end) fold(hi++, true);
      while (lo < start) fold(lo++, false);
      std::vector<Value> values;
      for (const Accumulator& a : accs) values.push_back(a.result());
      append(all, rows[j], withOffsets(j, std::move(values)));
    }
    i = peers_end;
  }
}

}  // namespace eddy::sql
