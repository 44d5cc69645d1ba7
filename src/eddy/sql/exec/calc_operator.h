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
    findMovable();
  }
  void processWatermark(runtime::Watermark wm) override {
    watermark_ = wm.timestamp;
    emitWatermark(wm);
  }
  void processElement(const runtime::StreamRecord<RecordBatch>& record) override {
    process(record.value, nullptr, record.timestamp);
  }
  /// The batch is ours (a chained input nobody else reads): kept rows' columns that a
  /// projection passes on as they are move instead of being copied.
  void processElementOwned(runtime::StreamRecord<RecordBatch>&& record) {
    process(record.value, &record.value, record.timestamp);
  }

 private:
  void process(const RecordBatch& in, RecordBatch* owned, Timestamp timestamp) {
    if (in.empty()) return;
    setCurrentWatermark(watermark_);
    const RecordBatch* src = &in;
    RecordBatch* movable = owned;  // The batch whose columns may move out, if any.
    if (filter_) {
      const Column& keep = filter_->eval(in);
      rows_.clear();
      for (size_t r = 0; r < in.size(); ++r) {
        if (!keep.null[r] && keep.i64[r] != 0) rows_.push_back(static_cast<uint32_t>(r));
      }
      if (rows_.empty()) return;
      if (rows_.size() < in.size()) {
        selected_.selectFrom(in, rows_);
        src = &selected_;
        movable = &selected_;
      }
    }
    RecordBatch out;
    out.columns.reserve(projections_.size());
    for (size_t p = 0; p < projections_.size(); ++p) {
      // A column that only this projection reads moves out.
      if (movable && movable_[p]) {
        out.columns.push_back(std::move(movable->columns[static_cast<size_t>(movable_[p] - 1)]));
      } else {
        out.columns.push_back(projections_[p]->eval(*src));
      }
    }
    // Last: a batch's size is its row kinds'.
    if (movable) {
      out.kinds = std::move(movable->kinds);
    } else {
      out.kinds = src->kinds;
    }
    output().collect(runtime::StreamRecord<RecordBatch>{std::move(out), timestamp});
  }

  // Per projection: 1 + the input column it is when no other expression reads that
  // column, else 0.
  void findMovable() {
    std::vector<int> reads;
    for (const auto& p : projections_) countInputs(*p, reads);
    for (const auto& p : projections_) {
      auto* ref = dynamic_cast<const InputRef*>(p.get());
      movable_.push_back(ref && reads[static_cast<size_t>(ref->index())] == 1 ? ref->index() + 1 : 0);
    }
  }

  ExprP filter_;
  std::vector<ExprP> projections_;
  int64_t watermark_ = INT64_MIN;  // The last watermark seen (CURRENT_WATERMARK).
  std::vector<int> movable_;
  std::vector<uint32_t> rows_;
  RecordBatch selected_;
};

}  // namespace eddy::sql
