#pragma once

#include <atomic>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "eddy/core/clock.h"
#include "eddy/runtime/operator_metrics.h"
#include "eddy/runtime/processing_time_service.h"
#include "eddy/runtime/stream_operator.h"

namespace eddy::operators::testing {

/// Drives one operator instance by hand, with a manual clock, and records what it
/// emits (Flink's OneInput/TwoInputStreamOperatorTestHarness): tests choose the exact
/// interleaving of records, watermarks and processing time.
/// Thread: the test thread.
template <typename OUT>
class OperatorHarness {
 public:
  struct Emitted {
    OUT value;
    Timestamp timestamp;
  };

  /// `op` is set up as subtask `subtask` of `parallelism` (max parallelism 128) and, when
  /// `restored` is given, initialized from those snapshots before it opens; with
  /// `region_restart`, as a subtask restarting alone with its failover region.
  explicit OperatorHarness(std::unique_ptr<runtime::StreamOperatorBase> op, int subtask = 0, int parallelism = 1,
                           std::vector<runtime::OperatorSnapshot> restored = {}, Timestamp start_ms = 0,
                           bool region_restart = false)
      : op_(std::move(op)), clock_(start_ms), pts_(clock_) {
    runtime::OperatorContext ctx;
    ctx.operator_name = "under test";
    ctx.task_name = "under test (" + std::to_string(subtask + 1) + "/" + std::to_string(parallelism) + ")";
    ctx.subtask_index = subtask;
    ctx.parallelism = parallelism;
    ctx.processing_time = &pts_;
    ctx.metrics = &metrics_;
    ctx.region_restart = region_restart;
    // Each harness is an attempt of its own, as each run of a job is.
    static std::atomic<int> attempts{0};
    ctx.attempt_id = "harness" + std::to_string(attempts++);
    op_->setup(std::move(ctx), &output_);
    Status st = op_->initializeState(std::move(restored));
    if (!st.isOk()) throw std::runtime_error(st.message());
    op_->open();
  }
  ~OperatorHarness() { op_->close(); }

  template <typename Op>
  Op& as() {
    return static_cast<Op&>(*op_);
  }
  runtime::StreamOperatorBase& op() { return *op_; }

  /// Moves processing time to `ms` and fires due processing-time timers.
  void setProcessingTime(Timestamp ms) {
    clock_.set(ms);
    pts_.fireDueTimers();
  }

  std::vector<Emitted>& output() { return output_.records; }
  std::vector<OUT> values() const {
    std::vector<OUT> v;
    for (const auto& e : output_.records) v.push_back(e.value);
    return v;
  }
  const std::vector<Timestamp>& watermarks() const { return output_.watermarks; }
  const runtime::OperatorMetrics& metrics() const { return metrics_; }
  void clearOutput() {
    output_.records.clear();
    output_.watermarks.clear();
  }

 private:
  struct Recorder final : runtime::Output<OUT> {
    std::vector<Emitted> records;
    std::vector<Timestamp> watermarks;
    void collect(const runtime::StreamRecord<OUT>& r) override { records.push_back({r.value, r.timestamp}); }
    void emitWatermark(runtime::Watermark wm) override { watermarks.push_back(wm.timestamp); }
    void emitWatermarkStatus(runtime::WatermarkStatus) override {}
  };

  std::unique_ptr<runtime::StreamOperatorBase> op_;
  ManualClock clock_;
  runtime::ProcessingTimeService pts_;
  runtime::OperatorMetrics metrics_;
  Recorder output_;
};

}  // namespace eddy::operators::testing
