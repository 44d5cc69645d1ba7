#pragma once

#include <memory>
#include <vector>

#include "eddy/runtime/stream_operator.h"
#include "eddy/sql/exec/expression.h"

namespace eddy::sql {

/// Flink's Expand (GROUPING SETS, ROLLUP, CUBE; the distinct split's copies): each input
/// row comes out once per projection list, in their order, before the next row, so
/// that the aggregation after it sees the changes in the order Flink's does. Row kinds
/// pass through.
/// Thread: the task thread; the plan's expressions are cloned per subtask.
class ExpandOperator final : public runtime::OneInputStreamOperator<RecordBatch, RecordBatch> {
 public:
  explicit ExpandOperator(const std::vector<std::vector<std::shared_ptr<const Expression>>>& projects) {
    for (const auto& list : projects) {
      std::vector<ExprP> copy;
      for (const auto& p : list) copy.push_back(p->clone());
      projects_.push_back(std::move(copy));
    }
  }
  void processWatermark(runtime::Watermark wm) override {
    watermark_ = wm.timestamp;
    emitWatermark(wm);
  }
  void processElement(const runtime::StreamRecord<RecordBatch>& record) override {
    const RecordBatch& in = record.value;
    if (in.empty()) return;
    setCurrentWatermark(watermark_);
    // Each copy a column at a time, then interleaved row by row.
    copies_.resize(projects_.size());
    for (size_t k = 0; k < projects_.size(); ++k) {
      copies_[k].columns.clear();
      for (const auto& p : projects_[k]) copies_[k].columns.push_back(p->eval(in));
    }
    RecordBatch out;
    for (const Column& c : copies_[0].columns) out.columns.emplace_back(c.storage);
    for (size_t c = 0; c < out.columns.size(); ++c) {
      Column& column = out.columns[c];
      for (size_t r = 0; r < in.size(); ++r) {
        for (const RecordBatch& copy : copies_) column.appendFrom(copy.columns[c], r);
      }
    }
    out.kinds.reserve(in.size() * copies_.size());
    for (RowKind kind : in.kinds) out.kinds.insert(out.kinds.end(), copies_.size(), kind);
    output().collect(runtime::StreamRecord<RecordBatch>{std::move(out), record.timestamp});
  }

 private:
  std::vector<std::vector<ExprP>> projects_;
  std::vector<RecordBatch> copies_;
  int64_t watermark_ = INT64_MIN;  // The last watermark seen (CURRENT_WATERMARK).
};

}  // namespace eddy::sql
