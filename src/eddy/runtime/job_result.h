#pragma once

#include <any>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "eddy/runtime/accumulator.h"
#include "eddy/core/status.h"

namespace eddy::runtime {

/// Metrics of one operator subtask at the end of the job, under Flink's names.
struct OperatorMetricsSnapshot {
  std::string name;
  int subtask_index = 0;
  int64_t num_records_in = 0;
  int64_t num_records_out = 0;
  int64_t num_late_records_dropped = 0;
  int64_t current_input_watermark = INT64_MIN;
  int64_t current_output_watermark = INT64_MIN;
};

/// Time accounting of one task subtask, in milliseconds.
struct TaskMetricsSnapshot {
  std::string name;
  int subtask_index = 0;
  int64_t busy_ms = 0;
  int64_t idle_ms = 0;
  int64_t back_pressured_ms = 0;
  int64_t wall_ms = 0;
  int64_t checkpoint_alignment_ns = 0;    // Flink's checkpointAlignmentTime, last checkpoint.
  int64_t checkpoint_start_delay_ns = 0;  // Flink's checkpointStartDelayNanos, last checkpoint.
  int64_t unaligned_checkpoints = 0;      // Checkpoints it took unaligned.
};

/// What execute() returns (Flink's JobExecutionResult): the outcome, the run time and
/// the final metrics.
struct JobExecutionResult {
  std::string job_name;
  Status status;
  std::string failed_operator;  // Set when a user function or operator failed.
  int64_t net_runtime_ms = 0;
  // Flink's checkpoint metrics, over the whole job (all attempts).
  int64_t number_of_completed_checkpoints = 0;
  int64_t number_of_failed_checkpoints = 0;
  int64_t number_of_restarts = 0;
  int64_t last_checkpoint_restore_timestamp = -1;
  int64_t restored_checkpoint_id = -1;  // The checkpoint the last attempt started from.
  int64_t last_checkpoint_duration_ms = -1;  // Trigger to completion of the last one.
  int64_t last_checkpoint_size = -1;         // Bytes of state it wrote (new since the earlier ones).
  // Flink's lastCheckpointFullSize: the whole state it refers to, shared files of
  // incremental checkpoints included.
  int64_t last_checkpoint_full_size = -1;
  int64_t number_of_in_progress_checkpoints = 0;  // Left in flight when the job ended.
  /// Records replayed from the in-flight data of unaligned checkpoints by restoring
  /// tasks (all attempts).
  int64_t in_flight_records_restored = 0;
  /// What went wrong without failing the job, e.g. checkpoints close to the interval.
  std::vector<std::string> warnings;
  std::vector<OperatorMetricsSnapshot> operators;
  std::vector<TaskMetricsSnapshot> tasks;
  /// Accumulators by name, merged over all subtasks.
  std::map<std::string, std::shared_ptr<const AccumulatorBase>> accumulators;

  bool isOk() const { return status.isOk(); }
  int64_t getNetRuntime() const { return net_runtime_ms; }

  /// The merged result of accumulator `name` as type R (the accumulator's ResultType:
  /// int32_t for IntCounter, int64_t for LongCounter, ...); nullopt when no function
  /// registered it. Asking with another type is std::bad_any_cast.
  template <typename R>
  std::optional<R> getAccumulatorResult(const std::string& name) const {
    auto it = accumulators.find(name);
    if (it == accumulators.end()) return std::nullopt;
    return std::any_cast<R>(it->second->value());
  }
  /// Flink's CLI block: `Accumulator Results: ` then `- name (java.lang.Long): 42` per line.
  std::string accumulatorsReport() const;

  /// Sums of a metric over the subtasks of the operator named `name`.
  int64_t numRecordsIn(const std::string& name) const;
  int64_t numRecordsOut(const std::string& name) const;
  int64_t numLateRecordsDropped(const std::string& name) const;

  /// The metrics as Flink names them, one per line:
  /// `<operator>.<subtask>.numRecordsIn: 1000`, with the PerSecond rates and the task
  /// time metrics (busyTimeMsPerSecond, backPressuredTimeMsPerSecond, idleTimeMsPerSecond).
  std::string metricsReport() const;
};

}  // namespace eddy::runtime
