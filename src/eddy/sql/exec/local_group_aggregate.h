#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "eddy/runtime/stream_operator.h"
#include "eddy/sql/exec/aggregates.h"
#include "eddy/sql/exec/group_aggregate.h"

namespace eddy::sql {

/// Flink's LocalGroupAggregate, the first phase of a two-phase aggregation
/// (table.optimizer.agg-phase-strategy with a mini-batch): before the shuffle, each
/// subtask folds the rows of a bundle into one partial accumulator per key, and when the
/// bundle ends (`size` rows, every `latency_ms` of processing time, before a watermark
/// or a snapshot and at the end of input) emits one row per key: the key columns, then
/// encodeAccumulators(row count, accumulators) as bytes, which the global phase
/// (GroupAggregateOperator with `partial_input`) merges. A hot key then crosses the
/// shuffle once per bundle instead of once per row. Keeps no state of its own: a
/// snapshot finds the bundle emitted. Insert-only input (a retraction of a value the
/// bundle has not seen could not be carried in a partial accumulator).
/// Thread: the task thread.
class LocalGroupAggregateOperator final : public runtime::OneInputStreamOperator<RecordBatch, RecordBatch> {
 public:
  LocalGroupAggregateOperator(std::vector<int> keys, std::vector<LogicalType> key_types,
                              std::vector<AggregateCall> aggs, MiniBatch mini_batch);

  void open() override;
  void processElement(const runtime::StreamRecord<RecordBatch>& record) override;
  void processWatermark(runtime::Watermark wm) override;
  Result<runtime::OperatorSnapshot> snapshotState(int64_t checkpoint_id) override;
  void finish() override { finishBundle(); }

 private:
  struct Partial {
    int64_t rows = 0;
    std::vector<Accumulator> accs;
  };
  void finishBundle();

  std::vector<int> keys_;
  std::vector<LogicalType> key_types_;
  std::vector<AggregateCall> aggs_;
  MiniBatch mini_batch_;
  // The bundle: partial accumulators per key bytes, keys in the order first seen.
  std::unordered_map<std::string, Partial> partials_;
  std::vector<std::string> order_;
  int64_t bundle_rows_ = 0;
};

}  // namespace eddy::sql
