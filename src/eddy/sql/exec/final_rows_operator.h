#pragma once

#include <optional>
#include <vector>

#include "eddy/runtime/stream_operator.h"
#include "eddy/sql/exec/final_rows.h"

namespace eddy::sql {

/// The life batch execution's final-row operators share (the sort and the OVER
/// aggregation): the input changelog collected as FinalRows (its snapshot is the
/// operator state), watermarks held back, and when the input ends the rows left handed
/// to emitFinal, the last watermark after them.
/// Thread: the task thread.
class FinalRowsOperator : public runtime::OneInputStreamOperator<RecordBatch, RecordBatch> {
 public:
  explicit FinalRowsOperator(std::vector<LogicalType> types) : rows_(std::move(types)) {}

  Status initializeState(std::vector<runtime::OperatorSnapshot> restored) override;
  Result<runtime::OperatorSnapshot> snapshotState(int64_t checkpoint_id) override;
  void processElement(const runtime::StreamRecord<RecordBatch>& record) override {
    rows_.apply(record.value);
  }
  void processWatermark(runtime::Watermark wm) override { held_ = wm; }
  void finish() final;

 protected:
  /// Emits the rows the changelog left (FinalRows::take: in first-arrival order).
  virtual void emitFinal(const RecordBatch& rows) = 0;

 private:
  FinalRows rows_;
  std::optional<runtime::Watermark> held_;
};

}  // namespace eddy::sql
