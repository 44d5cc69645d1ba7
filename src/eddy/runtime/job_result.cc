#include "eddy/runtime/job_result.h"

#include <cstdio>

namespace eddy::runtime {
namespace {

template <typename F>
int64_t sumOver(const std::vector<OperatorMetricsSnapshot>& ops, const std::string& name, F f) {
  int64_t total = 0;
  for (const auto& o : ops) {
    if (o.name == name) total += f(o);
  }
  return total;
}

std::string line(const std::string& scope, const char* metric, int64_t value) {
  return scope + "." + metric + ": " + std::to_string(value) + "\n";
}

std::string line(const std::string& scope, const char* metric, double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f", value);
  return scope + "." + metric + ": " + buf + "\n";
}

}  // namespace

int64_t JobExecutionResult::numRecordsIn(const std::string& name) const {
  return sumOver(operators, name, [](const auto& o) { return o.num_records_in; });
}
int64_t JobExecutionResult::numRecordsOut(const std::string& name) const {
  return sumOver(operators, name, [](const auto& o) { return o.num_records_out; });
}
int64_t JobExecutionResult::numLateRecordsDropped(const std::string& name) const {
  return sumOver(operators, name, [](const auto& o) { return o.num_late_records_dropped; });
}

std::string JobExecutionResult::accumulatorsReport() const {
  if (accumulators.empty()) return "";
  std::string out = "Accumulator Results: \n";
  for (const auto& [name, acc] : accumulators) {
    out += "- " + name + " (" + acc->typeName() + "): " + acc->toString() + "\n";
  }
  return out;
}

std::string JobExecutionResult::metricsReport() const {
  std::string out;
  double seconds = net_runtime_ms > 0 ? net_runtime_ms / 1000.0 : 1.0;
  for (const auto& o : operators) {
    std::string scope = o.name + "." + std::to_string(o.subtask_index);
    out += line(scope, "numRecordsIn", o.num_records_in);
    out += line(scope, "numRecordsInPerSecond", o.num_records_in / seconds);
    out += line(scope, "numRecordsOut", o.num_records_out);
    out += line(scope, "numRecordsOutPerSecond", o.num_records_out / seconds);
    if (o.num_late_records_dropped > 0) {
      out += line(scope, "numLateRecordsDropped", o.num_late_records_dropped);
    }
    out += line(scope, "currentInputWatermark", o.current_input_watermark);
    out += line(scope, "currentOutputWatermark", o.current_output_watermark);
  }
  for (const auto& t : tasks) {
    std::string scope = t.name + "." + std::to_string(t.subtask_index);
    double wall_s = t.wall_ms > 0 ? t.wall_ms / 1000.0 : 1.0;
    out += line(scope, "busyTimeMsPerSecond", static_cast<int64_t>(t.busy_ms / wall_s));
    out += line(scope, "backPressuredTimeMsPerSecond",
                static_cast<int64_t>(t.back_pressured_ms / wall_s));
    out += line(scope, "idleTimeMsPerSecond", static_cast<int64_t>(t.idle_ms / wall_s));
    out += line(scope, "checkpointAlignmentTime", t.checkpoint_alignment_ns);
    out += line(scope, "checkpointStartDelayNanos", t.checkpoint_start_delay_ns);
  }
  // Job scope (Flink's JobManager job metrics).
  out += line(job_name, "numRestarts", number_of_restarts);
  out += line(job_name, "numberOfCompletedCheckpoints", number_of_completed_checkpoints);
  out += line(job_name, "numberOfFailedCheckpoints", number_of_failed_checkpoints);
  out += line(job_name, "lastCheckpointRestoreTimestamp", last_checkpoint_restore_timestamp);
  out += line(job_name, "lastCheckpointDuration", last_checkpoint_duration_ms);
  out += line(job_name, "lastCheckpointSize", last_checkpoint_size);
  out += line(job_name, "lastCheckpointFullSize", last_checkpoint_full_size);
  out += line(job_name, "numberOfInProgressCheckpoints", number_of_in_progress_checkpoints);
  return out;
}

}  // namespace eddy::runtime
