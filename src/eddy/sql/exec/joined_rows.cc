#include "eddy/sql/exec/joined_rows.h"

#include "eddy/sql/exec/group_key.h"

namespace eddy::sql {

JoinInputColumns::JoinInputColumns(const std::vector<int>& key_columns, const std::vector<LogicalType>& column_types)
    : keys(key_columns), types(column_types) {
  for (int k : keys) key_types.push_back(types[static_cast<size_t>(k)]);
  for (size_t c = 0; c < types.size(); ++c) all_columns.push_back(static_cast<int>(c));
}

JoinedRows::JoinedRows(std::vector<LogicalType> left, std::vector<LogicalType> right,
                       const std::shared_ptr<const Expression>& condition)
    : left_(std::move(left)), right_(std::move(right)) {
  joined_ = left_;
  joined_.insert(joined_.end(), right_.begin(), right_.end());
  if (condition) {
    condition_ = condition->clone();
    condition_columns_.assign(joined_.size(), false);
    markInputs(*condition_, condition_columns_);
  }
  out_ = emptyBatch(joined_);
  probe_ = emptyBatch(joined_);
}

std::vector<bool> JoinedRows::accept(const RecordBatch& in, size_t row, int side,
                                     const std::vector<const std::string*>& others) {
  std::vector<bool> ok;
  accept(in, row, side, others, ok);
  return ok;
}

void JoinedRows::accept(const RecordBatch& in, size_t row, int side, const std::vector<const std::string*>& others,
                        std::vector<bool>& ok) {
  ok.assign(others.size(), true);
  if (!condition_ || others.empty()) return;
  for (auto& c : probe_.columns) c.clear();
  probe_.kinds.clear();
  for (const std::string* other : others) {
    append(probe_, &in, row, side, other, &condition_columns_);
    probe_.kinds.push_back(RowKind::kInsert);
  }
  const Column& result = condition_->eval(probe_);
  for (size_t i = 0; i < others.size(); ++i) ok[i] = !result.isNull(i) && result.i64[i] != 0;
}

void JoinedRows::emit(const RecordBatch* in, size_t row, int side, const std::string* other, RowKind kind,
                      int64_t count) {
  for (int64_t n = 0; n < count; ++n) {
    append(out_, in, row, side, other);
    out_.kinds.push_back(kind);
  }
}

RecordBatch JoinedRows::take() {
  RecordBatch b = std::move(out_);
  out_ = emptyBatch(joined_);
  // The next batch is likely the size of this one: room for it up front, so that its
  // string columns (a joined row repeats the stored side's strings) do not grow by
  // doubling and copying.
  const size_t rows = b.size();
  out_.kinds.reserve(rows);
  for (size_t c = 0; c < out_.columns.size(); ++c) {
    Column& col = out_.columns[c];
    col.null.reserve(rows);
    switch (col.storage) {
      case Storage::kInt64: col.i64.reserve(rows); break;
      case Storage::kDouble: col.f64.reserve(rows); break;
      case Storage::kString: col.str.reserve(rows, b.columns[c].str.bytes()); break;
    }
  }
  return b;
}

void JoinedRows::append(RecordBatch& to, const RecordBatch* in, size_t row, int side, const std::string* other,
                        const std::vector<bool>* only) const {
  const size_t my_offset = side == 0 ? 0 : left_.size();
  const size_t other_offset = side == 0 ? left_.size() : 0;
  const size_t my_width = sideTypes(side).size();
  for (size_t c = 0; c < my_width; ++c) {
    Column& col = to.columns[my_offset + c];
    if (in && !(only && !(*only)[my_offset + c])) {
      col.appendFrom(in->columns[c], row);
    } else {
      col.appendNull();
    }
  }
  if (other) {
    appendDecoded(*other, sideTypes(1 - side), to, other_offset, only);
  } else {
    for (size_t c = 0; c < sideTypes(1 - side).size(); ++c) to.columns[other_offset + c].appendNull();
  }
}

}  // namespace eddy::sql
