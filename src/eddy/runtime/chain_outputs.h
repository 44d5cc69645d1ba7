#pragma once

#include <exception>
#include <vector>

#include "eddy/runtime/operator_failure.h"
#include "eddy/runtime/stream_operator.h"

namespace eddy::runtime {

// Outputs that connect operators of one chain by direct calls (no queues, no copies
// beyond fan-out), and count Flink's numRecordsIn/numRecordsOut on the way.

/// Calls `fn`, turning any exception but an OperatorFailure into one naming `op`.
template <typename Fn>
inline void runAs(const StreamOperatorBase& op, Fn&& fn) {
  try {
    fn();
  } catch (const OperatorFailure&) {
    throw;
  } catch (const std::exception& e) {
    throw OperatorFailure(op.name(), e.what());
  } catch (...) {
    throw OperatorFailure(op.name(), "unknown exception");
  }
}

/// Feeds a one-input operator. With `Op` the operator's own (final) class, the call to
/// processElement is direct and can be inlined: one virtual call less per record.
template <typename IN, typename OUT, typename Op = OneInputStreamOperator<IN, OUT>>
class ChainedOneInput final : public Output<IN> {
 public:
  explicit ChainedOneInput(Op* op) : op_(op) {}
  void collect(const StreamRecord<IN>& r) override {
    upstream_out_->inc();
    op_->context().metrics->num_records_in.inc();
    runAs(*op_, [&] { op_->processElement(r); });
  }
  /// A record nobody else reads: an operator with processElementOwned may take its
  /// value apart instead of copying what it passes on.
  void collect(StreamRecord<IN>&& r) override {
    if constexpr (requires { op_->processElementOwned(std::move(r)); }) {
      upstream_out_->inc();
      op_->context().metrics->num_records_in.inc();
      runAs(*op_, [&] { op_->processElementOwned(std::move(r)); });
    } else {
      collect(static_cast<const StreamRecord<IN>&>(r));
    }
  }
  void collectBatch(std::vector<StreamRecord<IN>>& records) override {
    upstream_out_->inc(static_cast<int64_t>(records.size()));
    op_->context().metrics->num_records_in.inc(static_cast<int64_t>(records.size()));
    runAs(*op_, [&] {
      if constexpr (requires { op_->processBatch(records); }) {
        op_->processBatch(records);
      } else {
        for (const auto& r : records) op_->processElement(r);
      }
    });
  }
  bool countRecordsOutInto(Counter* records_out) override {
    if (upstream_out_ != &no_upstream_) return false;
    upstream_out_ = records_out != nullptr ? records_out : &no_upstream_;
    return true;
  }
  void emitWatermark(Watermark wm) override {
    op_->context().metrics->current_input_watermark.set(wm.timestamp);
    runAs(*op_, [&] { op_->processWatermark(wm); });
  }
  void emitWatermarkStatus(WatermarkStatus s) override { op_->processWatermarkStatus(s); }

 private:
  Op* op_;
  Counter no_upstream_;  // Counts into nothing anyone reads, so collect never branches.
  Counter* upstream_out_ = &no_upstream_;
};

/// Feeds input 1 or 2 of a two-input operator.
template <typename IN1, typename IN2, typename OUT, int kInput>
class ChainedTwoInput final : public Output<std::conditional_t<kInput == 1, IN1, IN2>> {
  using IN = std::conditional_t<kInput == 1, IN1, IN2>;

 public:
  explicit ChainedTwoInput(TwoInputStreamOperator<IN1, IN2, OUT>* op) : op_(op) {}
  void collect(const StreamRecord<IN>& r) override {
    op_->context().metrics->num_records_in.inc();
    runAs(*op_, [&] {
      if constexpr (kInput == 1) {
        op_->processElement1(r);
      } else {
        op_->processElement2(r);
      }
    });
  }
  void emitWatermark(Watermark wm) override {
    runAs(*op_, [&] {
      if constexpr (kInput == 1) {
        op_->processWatermark1(wm);
      } else {
        op_->processWatermark2(wm);
      }
    });
    op_->context().metrics->current_input_watermark.set(
        op_->context().metrics->current_output_watermark.get());
  }
  void emitWatermarkStatus(WatermarkStatus s) override {
    if constexpr (kInput == 1) {
      op_->processWatermarkStatus1(s);
    } else {
      op_->processWatermarkStatus2(s);
    }
  }

 private:
  TwoInputStreamOperator<IN1, IN2, OUT>* op_;
};

/// Sends one operator's output to every consumer (chained inputs and record writers),
/// copying for all but the last, and counts numRecordsOut.
template <typename T>
class FanoutOutput final : public Output<T> {
 public:
  FanoutOutput(std::vector<Output<T>*> targets, Counter* records_out)
      : targets_(std::move(targets)), records_out_(records_out) {}

  void collect(const StreamRecord<T>& r) override {
    if (records_out_ != nullptr) records_out_->inc();
    for (Output<T>* t : targets_) t->collect(r);
  }
  void collect(StreamRecord<T>&& r) override {
    if (records_out_ != nullptr) records_out_->inc();
    if (targets_.empty()) return;
    for (size_t i = 0; i + 1 < targets_.size(); ++i) targets_[i]->collect(static_cast<const StreamRecord<T>&>(r));
    targets_.back()->collect(std::move(r));
  }
  void emitWatermark(Watermark wm) override {
    for (Output<T>* t : targets_) t->emitWatermark(wm);
  }
  void emitWatermarkStatus(WatermarkStatus s) override {
    for (Output<T>* t : targets_) t->emitWatermarkStatus(s);
  }

 private:
  std::vector<Output<T>*> targets_;
  Counter* records_out_;
};

}  // namespace eddy::runtime
