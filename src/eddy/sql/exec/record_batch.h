#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "eddy/sql/exec/logical_type.h"

namespace eddy::sql {

/// Flink's RowKind: what a row means in a changelog.
enum class RowKind : uint8_t { kInsert, kUpdateBefore, kUpdateAfter, kDelete };

/// "+I", "-U", "+U", "-D".
const char* rowKindShort(RowKind k);
/// Inserts and update-afters add a row; update-befores and deletes retract one.
inline bool isAccumulate(RowKind k) { return k == RowKind::kInsert || k == RowKind::kUpdateAfter; }

/// The strings of a column in one buffer: row i is bytes [offsets[i], offsets[i + 1]).
/// Appending copies bytes; there is no allocation per string, and copying a column is
/// two allocations whatever its rows.
class StringVector {
 public:
  size_t size() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  bool empty() const { return size() == 0; }
  std::string_view operator[](size_t i) const {
    return std::string_view(data_.data() + offsets_[i], offsets_[i + 1] - offsets_[i]);
  }
  void push_back(std::string_view s) {
    start();
    data_.append(s);
    offsets_.push_back(data_.size());
  }
  void emplace_back() {  // An empty string.
    start();
    offsets_.push_back(data_.size());
  }
  /// Room for `rows` strings of `bytes` bytes in all.
  void reserve(size_t rows, size_t bytes) {
    offsets_.reserve(rows + 1);
    data_.reserve(bytes);
  }
  /// Becomes `rows` strings of `width` bytes each (zeros), whose bytes the caller then
  /// writes: row i at data() + i * width.
  char* assignFixedWidth(size_t rows, size_t width) {
    offsets_.resize(rows + 1);
    for (size_t i = 0; i <= rows; ++i) offsets_[i] = i * width;
    data_.assign(rows * width, '\0');
    return data_.data();
  }
  /// The strings' bytes in all.
  size_t bytes() const { return data_.size(); }
  void pop_back() {
    offsets_.pop_back();
    data_.resize(offsets_.back());
  }
  void clear() {
    data_.clear();
    offsets_.clear();
  }

 private:
  // Offsets start with a 0 once there is a string; an empty vector (a numeric column's,
  // a moved-from one) allocates nothing.
  void start() {
    if (offsets_.empty()) offsets_.push_back(0);
  }
  std::string data_;
  std::vector<size_t> offsets_;
};

/// One column of a batch: values in the vector its storage uses (the other two stay
/// empty) and a null flag per row. Thread: a value type.
struct Column {
  Storage storage = Storage::kInt64;
  std::vector<int64_t> i64;
  std::vector<double> f64;
  StringVector str;
  std::vector<uint8_t> null;  // 1 = NULL.

  explicit Column(Storage s = Storage::kInt64) : storage(s) {}
  size_t size() const { return null.size(); }
  bool isNull(size_t row) const { return null[row] != 0; }
  void clear() {
    i64.clear();
    f64.clear();
    str.clear();
    null.clear();
  }
  /// Appends row `row` of `from` (same storage).
  void appendFrom(const Column& from, size_t row) {
    switch (storage) {
      case Storage::kInt64: i64.push_back(from.i64[row]); break;
      case Storage::kDouble: f64.push_back(from.f64[row]); break;
      case Storage::kString: str.push_back(from.str[row]); break;
    }
    null.push_back(from.null[row]);
  }
  /// Appends the rows `rows` of `from` (same storage), a column at a time.
  void gather(const Column& from, const std::vector<uint32_t>& rows) {
    switch (storage) {
      case Storage::kInt64:
        for (uint32_t r : rows) i64.push_back(from.i64[r]);
        break;
      case Storage::kDouble:
        for (uint32_t r : rows) f64.push_back(from.f64[r]);
        break;
      case Storage::kString:
        for (uint32_t r : rows) str.push_back(from.str[r]);
        break;
    }
    for (uint32_t r : rows) null.push_back(from.null[r]);
  }
  void appendNull() {
    switch (storage) {
      case Storage::kInt64: i64.push_back(0); break;
      case Storage::kDouble: f64.push_back(0); break;
      case Storage::kString: str.emplace_back(); break;
    }
    null.push_back(1);
  }
};

/// SQL rows as columns (DESIGN: SQL rows travel as columnar RecordBatches), with the
/// row kind of each row. The schema is the plan's: a batch does not carry its types.
struct RecordBatch {
  /// A batch (up to a scan's 1024 rows) is a channel buffer's worth on its own.
  static constexpr size_t kRecordsPerBuffer = 1;

  std::vector<Column> columns;
  std::vector<RowKind> kinds;
  /// Test connector only: the watermark its script puts after these rows, which the
  /// source emits right after the batch (INT64_MIN: none).
  int64_t watermark_after = INT64_MIN;
  /// Set by a table scan: the largest WATERMARK FOR value of these rows (INT64_MIN:
  /// none), which the scan's watermark generator takes.
  int64_t max_watermark = INT64_MIN;

  size_t size() const { return kinds.size(); }
  bool empty() const { return kinds.empty(); }
  /// Appends row `row` of `from` (same column layout).
  void appendRow(const RecordBatch& from, size_t row, RowKind kind) {
    for (size_t c = 0; c < columns.size(); ++c) columns[c].appendFrom(from.columns[c], row);
    kinds.push_back(kind);
  }
  /// Becomes the rows `rows` of `from` (its layout, its row kinds), reusing capacity.
  void selectFrom(const RecordBatch& from, const std::vector<uint32_t>& rows) {
    columns.resize(from.columns.size());
    for (size_t c = 0; c < from.columns.size(); ++c) {
      columns[c].storage = from.columns[c].storage;
      columns[c].clear();
      columns[c].gather(from.columns[c], rows);
    }
    kinds.clear();
    for (uint32_t r : rows) kinds.push_back(from.kinds[r]);
  }
};

/// An empty batch whose columns suit `types`.
template <typename Types>
RecordBatch emptyBatch(const Types& types) {
  RecordBatch b;
  for (const auto& t : types) b.columns.emplace_back(t.storage());
  return b;
}

}  // namespace eddy::sql
