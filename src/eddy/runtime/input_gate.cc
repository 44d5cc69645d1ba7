#include "eddy/runtime/input_gate.h"

#include "eddy/core/check.h"

namespace eddy::runtime {

InputGate::InputGate(int num_channels, int buffers_per_channel)
    : num_channels_(num_channels),
      buffers_per_channel_(buffers_per_channel),
      queued_batches_(num_channels, 0),
      pushed_(num_channels, 0) {}

bool InputGate::push(ChannelEvent event, int64_t* blocked_ns) {
  EDDY_CHECK(event.channel >= 0 && event.channel < num_channels_);
  std::unique_lock<std::mutex> lock(mu_);
  if (event.kind == ChannelEvent::Kind::kBatch) {
    int& queued = queued_batches_[event.channel];
    if (queued >= buffers_per_channel_ && !cancelled_) {
      auto start = std::chrono::steady_clock::now();
      producer_cv_.wait(lock, [&] { return queued < buffers_per_channel_ || cancelled_; });
      if (blocked_ns != nullptr) {
        *blocked_ns += std::chrono::duration_cast<std::chrono::nanoseconds>(
                           std::chrono::steady_clock::now() - start)
                           .count();
      }
    }
    ++queued;
  }
  if (cancelled_) return false;
  bool was_empty = events_.empty() && mails_.empty();
  if (event.isCheckpointEvent()) {
    event.seq = pushed_[event.channel];
  } else {
    event.seq = pushed_[event.channel]++;
  }
  if (event.isPriority()) {
    const size_t front = queued_priority_.load(std::memory_order_relaxed);
    events_.insert(events_.begin() + static_cast<std::ptrdiff_t>(front), std::move(event));
    queued_priority_.store(front + 1, std::memory_order_release);
  } else {
    events_.push_back(std::move(event));
  }
  lock.unlock();
  if (was_empty) consumer_cv_.notify_one();
  return true;
}

void InputGate::post(Mail mail) {
  std::unique_lock<std::mutex> lock(mu_);
  bool was_empty = events_.empty() && mails_.empty();
  mails_.push_back(std::move(mail));
  lock.unlock();
  if (was_empty) consumer_cv_.notify_one();
}

void InputGate::poll(std::vector<ChannelEvent>& events, std::vector<Mail>& mails, bool wait,
                     SteadyTime deadline) {
  std::unique_lock<std::mutex> lock(mu_);
  if (wait) {
    consumer_cv_.wait_until(lock, deadline,
                            [&] { return !events_.empty() || !mails_.empty() || cancelled_; });
  }
  bool freed = false;
  for (auto& e : events_) {
    if (e.kind == ChannelEvent::Kind::kBatch) {
      --queued_batches_[e.channel];
      freed = true;
    }
    events.push_back(std::move(e));
  }
  events_.clear();
  queued_priority_.store(0, std::memory_order_release);
  for (auto& m : mails_) mails.push_back(std::move(m));
  mails_.clear();
  lock.unlock();
  if (freed) producer_cv_.notify_all();
}

void InputGate::pollPriority(std::vector<ChannelEvent>& events) {
  std::lock_guard<std::mutex> lock(mu_);
  const size_t n = queued_priority_.load(std::memory_order_relaxed);
  for (size_t i = 0; i < n; ++i) events.push_back(std::move(events_[i]));
  events_.erase(events_.begin(), events_.begin() + static_cast<std::ptrdiff_t>(n));
  queued_priority_.store(0, std::memory_order_release);
}

void InputGate::forEachQueued(int channel, uint64_t before_seq,
                              const std::function<void(const ChannelEvent&)>& fn) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const ChannelEvent& e : events_) {
    if (e.channel == channel && !e.isCheckpointEvent() && e.seq < before_seq) fn(e);
  }
}

void InputGate::cancel() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    cancelled_ = true;
  }
  consumer_cv_.notify_all();
  producer_cv_.notify_all();
}

bool InputGate::isCancelled() const {
  std::lock_guard<std::mutex> lock(mu_);
  return cancelled_;
}

}  // namespace eddy::runtime
