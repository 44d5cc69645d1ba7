#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "eddy/core/status.h"
#include "eddy/sql/exec/record_batch.h"

namespace eddy::sql {

/// ORDER BY columns: indexes, direction and NULL order per column.
struct SortKeys {
  std::vector<int> order;
  std::vector<bool> descending;
  std::vector<std::optional<bool>> nulls_first;  // Per column; unset: Flink's default.

  /// NULLs are the lowest values in Flink (first ascending, last descending) unless the
  /// ORDER BY says NULLS FIRST / LAST.
  bool nullsFirst(size_t k) const {
    return k < nulls_first.size() && nulls_first[k] ? *nulls_first[k] : !descending[k];
  }
  /// Appends row `row`'s key: bytes that compare as the rows sort (appendSortable).
  void appendKey(const RecordBatch& rows, size_t row, const std::vector<LogicalType>& types,
                 std::string& out) const;
  /// Each row's key (appendKey).
  std::vector<std::string> of(const RecordBatch& rows, const std::vector<LogicalType>& types) const;
  /// The rows' indexes in ORDER BY order, ties in the rows' order.
  std::vector<uint32_t> sorted(const RecordBatch& rows,
                               const std::vector<LogicalType>& types) const;
};

/// The rows a changelog leaves, as batch execution's operators collect their input:
/// +I/+U add a row, -U/-D take one away (a count may go below zero while a retraction
/// from another upstream subtask overtakes its row). Rows are kept as encodeKey bytes.
/// Thread: the task thread.
class FinalRows {
 public:
  explicit FinalRows(std::vector<LogicalType> types);
  void apply(const RecordBatch& changes);
  /// The rows left, each as often as its count, in the order each first arrived, as
  /// inserts; empties the collection.
  RecordBatch take();
  /// The collection for a snapshot, and back.
  std::string snapshot() const;
  Status restore(std::string_view bytes);
  const std::vector<LogicalType>& types() const { return types_; }

 private:
  struct Live {
    int64_t count = 0;
    uint64_t first = 0;  // Arrival number of the row's first change.
  };
  void add(std::string row, int64_t delta);
  std::vector<std::pair<uint64_t, const std::string*>> inArrivalOrder() const;

  std::vector<LogicalType> types_;
  std::vector<int> all_columns_;
  std::unordered_map<std::string, Live> rows_;
  uint64_t arrivals_ = 0;
};

}  // namespace eddy::sql
