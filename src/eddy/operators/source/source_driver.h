#pragma once

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "eddy/core/serialization.h"
#include "eddy/operators/source/source.h"
#include "eddy/operators/source/watermark_strategy.h"
#include "eddy/runtime/output.h"
#include "eddy/runtime/source_driver.h"

namespace eddy::operators {

/// Runs a Source in one subtask: reads its splits one after another, stamps
/// timestamps, keeps a watermark generator per split and emits the combined watermark
/// (minimum over the active split; idle when it is idle), and the max watermark at the
/// end of input (Flink's SourceOperator with per-split watermarks).
/// Thread: the task thread only.
template <typename T>
class SourceDriver final : public runtime::SourceDriverBase {
 public:
  SourceDriver(std::shared_ptr<Source<T>> source, WatermarkStrategy<T> strategy, int subtask,
               int parallelism, const Clock* clock, runtime::Output<T>* output)
      : source_(std::move(source)), strategy_(std::move(strategy)), subtask_(subtask),
        parallelism_(parallelism), clock_(clock), output_(output), reader_output_(this) {}

  /// Each earlier subtask's snapshot: its unfinished splits and the watermark it had
  /// emitted. The watermark comes back too: a fresh generator would start from the
  /// minimum, and a record that was late before the failure would not be after it.
  Status initializeState(std::vector<std::string> restored) override {
    std::vector<std::pair<SplitState, Timestamp>> all;
    for (const std::string& bytes : restored) {
      DataInputView in(bytes);
      EDDY_ASSIGN_OR_RETURN(uint64_t n, in.readVarint());
      std::vector<SplitState> splits(n);
      for (SplitState& st : splits) {
        EDDY_ASSIGN_OR_RETURN(st.split, in.readString());
        EDDY_ASSIGN_OR_RETURN(st.position, in.readString());
      }
      EDDY_ASSIGN_OR_RETURN(Timestamp watermark, in.read<Timestamp>());
      for (SplitState& st : splits) all.emplace_back(std::move(st), watermark);
    }
    // Every split of the earlier subtasks goes to exactly one subtask now, which starts
    // from the lowest watermark among the subtasks its splits come from.
    restored_.emplace();
    Timestamp watermark = kMaxTimestamp;
    for (size_t i = 0; i < all.size(); ++i) {
      if (static_cast<int>(i % static_cast<size_t>(parallelism_)) != subtask_) continue;
      restored_->push_back(std::move(all[i].first));
      watermark = std::min(watermark, all[i].second);
    }
    if (!restored_->empty()) restored_watermark_ = watermark;
    return Status::ok();
  }

  Result<std::string> snapshotState() const override {
    DataOutputView out;
    out.writeVarint(splits_.size() - std::min(current_, splits_.size()));
    for (size_t i = current_; i < splits_.size(); ++i) {
      EDDY_ASSIGN_OR_RETURN(SplitState st, splits_[i].reader->snapshotSplit());
      out.writeString(st.split);
      out.writeString(st.position);
    }
    out.write<Timestamp>(last_watermark_);
    return out.release();
  }

  Status open() override {
    auto created = restored_ ? source_->restoreReaders(*restored_, parallelism_, *clock_)
                             : source_->createReaders(subtask_, parallelism_, *clock_);
    EDDY_ASSIGN_OR_RETURN(auto readers, std::move(created));
    for (auto& r : readers) {
      Split s;
      s.reader = std::move(r);
      splits_.push_back(std::move(s));
    }
    // Downstream operators see the restored watermark before any record, as they had.
    if (restored_watermark_ > kMinTimestamp) onSplitWatermark(restored_watermark_);
    return Status::ok();
  }

  Result<ReadStatus> emitNext(int max_records) override {
    while (current_ < splits_.size()) {
      Split& s = splits_[current_];
      if (!s.started) {
        EDDY_RETURN_IF_ERROR(s.reader->open());
        s.generator = makeGenerator();
        s.started = true;
      }
      Result<ReadStatus> r = s.reader->pollNext(reader_output_, max_records);
      if (!r.isOk()) return r;
      if (*r != ReadStatus::kEndOfInput) return r;
      s.finished = true;
      ++current_;
    }
    return ReadStatus::kEndOfInput;
  }

  Timestamp nextAvailableTime() const override {
    return current_ < splits_.size() ? splits_[current_].reader->nextAvailableTime() : 0;
  }

  void emitPeriodicWatermark() override {
    if (current_ < splits_.size() && splits_[current_].started) {
      splits_[current_].generator->onPeriodicEmit(split_output_);
    }
  }

