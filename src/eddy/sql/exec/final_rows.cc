#include "eddy/sql/exec/final_rows.h"

#include <algorithm>
#include <numeric>

#include "eddy/sql/exec/group_key.h"

namespace eddy::sql {

void SortKeys::appendKey(const RecordBatch& rows, size_t row, const std::vector<LogicalType>& types,
                         std::string& out) const {
  for (size_t k = 0; k < order.size(); ++k) {
    const auto c = static_cast<size_t>(order[k]);
    appendSortable(rows.columns[c], row, types[c], descending[k], nullsFirst(k), out);
  }
}

std::vector<std::string> SortKeys::of(const RecordBatch& rows,
                                      const std::vector<LogicalType>& types) const {
  std::vector<std::string> keys(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) appendKey(rows, r, types, keys[r]);
  return keys;
}

std::vector<uint32_t> SortKeys::sorted(const RecordBatch& rows,
                                       const std::vector<LogicalType>& types) const {
  std::vector<uint32_t> at(rows.size());
  std::iota(at.begin(), at.end(), 0U);
  if (order.empty()) return at;
  const std::vector<std::string> keys = of(rows, types);
  std::stable_sort(at.begin(), at.end(), [&](uint32_t a, uint32_t b) { return keys[a] < keys[b]; });
  return at;
}

FinalRows::FinalRows(std::vector<LogicalType> types) : types_(std::move(types)) {
  for (size_t c = 0; c < types_.size(); ++c) all_columns_.push_back(static_cast<int>(c));
}

void FinalRows::add(std::string row, int64_t delta) {
  auto [it, inserted] = rows_.try_emplace(std::move(row));
  if (inserted) it->second.first = arrivals_++;
  it->second.count += delta;
}

void FinalRows::apply(const RecordBatch& changes) {
  std::string row;
  for (size_t r = 0; r < changes.size(); ++r) {
    row.clear();
    encodeKey(changes, r, all_columns_, types_, row);
    add(row, isAccumulate(changes.kinds[r]) ? 1 : -1);
  }
}

std::vector<std::pair<uint64_t, const std::string*>> FinalRows::inArrivalOrder() const {
  std::vector<std::pair<uint64_t, const std::string*>> rows;
  rows.reserve(rows_.size());
  for (const auto& [row, live] : rows_) rows.emplace_back(live.first, &row);
  std::sort(rows.begin(), rows.end());
  return rows;
}

RecordBatch FinalRows::take() {
  RecordBatch all = emptyBatch(types_);
  for (const auto& [first, row] : inArrivalOrder()) {
    for (int64_t n = rows_.at(*row).count; n > 0; --n) {
      appendDecoded(*row, types_, all, 0);
      all.kinds.push_back(RowKind::kInsert);
    }
  }
  rows_.clear();
  return all;
}

std::string FinalRows::snapshot() const {
  std::string bytes;
  for (const auto& [first, row] : inArrivalOrder()) {
    appendBytes(bytes, *row);
    const int64_t count = rows_.at(*row).count;  // Zigzag: a count may be below 0.
    appendVarint(bytes, (static_cast<uint64_t>(count) << 1) ^ static_cast<uint64_t>(count >> 63));
  }
  return bytes;
}

Status FinalRows::restore(std::string_view bytes) {
  const std::string in(bytes);
  for (size_t p = 0; p < in.size();) {
    if (in.size() - p < 4) return Status::dataLoss("final rows state: truncated row");
    std::string row = readBytes(in, p);
    if (p >= in.size()) return Status::dataLoss("final rows state: a row without its count");
    const uint64_t zigzag = readVarint(in, p);
    add(std::move(row), static_cast<int64_t>(zigzag >> 1) ^ -static_cast<int64_t>(zigzag & 1));
  }
  return Status::ok();
}

}  // namespace eddy::sql
