#include "eddy/sql/exec/batch_over_aggregate.h"

#include <algorithm>

namespace eddy::sql {

BatchOverAggregateOperator::BatchOverAggregateOperator(OverSpec spec)
    : FinalRowsOperator(spec.input_types), spec_(std::move(spec)) {
  output_types_ = spec_.input_types;
  for (const AggregateCall& a : spec_.aggs) output_types_.push_back(a.type);
  out_ = emptyBatch(output_types_);
}

void BatchOverAggregateOperator::emitFinal(const RecordBatch& all) {
  // Rows sorted by PARTITION BY values (ascending), then ORDER BY; ties in arrival order.
  SortKeys by_partition;
  by_partition.order = spec_.partition;
  by_partition.descending.assign(spec_.partition.size(), false);
  const std::vector<std::string> partitions = by_partition.of(all, spec_.input_types);
  const std::vector<std::string> keys = spec_.order.of(all, spec_.input_types);
  std::vector<uint32_t> sorted(all.size());
  for (uint32_t r = 0; r < sorted.size(); ++r) sorted[r] = r;
  std::stable_sort(sorted.begin(), sorted.end(), [&](uint32_t a, uint32_t b) {
    const int c = partitions[a].compare(partitions[b]);
    return c != 0 ? c < 0 : keys[a] < keys[b];
  });
  std::vector<uint32_t> rows;
  for (size_t i = 0; i < sorted.size();) {
    size_t j = i;
    rows.clear();
    while (j < sorted.size() && partitions[sorted[j]] == partitions[sorted[i]]) rows.push_back(sorted[j++]);
    evaluate(all, rows, keys);
    i = j;
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
  std::vector<Accumulator> accs = freshAccumulators(spec_.aggs);
  // The window functions are no folds: they read the current row's place (row j of the
  // peers [i, peers_end), the `dense`-th distinct ORDER BY value) or the rows around it.
  auto windowFunctions = [&](size_t j, size_t i, size_t peers_end, int64_t dense, std::vector<Value>& values) {
    for (size_t a = 0; a < spec_.aggs.size(); ++a) {
      const AggregateCall& call = spec_.aggs[a];
      switch (call.kind) {
        case AggKind::kLag:
        case AggKind::kLead: {
          const int64_t other =
              static_cast<int64_t>(j) + (call.kind == AggKind::kLead ? 1 : -1) * call.lag_offset;
          values[a] = other >= 0 && other < static_cast<int64_t>(n)
                          ? valueAt(all.columns[static_cast<size_t>(call.arg)], rows[static_cast<size_t>(other)])
                          : call.lag_default;
          break;
        }
        case AggKind::kRowNumber: values[a] = Value::ofInt(static_cast<int64_t>(j) + 1); break;
        case AggKind::kRank: values[a] = Value::ofInt(static_cast<int64_t>(i) + 1); break;
        case AggKind::kDenseRank: values[a] = Value::ofInt(dense); break;
        case AggKind::kPercentRank:
          values[a] = Value::ofDouble(n > 1 ? static_cast<double>(i) / static_cast<double>(n - 1) : 0.0);
          break;
        case AggKind::kCumeDist:
          values[a] = Value::ofDouble(static_cast<double>(peers_end) / static_cast<double>(n));
          break;
        case AggKind::kNtile: {
          // The first n % buckets buckets hold one row more than the others.
          const size_t buckets = static_cast<size_t>(call.lag_offset);
          const size_t small = n / buckets, large_rows = (n % buckets) * (small + 1);
          const size_t bucket = j < large_rows ? j / (small + 1) : n % buckets + (j - large_rows) / small;
          values[a] = Value::ofInt(static_cast<int64_t>(bucket) + 1);
          break;
        }
        default: break;
      }
    }
  };
  auto fold = [&](size_t at, bool add) {
    for (size_t a = 0; a < spec_.aggs.size(); ++a)
      foldRow(accs[a], spec_.aggs[a], all, rows[at], add);
  };
  // A RANGE frame bounded by an amount measures on the first ORDER BY column (a time in
  // ms or an integer), in ORDER BY direction; NULLs frame only NULLs (their peers), and
  // sort before or after every value.
  const bool desc = !spec_.order.descending.empty() && spec_.order.descending[0];
  const Column* value =
      spec_.order.order.empty() ? nullptr : &all.columns[static_cast<size_t>(spec_.order.order[0])];
  auto isNull = [&](size_t j) { return value->isNull(rows[j]); };
  auto ahead = [&](size_t j, size_t i) {  // How far row j's value lies after row i's.
    return desc ? value->i64[rows[i]] - value->i64[rows[j]]
                : value->i64[rows[j]] - value->i64[rows[i]];
  };
  // Whether row k lies before the frame of non-NULL row i starts / at or before it ends.
  auto beforeStart = [&](size_t k, size_t i) {
    return isNull(k) ? k < i : ahead(k, i) < -spec_.preceding;
  };
  auto notAfterEnd = [&](size_t k, size_t i) {
    return isNull(k) ? k < i : ahead(k, i) <= spec_.following;
  };
  auto clamp = [&](int64_t at) { return static_cast<size_t>(std::clamp<int64_t>(at, 0, static_cast<int64_t>(n))); };
  // Each row's frame is rows [start, end); both only move forward, so the accumulators
  // hold rows [lo, hi): rows are folded in as the end passes them and retracted as the
  // start does (a frame may be empty, and may skip rows: ROWS BETWEEN 2 FOLLOWING ...).
  size_t lo = 0, hi = 0, start = 0, end = 0;
  int64_t dense = 0;
  for (size_t i = 0; i < n;) {
    const size_t peers_end = peerEnd(i);
    ++dense;
    for (size_t j = i; j < peers_end; ++j) {
      const auto at = static_cast<int64_t>(j);
      // A RANGE bound of an amount (the ORDER BY column is then an integer or a time).
      const bool amounts = !spec_.rows && value && !isNull(i);
      if (spec_.unbounded) {
        start = 0;
      } else if (spec_.current_start) {
        start = spec_.rows ? j : i;
      } else if (spec_.rows) {
        start = clamp(at - spec_.preceding);
      } else if (amounts) {
        while (start < n && beforeStart(start, i)) ++start;
      } else {
        start = i;  // The current row's peers: no ORDER BY (all), or NULLs.
      }
      if (spec_.unbounded_following) {
        end = n;
      } else if (spec_.rows) {
        end = clamp(at + 1 + spec_.following);
      } else if (amounts && spec_.following != 0) {
        while (end < n && notAfterEnd(end, i)) ++end;
      } else {
        end = peers_end;  // CURRENT ROW: its last peer.
      }
      while (lo < start) {
        if (lo < hi) fold(lo, false);
        ++lo;
      }
      hi = std::max(hi, lo);
      while (hi < end) fold(hi++, true);
      std::vector<Value> values;
      for (const Accumulator& a : accs) values.push_back(a.result());
      windowFunctions(j, i, peers_end, dense, values);
      append(all, rows[j], values);
    }
    i = peers_end;
  }
}

}  // namespace eddy::sql