  void endInput() override {
    if (last_watermark_ < kMaxTimestamp) {
      if (idle_) output_->emitWatermarkStatus(runtime::WatermarkStatus::kActive);
      last_watermark_ = kMaxTimestamp;
      output_->emitWatermark(runtime::Watermark::max());
    }
  }

 private:
  struct Split {
    std::unique_ptr<SplitReader<T>> reader;
    std::unique_ptr<WatermarkGenerator<T>> generator;
    bool started = false;
    bool finished = false;
  };

  std::optional<std::vector<SplitState>> restored_;  // Set when the job restores.
  Timestamp restored_watermark_ = kMinTimestamp;

  std::unique_ptr<WatermarkGenerator<T>> makeGenerator() {
    auto g = strategy_.generatorFactory() ? strategy_.generatorFactory()()
                                          : std::make_unique<NoWatermarksGenerator<T>>();
    if (strategy_.idleTimeoutMs() > 0) {
      const Clock* clock = clock_;
      g = std::make_unique<WatermarksWithIdleness<T>>(std::move(g), strategy_.idleTimeoutMs(),
                                                      [clock] { return clock->currentTimeMillis(); });
    }
    return g;
  }

  void emitRecord(T&& value, Timestamp ts) {
    if (strategy_.timestampAssigner()) ts = strategy_.timestampAssigner()(value, ts);
    Split& s = splits_[current_];
    // Flink: the record goes out first, then the generator sees it (a punctuated
    // watermark follows its record). The generator looks before the record is moved
    // out, and what it emits waits until the record is out.
    if (s.generator != nullptr) {
      deferring_ = true;
      s.generator->onEvent(value, ts, split_output_);
      deferring_ = false;
      output_->collect(runtime::StreamRecord<T>{std::move(value), ts});
      for (const Deferred& d : deferred_) {
        if (d.what == Deferred::kWatermark) {
          onSplitWatermark(d.watermark);
        } else {
          onSplitIdle(d.what == Deferred::kIdle);
        }
      }
      deferred_.clear();
    } else {
      output_->collect(runtime::StreamRecord<T>{std::move(value), ts});
    }
  }

  void onSplitWatermark(Timestamp wm) {
    if (wm > last_watermark_) {
      if (idle_) {
        idle_ = false;
        output_->emitWatermarkStatus(runtime::WatermarkStatus::kActive);
      }
      last_watermark_ = wm;
      output_->emitWatermark(runtime::Watermark{wm});
    }
  }
  void onSplitIdle(bool idle) {
    if (idle == idle_) return;
    idle_ = idle;
    output_->emitWatermarkStatus(idle ? runtime::WatermarkStatus::kIdle : runtime::WatermarkStatus::kActive);
  }

  class Out final : public ReaderOutput<T> {
   public:
    explicit Out(SourceDriver* d) : d_(d) {}
    void collect(T value) override { d_->emitRecord(std::move(value), runtime::kNoTimestamp); }
    void collect(T value, Timestamp ts) override { d_->emitRecord(std::move(value), ts); }

   private:
    SourceDriver* d_;
  };
  class SplitWatermarks final : public WatermarkOutput {
   public:
    explicit SplitWatermarks(SourceDriver* d) : d_(d) {}
    void emitWatermark(Timestamp wm) override {
      if (d_->deferring_) {
        d_->deferred_.push_back({Deferred::kWatermark, wm});
      } else {
        d_->onSplitWatermark(wm);
      }
    }
    void markIdle() override {
      if (d_->deferring_) {
        d_->deferred_.push_back({Deferred::kIdle, 0});
      } else {
        d_->onSplitIdle(true);
      }
    }
    void markActive() override {
      if (d_->deferring_) {
        d_->deferred_.push_back({Deferred::kActive, 0});
      } else {
        d_->onSplitIdle(false);
      }
    }

   private:
    SourceDriver* d_;
  };

  std::shared_ptr<Source<T>> source_;
  WatermarkStrategy<T> strategy_;
  int subtask_;
  int parallelism_;
  const Clock* clock_;
  runtime::Output<T>* output_;
  std::vector<Split> splits_;
  size_t current_ = 0;
  Timestamp last_watermark_ = kMinTimestamp;
  // What a generator emits while it looks at a record, for after the record.
  struct Deferred {
    enum What { kWatermark, kIdle, kActive } what;
    Timestamp watermark;
  };
  bool deferring_ = false;
  std::vector<Deferred> deferred_;
  bool idle_ = false;
  Out reader_output_;
  SplitWatermarks split_output_{this};
};

}  // namespace eddy::operators
