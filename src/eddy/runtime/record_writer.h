#pragma once

#include <memory>
#include <stdexcept>
#include <vector>

#include "eddy/runtime/batch.h"
#include "eddy/runtime/channel_selector.h"
#include "eddy/runtime/input_gate.h"
#include "eddy/runtime/operator_metrics.h"
#include "eddy/runtime/output.h"

namespace eddy::runtime {

/// One consumer channel: the consumer subtask's gate and the channel index in it.
struct ChannelTarget {
  InputGate* gate = nullptr;
  int channel = 0;
};

/// Thrown on the task thread when a push finds the job cancelled; unwinds the task.
class TaskCancelled : public std::runtime_error {
 public:
  TaskCancelled() : std::runtime_error("task cancelled") {}
};

/// The type-independent face of a RecordWriter, for the task loop.
class RecordWriterBase {
 public:
  virtual ~RecordWriterBase() = default;
  /// Sends every partly filled buffer (before the task waits, so records never linger).
  virtual void flushAll() = 0;
  /// Flushes and tells every consumer channel this producer is done.
  virtual void endOfPartition() = 0;
  /// Flushes and sends barrier `id` of a checkpoint triggered at `trigger_ns`
  /// (Clock::nanoTime) to every consumer channel, as `type` says. The flush comes first
  /// for every type: records of partly filled buffers precede the snapshot, so they
  /// must precede the barrier too.
  virtual void broadcastBarrier(int64_t id, int64_t trigger_ns, BarrierType type) = 0;
};

/// The end of a chain on one edge: buffers records per consumer channel and hands
/// full buffers to the consumers' gates. Watermarks and statuses flush first, so they
/// stay in order with the records, then go to every channel.
/// Thread: the producing task thread only.
template <typename T>
class RecordWriter final : public Output<T>, public RecordWriterBase {
 public:
  /// `selector == nullptr` broadcasts every record.
  RecordWriter(std::unique_ptr<ChannelSelector<T>> selector, std::vector<ChannelTarget> targets,
               TaskMetrics* metrics)
      : selector_(std::move(selector)), targets_(std::move(targets)), metrics_(metrics),
        pending_(targets_.size()),
        // With one channel a record goes whole: there is nothing to split it for.
        splits_(selector_ != nullptr && selector_->splits() && targets_.size() > 1) {}

  void collect(const StreamRecord<T>& r) override {
    if (splits_) {
      splitToChannels(r);
      return;
    }
    if (selector_ == nullptr) {
      for (size_t c = 0; c < targets_.size(); ++c) buffer(c).push_back(r);
      for (size_t c = 0; c < targets_.size(); ++c) flushIfFull(c);
      return;
    }
    size_t c = targets_.size() == 1 ? 0 : static_cast<size_t>(selector_->selectChannel(r.value));
    buffer(c).push_back(r);
    flushIfFull(c);
  }
  void collect(StreamRecord<T>&& r) override {
    if (selector_ == nullptr || splits_) {
      collect(static_cast<const StreamRecord<T>&>(r));
      return;
    }
    size_t c = targets_.size() == 1 ? 0 : static_cast<size_t>(selector_->selectChannel(r.value));
    buffer(c).push_back(std::move(r));
    flushIfFull(c);
  }

  void emitWatermark(Watermark wm) override {
    ChannelEvent e;
    e.kind = ChannelEvent::Kind::kWatermark;
    e.watermark = wm.timestamp;
    toEveryChannel(e);
  }
  void emitWatermarkStatus(WatermarkStatus s) override {
    ChannelEvent e;
    e.kind = ChannelEvent::Kind::kStatus;
    e.status = s;
    toEveryChannel(e);
  }
  void flushAll() override {
    for (size_t c = 0; c < targets_.size(); ++c) {
      if (pending_[c] != nullptr && !pending_[c]->records.empty()) flush(c);
    }
  }
  void broadcastBarrier(int64_t id, int64_t trigger_ns, BarrierType type) override {
    flushAll();
    auto event = [&](const ChannelTarget& t, ChannelEvent::Kind kind) {
      ChannelEvent e;
      e.kind = kind;
      e.channel = t.channel;
      e.checkpoint_id = id;
      e.checkpoint_trigger_ns = trigger_ns;
      e.unaligned = type == BarrierType::kUnaligned;
      return e;
    };
    for (const ChannelTarget& t : targets_) {
      if (type == BarrierType::kAnnounced) send(t, event(t, ChannelEvent::Kind::kAnnouncement));
      send(t, event(t, ChannelEvent::Kind::kBarrier));
    }
  }
  void endOfPartition() override {
    ChannelEvent e;
    e.kind = ChannelEvent::Kind::kEndOfPartition;
    toEveryChannel(e);
  }

 private:
  void splitToChannels(const StreamRecord<T>& r) {
    parts_.clear();
    selector_->split(r.value, parts_);
    for (auto& [channel, part] : parts_) {
      size_t c = targets_.size() == 1 ? 0 : static_cast<size_t>(channel);
      buffer(c).push_back(StreamRecord<T>{std::move(part), r.timestamp});
      flushIfFull(c);
    }
  }
  /// Flushes, then sends a copy of `event` (a watermark, status or end of partition)
  /// to every channel.
  void toEveryChannel(const ChannelEvent& event) {
    flushAll();
    for (const ChannelTarget& t : targets_) {
      ChannelEvent e;
      e.kind = event.kind;
      e.channel = t.channel;
      e.watermark = event.watermark;
      e.status = event.status;
      send(t, std::move(e));
    }
  }
  std::vector<StreamRecord<T>>& buffer(size_t c) {
    if (pending_[c] == nullptr) {
      pending_[c] = std::make_unique<Batch<T>>();
      pending_[c]->records.reserve(batchCapacity<T>());
    }
    return pending_[c]->records;
  }
  void flushIfFull(size_t c) {
    if (pending_[c]->records.size() >= batchCapacity<T>()) flush(c);
  }
  void flush(size_t c) {
    ChannelEvent e;
    e.kind = ChannelEvent::Kind::kBatch;
    e.channel = targets_[c].channel;
    e.batch = std::move(pending_[c]);
    send(targets_[c], std::move(e));
  }
  void send(const ChannelTarget& t, ChannelEvent e) {
    int64_t blocked = 0;
    bool ok = t.gate->push(std::move(e), &blocked);
    if (blocked != 0 && metrics_ != nullptr) metrics_->back_pressured_ns.inc(blocked);
    if (!ok) throw TaskCancelled();
  }

  std::unique_ptr<ChannelSelector<T>> selector_;
  std::vector<ChannelTarget> targets_;
  TaskMetrics* metrics_;
  std::vector<std::unique_ptr<Batch<T>>> pending_;
  bool splits_;
  std::vector<std::pair<int, T>> parts_;  // Reused by splitToChannels.
};

}  // namespace eddy::runtime
