#pragma once

#include <memory>
#include <string>
#include <vector>

#include "eddy/sql/exec/expression.h"
#include "eddy/sql/exec/record_batch.h"

namespace eddy::sql {

/// One join input's equi-key columns with their types, and all its columns (a whole row
/// is stored as the encodeKey bytes of all of them).
struct JoinInputColumns {
  std::vector<int> keys;
  std::vector<LogicalType> key_types;
  std::vector<int> all_columns;
  std::vector<LogicalType> types;

  JoinInputColumns() = default;
  JoinInputColumns(const std::vector<int>& key_columns, const std::vector<LogicalType>& column_types);
};

/// The rows a two-input join builds: the left input's columns, then the right input's.
/// One side's row comes from the batch being processed, the other side's from state
/// (encodeKey bytes of all its columns); either may be padded with nulls. It also
/// evaluates the join's residual condition over candidate pairs, a batch at a time.
/// Shared by the regular and the interval join. Thread: the task thread.
class JoinedRows {
 public:
  JoinedRows(std::vector<LogicalType> left, std::vector<LogicalType> right,
             const std::shared_ptr<const Expression>& condition);

  const std::vector<LogicalType>& sideTypes(int side) const { return side == 0 ? left_ : right_; }

  /// Per stored row of the other side (`others`), whether it joins with row `row` of
  /// `in` (a batch of side `side`) under the residual condition; all do without one.
  std::vector<bool> accept(const RecordBatch& in, size_t row, int side, const std::vector<const std::string*>& others);
  /// The same into `ok` (its storage reused from call to call).
  void accept(const RecordBatch& in, size_t row, int side, const std::vector<const std::string*>& others,
              std::vector<bool>& ok);

  /// Appends `count` joined rows of kind `kind`: row `row` of `in` (side `side`; nulls
  /// when `in` is null) next to the stored row `other` (nulls when null), which is
  /// decoded straight into the output columns.
  void emit(const RecordBatch* in, size_t row, int side, const std::string* other, RowKind kind, int64_t count = 1);

  bool empty() const { return out_.empty(); }
  /// The rows emitted since the last take.
  RecordBatch take();

 private:
  // Appends one joined row's columns to `to`; with `only`, the columns it does not mark
  // as NULLs (a probe row needs only what the condition reads).
  void append(RecordBatch& to, const RecordBatch* in, size_t row, int side, const std::string* other,
              const std::vector<bool>* only = nullptr) const;

  std::vector<LogicalType> left_, right_, joined_;
  ExprP condition_;
  std::vector<bool> condition_columns_;  // The joined columns the condition reads.
  RecordBatch out_;
  RecordBatch probe_;  // Candidate pairs the condition is evaluated on.
};

}  // namespace eddy::sql
