#pragma once

#include <string>

#include "eddy/runtime/counter.h"

namespace eddy::runtime {

/// Flink's per-operator I/O metrics. Written by the task thread, read by anyone.
struct OperatorMetrics {
  std::string name;
  int subtask_index = 0;
  Counter num_records_in;
  Counter num_records_out;
  Counter num_late_records_dropped;
  Counter current_input_watermark;   // kMinTimestamp until the first watermark.
  Counter current_output_watermark;

  OperatorMetrics() {
    current_input_watermark.set(kMinWatermarkGauge);
    current_output_watermark.set(kMinWatermarkGauge);
  }
  static constexpr int64_t kMinWatermarkGauge = INT64_MIN;
};

/// Flink's per-task time accounting, in nanoseconds since the task started.
struct TaskMetrics {
  std::string name;
  int subtask_index = 0;
  Counter busy_ns;
  Counter idle_ns;
  Counter back_pressured_ns;
  Counter wall_ns;
  // Of the last checkpoint this task took (Flink's task metrics of the same names):
  // from its first barrier to the last one (aligned mode), and from the trigger to the
  // first barrier's arrival.
  Counter checkpoint_alignment_ns;
  Counter checkpoint_start_delay_ns;
  // Checkpoints this task took unaligned (from the start, or after the alignment
  // timeout), and the in-flight records it replayed when it restored.
  Counter unaligned_checkpoints;
  Counter in_flight_records_restored;
};

}  // namespace eddy::runtime
