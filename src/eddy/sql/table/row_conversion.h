#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "eddy/runtime/stream_operator.h"
#include "eddy/sql/exec/table_source.h"
#include "eddy/sql/exec/value.h"
#include "eddy/sql/table/row.h"

namespace eddy::sql {

/// fromDataStream's operator: each Row becomes a one-row batch of the table's columns
/// (so a watermark that follows the row follows it in the table too), plus the record
/// timestamp as the rowtime column when `with_rowtime`. A Row with another number of
/// fields than the table has columns fails the job, naming the table.
/// Thread: the task thread.
class RowsToBatchOperator final : public runtime::OneInputStreamOperator<Row, RecordBatch> {
 public:
  RowsToBatchOperator(std::string table, std::vector<LogicalType> types, bool with_rowtime)
      : table_(std::move(table)), types_(std::move(types)), with_rowtime_(with_rowtime) {}

  void processElement(const runtime::StreamRecord<Row>& record) override {
    const Row& row = record.value;
    const size_t fields = types_.size() - (with_rowtime_ ? 1 : 0);
    if (row.fields.size() != fields) {
      throw std::runtime_error("fromDataStream table '" + table_ + "': a Row has " +
                               std::to_string(row.fields.size()) + " fields, the table " + std::to_string(fields) +
                               " columns");
    }
    RecordBatch b = emptyBatch(types_);
    for (size_t c = 0; c < fields; ++c) appendValue(b.columns[c], row.fields[c]);
    if (with_rowtime_) {
      appendValue(b.columns[fields],
                  record.timestamp == runtime::kNoTimestamp ? Value() : Value::ofInt(record.timestamp));
    }
    b.kinds.push_back(row.kind);
    output().collect(runtime::StreamRecord<RecordBatch>{std::move(b), record.timestamp});
  }

 private:
  std::string table_;
  std::vector<LogicalType> types_;
  bool with_rowtime_;
};

/// toDataStream / toChangelogStream's operator: each row of a batch becomes a Row of
/// its kind, stamped with the rowtime column's value when there is one (`rowtime` >= 0).
/// Thread: the task thread.
class BatchToRowsOperator final : public runtime::OneInputStreamOperator<RecordBatch, Row> {
 public:
  explicit BatchToRowsOperator(int rowtime) : rowtime_(rowtime) {}

  void processElement(const runtime::StreamRecord<RecordBatch>& record) override {
    const RecordBatch& b = record.value;
    for (size_t r = 0; r < b.size(); ++r) {
      Row row;
      row.kind = b.kinds[r];
      row.fields.reserve(b.columns.size());
      for (const Column& c : b.columns) row.fields.push_back(valueAt(c, r));
      Timestamp ts = record.timestamp;
      if (rowtime_ >= 0 && !b.columns[static_cast<size_t>(rowtime_)].isNull(r)) {
        ts = b.columns[static_cast<size_t>(rowtime_)].i64[r];
      }
      output().collect(runtime::StreamRecord<Row>{std::move(row), ts});
    }
  }

 private:
  int rowtime_;
};

}  // namespace eddy::sql
