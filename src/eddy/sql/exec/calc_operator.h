#pragma once

#include <memory>
#include <vector>

#include "eddy/runtime/stream_operator.h"
#include "eddy/sql/exec/expression.h"

namespace eddy::sql {

/// Flink's Calc: keeps the rows `filter` holds true for (NULL is false) and computes
/// `projections` over them, a batch at a time. Row kinds pass through.
/// Thread: the task thread; the plan's expressions are cloned per subtask.
class CalcOperator final : public runtime::OneInputStreamOperator<RecordBatch, RecordBatch> {
 public:
  CalcOperator(std::shared_ptr<const Expression> filter, const std::vector<std::shared_ptr<const Expression>>& projections) {
    if (filter) filter_ = filter->clone();
    for (const auto& p : projections) projections_.push_back(p->clone());
  }
  void processElement(const runtime::StreamRecord<RecordBatch>& record) override {
    const RecordBatch& in = record.value;
    if (in.empty()) return;
    const RecordBatch* src = &in;
    if (filter_) {
      const Column& keep = filter_->eval(in);
      selected_.columns.resize(in.columns.size());
      for (size_t c = 0; c < in.columns.size(); ++c) {
        selected_.columns[c].storage = in.columns[c].storage;
        selected_.columns[c].clear();
      }
      selected_.kinds.clear();
      for (size_t r = 0; r < in.size(); ++r) {
        if (!keep.null[r] && keep.i64[r] != 0) selected_.appendRow(in, r, in.kinds[r]);
      }
      if (selected_.empty()) return;
      src = &selected_;
    }
    RecordBatch out;
    out.kinds = src->kinds;
    out.columns.reserve(projections_.size());
    for (auto& p : projections_) out.columns.push_back(p->eval(*src));
    output().collect(runtime::StreamRecord<RecordBatch>{std::move(out), record.timestamp});
  }

 private:
  ExprP filter_;
  std::vector<ExprP> projections_;
  RecordBatch selected_;
};

}  // namespace eddy::sql
