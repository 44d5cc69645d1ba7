#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "eddy/runtime/batch.h"
#include "eddy/runtime/stream_record.h"

namespace eddy::runtime {

/// One element on a channel between two tasks, in channel order.
struct ChannelEvent {
  /// kAnnouncement: an aligned barrier's herald (Flink's EventAnnouncement), sent with
  /// it when checkpoints may time out into unaligned ones. It overtakes queued data, so
  /// a task learns of a barrier stuck behind a backlog and can switch to unaligned
  /// without waiting for it.
  enum class Kind : uint8_t { kBatch, kWatermark, kStatus, kEndOfPartition, kBarrier, kAnnouncement };
  Kind kind = Kind::kBatch;
  int channel = 0;
  std::unique_ptr<BatchBase> batch;
  Timestamp watermark = kMinTimestamp;
  WatermarkStatus status = WatermarkStatus::kActive;
  int64_t checkpoint_id = 0;  // kBarrier, kAnnouncement.
  int64_t checkpoint_trigger_ns = 0;  // kBarrier, kAnnouncement: when the coordinator triggered it (Clock::nanoTime).
  /// kBarrier: an unaligned checkpoint's barrier, which overtakes the events queued
  /// before it (Flink's priority event).
  bool unaligned = false;
  /// Set by the gate: how many events of this channel other than barriers and
  /// announcements were pushed before this one. For a barrier (or the announcement of
  /// one): the events of its channel that are in-flight data of its checkpoint if the
  /// task snapshots before processing them (those with a smaller `seq`).
  uint64_t seq = 0;

  /// Overtakes the events queued before it.
  bool isPriority() const { return kind == Kind::kAnnouncement || (kind == Kind::kBarrier && unaligned); }
  bool isCheckpointEvent() const { return kind == Kind::kAnnouncement || kind == Kind::kBarrier; }
};

/// How a task sends a checkpoint barrier on.
enum class BarrierType {
  kAligned,    // In line with the data.
  kAnnounced,  // In line, with an announcement ahead of the data (alignment may time out).
  kUnaligned,  // Ahead of the data.
};

/// A task's inbox: the input channels of all its upstream subtasks plus its mailbox.
/// Each channel holds at most `buffers_per_channel` batches not yet taken by the task;
/// a producer that finds its channel full waits, which is backpressure.
///
/// Unaligned barriers and announcements skip the queue: they go before every event not
/// yet taken (but after earlier ones of their kind), so a checkpoint does not wait
/// behind backpressure.
///
/// Thread: producers (other task threads) and mail posters call push/post from any
/// thread; only the owning task thread calls poll. One mutex guards everything; it is
/// taken once per batch or per poll, never per record.
class InputGate {
 public:
  using Mail = std::function<void()>;
  using SteadyTime = std::chrono::steady_clock::time_point;

  InputGate(int num_channels, int buffers_per_channel);

  int numChannels() const { return num_channels_; }

  /// Appends an event to its channel, waiting while the channel is full. Returns false
  /// (and drops the event) when the gate was cancelled. Adds the time spent waiting to
  /// `*blocked_ns` when given.
  bool push(ChannelEvent event, int64_t* blocked_ns = nullptr);

  /// Posts work to run on the task thread.
  void post(Mail mail);

  /// Moves everything available into `events` and `mails`; waits until something arrives,
  /// the deadline passes or the gate is cancelled when `wait` is true.
  void poll(std::vector<ChannelEvent>& events, std::vector<Mail>& mails, bool wait,
            SteadyTime deadline);

  /// Whether an unaligned barrier or announcement waits: a task working through a
  /// backlog checks between buffers and takes them first. Lock-free.
  bool hasPriorityEvents() const { return queued_priority_.load(std::memory_order_acquire) > 0; }
  /// Moves the waiting priority events (only those) into `events`.
  void pollPriority(std::vector<ChannelEvent>& events);
  /// Calls fn for each event of `channel` still queued whose seq is below `before_seq`,
  /// barriers and announcements excepted, in order (an overtaken barrier's in-flight
  /// data). `fn` must not call back into the gate.
  void forEachQueued(int channel, uint64_t before_seq, const std::function<void(const ChannelEvent&)>& fn) const;

  /// Wakes every waiter; later pushes fail and polls return at once.
  void cancel();
  bool isCancelled() const;

 private:
  const int num_channels_;
  const int buffers_per_channel_;
  mutable std::mutex mu_;
  std::condition_variable consumer_cv_;
  std::condition_variable producer_cv_;
  std::deque<ChannelEvent> events_;   // Guarded by mu_.
  std::vector<int> queued_batches_;   // Guarded by mu_. Per channel.
  std::vector<uint64_t> pushed_;      // Guarded by mu_. Per channel: non-barrier events pushed.
  // Priority events at the front of events_. Changed under mu_; read without it by
  // hasPriorityEvents.
  std::atomic<size_t> queued_priority_{0};
  std::vector<Mail> mails_;           // Guarded by mu_.
  bool cancelled_ = false;            // Guarded by mu_.
};

}  // namespace eddy::runtime
