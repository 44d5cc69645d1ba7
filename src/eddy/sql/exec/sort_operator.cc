#include "eddy/sql/exec/sort_operator.h"

#include <algorithm>
#include <cstring>
#include <numeric>

#include "eddy/sql/exec/group_key.h"

namespace eddy::sql {

BatchSortOperator::BatchSortOperator(SortSpec spec) : spec_(std::move(spec)) {
  for (size_t c = 0; c < spec_.input_types.size(); ++c) all_columns_.push_back(static_cast<int>(c));
}

void BatchSortOperator::add(std::string row, int64_t delta) {
  auto [it, inserted] = rows_.try_emplace(std::move(row));
  if (inserted) it->second.first = arrivals_++;
  it->second.count += delta;
}

void BatchSortOperator::processElement(const runtime::StreamRecord<RecordBatch>& record) {
  const RecordBatch& in = record.value;
  std::string row;
  for (size_t r = 0; r < in.size(); ++r) {
    row.clear();
    encodeKey(in, r, all_columns_, spec_.input_types, row);
    add(row, isAccumulate(in.kinds[r]) ? 1 : -1);
  }
}

void BatchSortOperator::processWatermark(runtime::Watermark wm) { held_ = wm; }

void BatchSortOperator::finish() {
  // The rows left, each as often as its count, in arrival order.
  std::vector<std::pair<uint64_t, const std::string*>> live;
  for (const auto& [row, l] : rows_) {
    if (l.count > 0) live.emplace_back(l.first, &row);
  }
  std::sort(live.begin(), live.end());
  RecordBatch all = emptyBatch(spec_.input_types);
  for (const auto& [first, row] : live) {
    for (int64_t n = rows_.at(*row).count; n > 0; --n) {
      appendDecoded(*row, spec_.input_types, all, 0);
      all.kinds.push_back(RowKind::kInsert);
    }
  }
  rows_.clear();
  std::vector<uint32_t> order(all.size());
  std::iota(order.begin(), order.end(), 0U);
  if (!spec_.order.empty()) {
    std::vector<std::string> keys(all.size());
    for (size_t r = 0; r < all.size(); ++r) {
      for (size_t k = 0; k < spec_.order.size(); ++k) {
        const auto c = static_cast<size_t>(spec_.order[k]);
        appendSortable(all.columns[c], r, spec_.input_types[c], spec_.descending[k], spec_.nullsFirst(k), keys[r]);
      }
    }
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return keys[a] < keys[b]; });
  }
  const auto begin = static_cast<size_t>(std::min<int64_t>(spec_.offset, static_cast<int64_t>(order.size())));
  size_t end = order.size();
  if (spec_.fetch >= 0) end = std::min(end, begin + static_cast<size_t>(spec_.fetch));
  constexpr size_t kBatchRows = 1024;
  RecordBatch out;
  for (size_t from = begin; from < end; from += kBatchRows) {
    std::vector<uint32_t> rows(order.begin() + static_cast<long>(from),
                               order.begin() + static_cast<long>(std::min(end, from + kBatchRows)));
    out.selectFrom(all, rows);
    output().collect(runtime::StreamRecord<RecordBatch>{out, runtime::kNoTimestamp});
  }
  if (held_) emitWatermark(*held_);
  held_.reset();
}

Result<runtime::OperatorSnapshot> BatchSortOperator::snapshotState(int64_t checkpoint_id) {
  EDDY_ASSIGN_OR_RETURN(runtime::OperatorSnapshot snap, OneInputStreamOperator::snapshotState(checkpoint_id));
  std::vector<std::pair<uint64_t, const std::string*>> in_order;
  for (const auto& [row, l] : rows_) in_order.emplace_back(l.first, &row);
  std::sort(in_order.begin(), in_order.end());
  std::string& bytes = snap.operator_state;
  for (const auto& [first, row] : in_order) {
    appendBytes(bytes, *row);
    const int64_t count = rows_.at(*row).count;  // Zigzag: a count may be below 0.
    appendVarint(bytes, (static_cast<uint64_t>(count) << 1) ^ static_cast<uint64_t>(count >> 63));
  }
  return snap;
}

Status BatchSortOperator::initializeState(std::vector<runtime::OperatorSnapshot> restored) {
  for (const runtime::OperatorSnapshot& snap : restored) {
    const std::string& bytes = snap.operator_state;
    for (size_t p = 0; p < bytes.size();) {
      if (bytes.size() - p < 4) return Status::dataLoss("batch sort state: truncated row");
      std::string row = readBytes(bytes, p);
      if (p > bytes.size()) return Status::dataLoss("batch sort state: truncated row");
      const uint64_t zigzag = readVarint(bytes, p);
      add(std::move(row), static_cast<int64_t>(zigzag >> 1) ^ -static_cast<int64_t>(zigzag & 1));
    }
  }
  return Status::ok();
}

}  // namespace eddy::sql
