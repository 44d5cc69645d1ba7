#pragma once

#include <memory>
#include <string>
#include <vector>

#include "eddy/sql/exec/keyed_timers.h"
#include "eddy/sql/exec/match_recognize.h"
#include "eddy/sql/exec/pending_rows.h"

namespace eddy::sql {

/// Flink's CepOperator as MATCH_RECOGNIZE runs it: per partition key, rows ordered by
/// event time wait in keyed state until the watermark passes their time, then are fed
/// to the pattern in time order (rows of one time in arrival order, or sorted by the
/// further ORDER BY columns); a row at or below the watermark on arrival is late and
/// dropped. Ordered by processing time, rows are fed as they arrive. Each match found
/// is one output row (+I): the partition columns, then the measures. WITHIN's expired
/// runs are dropped at the watermark (or processing time) passing them.
/// Thread: the task thread.
class MatchOperator final : public runtime::OneInputStreamOperator<RecordBatch, RecordBatch>,
                            private KeyedTimersSupport,
                            public runtime::Triggerable<std::string, int64_t> {
 public:
  explicit MatchOperator(std::shared_ptr<const MatchSpec> spec);

  Status initializeState(std::vector<runtime::OperatorSnapshot> restored) override {
    return stashRestored(std::move(restored));
  }
  Result<runtime::OperatorSnapshot> snapshotState(int64_t id) override {
    return snapshotWithTimers(id);
  }
  void open() override;
  void processElement(const runtime::StreamRecord<RecordBatch>& record) override;
  void processWatermark(runtime::Watermark wm) override;
  void onEventTime(const runtime::InternalTimer<std::string, int64_t>& t) override;
  void onProcessingTime(const runtime::InternalTimer<std::string, int64_t>& t) override;

 private:
  MatchState load();
  // Stores the key's state and asks for a timer when WITHIN will expire a run.
  void store(const MatchState& s);
  void emit(std::vector<std::vector<Value>>& rows);
  void flush();

  std::shared_ptr<const MatchSpec> spec_;
  PatternMatcher matcher_;
  std::vector<int> all_columns_;
  std::vector<LogicalType> partition_types_;
  // Checkpointed state per partition key: rows waiting for the watermark (time ->
  // length-prefixed encoded rows) and the pattern's runs (MatchState::serialize).
  PendingRows pending_{nullptr};
  state::ValueState<std::string>* runs_ = nullptr;
  RecordBatch out_;
};

}  // namespace eddy::sql
