#include "eddy/runtime/task.h"

#include <algorithm>
#include <chrono>

#include "eddy/runtime/operator_failure.h"

namespace eddy::runtime {
namespace {
// How long an idle task sleeps at most before looking at the clock again; bounds the
// delay of processing-time timers under an injected clock that moves by itself.
constexpr auto kMaxWait = std::chrono::milliseconds(50);
constexpr int kSourceBatch = 1024;
}  // namespace

Task::Task(std::string name, int subtask_index, const Clock& clock, std::unique_ptr<InputGate> gate)
    : name_(std::move(name)), subtask_index_(subtask_index), clock_(clock), gate_(std::move(gate)),
      processing_time_(clock) {
  metrics_.name = name_;
  metrics_.subtask_index = subtask_index;
}

OperatorMetrics* Task::addOperatorMetrics(const std::string& name) {
  auto m = std::make_unique<OperatorMetrics>();
  m->name = name;
  m->subtask_index = subtask_index_;
  operator_metrics_.push_back(std::move(m));
  return operator_metrics_.back().get();
}

void Task::setInputs(std::vector<OutputBase*> head_inputs, std::vector<InputChannel> channels) {
  head_inputs_ = std::move(head_inputs);
  std::vector<int> per_input(head_inputs_.size(), 0);
  for (InputChannel& c : channels) c.valve_channel = per_input[c.input]++;
  for (int n : per_input) valves_.emplace_back(n);
  channels_ = std::move(channels);
  open_channels_ = static_cast<int>(channels_.size());
  ended_.assign(channels_.size(), false);
  blocked_.assign(channels_.size(), false);
  held_.resize(channels_.size());
  blocked_at_.assign(channels_.size(), 0);
}

Status Task::run(std::string* failed_operator) {
  int64_t start = clock_.nanoTime();
  Status status;
  try {
    // Flink opens a chain from its tail, so every operator meets an open consumer.
    for (auto it = operators_.rbegin(); it != operators_.rend(); ++it) {
      StreamOperatorBase& op = **it;
      runAs(op, [&] { op.open(); });
    }
    if (source_ != nullptr) {
      runSource();
    } else {
      runOperators();
    }
    if (!gate_->isCancelled()) {
      finishChain();
      if (checkpointing_.ack) {
        takeFinalCheckpoint();
      } else {
        for (auto& w : writers_) w->endOfPartition();
      }
    }
  } catch (const OperatorFailure& f) {
    *failed_operator = f.operatorName();
    status = Status::internal(f.what());
  } catch (const TaskCancelled&) {
    status = Status::cancelled("task '" + name_ + "' cancelled");
  } catch (const std::exception& e) {
    *failed_operator = name_;
    status = Status::internal(e.what());
  }
  for (auto& op : operators_) {
    try {
      op->close();
    } catch (...) {
      // Closing after a failure is best effort; the first error is the one reported.
    }
  }
  if (status.isOk() && gate_->isCancelled()) status = Status::cancelled("task '" + name_ + "' cancelled");
  finished_.store(true);
  int64_t wall = clock_.nanoTime() - start;
  metrics_.wall_ns.set(wall);
  metrics_.busy_ns.set(std::max<int64_t>(0, wall - metrics_.idle_ns.get() - metrics_.back_pressured_ns.get()));
  return status;
}

std::chrono::milliseconds idleWait(Timestamp next_timer_ms, Timestamp now_ms, std::chrono::milliseconds max_wait) {
  // Clamp before converting: kMaxTimestamp ("no timer") in nanoseconds would overflow
  // into a deadline in the past, and the task would spin instead of sleeping.
  if (next_timer_ms <= now_ms) return std::chrono::milliseconds(0);
  if (next_timer_ms - now_ms >= max_wait.count()) return max_wait;
  return std::chrono::milliseconds(next_timer_ms - now_ms);
}

InputGate::SteadyTime Task::deadlineFor(Timestamp processing_time) const {
  return std::chrono::steady_clock::now() + idleWait(processing_time, clock_.currentTimeMillis(), kMaxWait);
}

void Task::runSource() {
  Status s = source_->open();
  if (!s.isOk()) throw OperatorFailure(name_, s.message());
  std::vector<ChannelEvent> events;
  std::vector<InputGate::Mail> mails;
  Timestamp next_periodic = auto_watermark_interval_ms_ > 0
                                ? clock_.currentTimeMillis() + auto_watermark_interval_ms_
                                : kMaxTimestamp;
  while (true) {
    gate_->poll(events, mails, /*wait=*/false, {});
    runMails(mails);
    if (gate_->isCancelled()) throw TaskCancelled();
    if (stopped_at_ >= 0) {
      // Stopped at a savepoint: the job ends once it completes (or resumes if it fails).
      int64_t idle_start = clock_.nanoTime();
      gate_->poll(events, mails, /*wait=*/true, deadlineFor(kMaxTimestamp));
      metrics_.idle_ns.inc(clock_.nanoTime() - idle_start);
      continue;
    }
    processing_time_.fireDueTimers();
    if (clock_.currentTimeMillis() >= next_periodic) {
      source_->emitPeriodicWatermark();
      next_periodic = clock_.currentTimeMillis() + auto_watermark_interval_ms_;
    }
    Result<ReadStatus> r = source_->emitNext(kSourceBatch);
    if (!r.isOk()) throw OperatorFailure(name_, r.status().message());
    if (*r == ReadStatus::kEndOfInput) break;
    if (*r == ReadStatus::kNothingAvailable) {
      for (auto& w : writers_) w->flushAll();
      Timestamp wake = std::min(source_->nextAvailableTime(), next_periodic);
      if (auto t = processing_time_.nextTimerTime()) wake = std::min(wake, *t);
      int64_t idle_start = clock_.nanoTime();
      gate_->poll(events, mails, /*wait=*/true, deadlineFor(wake));
      metrics_.idle_ns.inc(clock_.nanoTime() - idle_start);
    }
  }
  source_->endInput();
}

void Task::runOperators() {
  replayChannelState();
  std::vector<InputGate::Mail> mails;
  while (open_channels_ > 0) {
    bool have_work = false;
    gate_->poll(inbox_, mails, /*wait=*/false, {});
    have_work = !inbox_.empty() || !mails.empty();
    if (!have_work) {
      // About to wait: send partly filled buffers so nothing lingers downstream.
      for (auto& w : writers_) w->flushAll();
      Timestamp wake = kMaxTimestamp;
      if (auto t = processing_time_.nextTimerTime()) wake = *t;
      InputGate::SteadyTime deadline = deadlineFor(wake);
      if (auto awaited = awaitedCheckpoint()) {
        // Wake when the alignment times out, to switch to unaligned.
        int64_t left = awaited->second + checkpointing_.aligned_timeout_ns - clock_.nanoTime();
        deadline = std::min(deadline, std::chrono::steady_clock::now() + std::chrono::nanoseconds(std::max<int64_t>(0, left)));
      }
      int64_t idle_start = clock_.nanoTime();
      gate_->poll(inbox_, mails, /*wait=*/true, deadline);
      metrics_.idle_ns.inc(clock_.nanoTime() - idle_start);
    }
    if (gate_->isCancelled()) throw TaskCancelled();
    for (inbox_next_ = 0; inbox_next_ < inbox_.size();) {
      handleEvent(inbox_[inbox_next_++]);
      if (gate_->hasPriorityEvents()) handlePriorityEvents();
      checkAlignmentTimeout();
    }
    inbox_.clear();
    inbox_next_ = 0;
    checkAlignmentTimeout();
    runMails(mails);
    processing_time_.fireDueTimers();
  }
}

void Task::replayChannelState() {
  RestoredChannelState& r = restored_channels_;
  for (size_t i = 0; i < head_inputs_.size() && i < r.start_after.size(); ++i) {
    if (r.same_layout && i < r.valve_states.size()) {
      DataInputView in(r.valve_states[i]);
      if (Status st = valves_[i].restore(in); !st.isOk()) throw OperatorFailure(name_, "restoring channel state: " + st.message());
    } else {
      valves_[i].startAfter(r.start_after[i]);
    }
    // The operators saw this watermark before the snapshot; their restored state
    // (timers, windows) is consistent with it, and in-flight records are judged by it.
    if (r.start_after[i] > kMinTimestamp) head_inputs_[i]->emitWatermark(Watermark{r.start_after[i]});
  }
  for (InflightEvent& e : r.events) {
    const int input = e.input;
    switch (e.kind) {
      case ChannelEvent::Kind::kBatch:
        e.type->deliver(*e.batch, *head_inputs_[input]);
        break;
      case ChannelEvent::Kind::kWatermark:
        applyValve(input, valves_[input].inputWatermark(channels_[e.channel].valve_channel, Watermark{e.watermark}));
        break;
      case ChannelEvent::Kind::kStatus:
        applyValve(input, valves_[input].inputWatermarkStatus(channels_[e.channel].valve_channel, e.status));
        break;
      default:
        break;
    }
  }
  metrics_.in_flight_records_restored.inc(r.records);
  restored_channels_ = RestoredChannelState{};
}

void Task::triggerCheckpoint(int64_t id, int64_t trigger_ns, bool stop) {
  // An ended source's end state is in every later checkpoint already.
  if (end_checkpoint_ >= 0 || finished_.load() || gate_->isCancelled()) return;
  metrics_.checkpoint_start_delay_ns.set(clock_.nanoTime() - trigger_ns);
  metrics_.checkpoint_alignment_ns.set(0);
  // Unaligned from the start (no alignment timeout): the barrier overtakes queued data.
  bool unaligned = checkpointing_.unaligned && checkpointing_.aligned_timeout_ns == 0;
  performCheckpoint(id, trigger_ns, unaligned ? BarrierType::kUnaligned : alignedBarrierType());
  // Stop-with-savepoint: nothing after the savepoint's barrier (until it fails).
  if (stop) stopped_at_ = id;
}

Task::TaskSnapshot Task::snapshotChain(int64_t id) {
  TaskSnapshot snapshot;
  if (source_ != nullptr) {
    Result<std::string> positions = source_->snapshotState();
    if (!positions.isOk()) throw OperatorFailure(name_, "checkpoint " + std::to_string(id) + ": " + positions.status().message());
    snapshot[checkpointing_.source_key].operator_state = std::move(*positions);
  }
  for (size_t i = 0; i < operators_.size(); ++i) {
    StreamOperatorBase& op = *operators_[i];
    Result<OperatorSnapshot> s = op.snapshotState(id);
    if (!s.isOk()) throw OperatorFailure(op.name(), "checkpoint " + std::to_string(id) + ": " + s.status().message());
    snapshot[checkpointing_.keys[i]] = std::move(*s);
  }
  return snapshot;
}

BarrierType Task::alignedBarrierType() const {
  return checkpointing_.aligned_timeout_ns > 0 ? BarrierType::kAnnounced : BarrierType::kAligned;
}

void Task::performCheckpoint(int64_t id, int64_t trigger_ns, BarrierType type) {
  TaskSnapshot snapshot = snapshotChain(id);
  if (!checkpointing_.channel_state_key.empty()) {
    // Aligned: nothing in flight, but the valves' state keeps a later unaligned
    // checkpoint's replay consistent downstream (see replayChannelState).
    snapshot[checkpointing_.channel_state_key].operator_state = ChannelStateWriter(valves_).finish();
  }
  // Flink: the barrier goes downstream right after the synchronous snapshot.
  for (auto& w : writers_) w->broadcastBarrier(id, trigger_ns, type);
  if (checkpointing_.ack) checkpointing_.ack(id, std::move(snapshot));
}

void Task::takeFinalCheckpoint() {
  // Everything upstream has ended and this chain has finished: the state now is this
  // task's end state. It takes no more checkpoints; the coordinator puts this snapshot
  // into every checkpoint from `end_checkpoint_` on (Flink's checkpoints after tasks
  // finish), and the task waits until one of them completed, so what its sinks staged
  // is committed before it closes.
  end_checkpoint_ = checkpointing_.end_checkpoint_id();
  TaskSnapshot snapshot = snapshotChain(end_checkpoint_);
  for (auto& w : writers_) w->endOfPartition();
  checkpointing_.ended(end_checkpoint_, std::move(snapshot));
  std::vector<ChannelEvent> events;
  std::vector<InputGate::Mail> mails;
  while (!end_committed_) {
    int64_t idle_start = clock_.nanoTime();
    gate_->poll(events, mails, /*wait=*/true, deadlineFor(kMaxTimestamp));
    metrics_.idle_ns.inc(clock_.nanoTime() - idle_start);
    if (gate_->isCancelled()) throw TaskCancelled();
    runMails(mails);
  }
}

void Task::notifyCheckpointComplete(int64_t id) {
  if (gate_->isCancelled()) return;
  for (auto& op : operators_) {
    StreamOperatorBase& o = *op;
    runAs(o, [&] { o.notifyCheckpointComplete(id); });
  }
  if (end_checkpoint_ >= 0 && id >= end_checkpoint_) end_committed_ = true;
}

void Task::notifyCheckpointAborted(int64_t id, const Status& cause, bool job_end) {
  if (gate_->isCancelled()) return;
  if (job_end && end_checkpoint_ >= 0) {
    throw OperatorFailure(name_, "the final checkpoint " + std::to_string(id) + " failed: " + cause.message());
  }
  if (id == stopped_at_) stopped_at_ = -1;  // The stop failed: the source goes on.
  for (auto& op : operators_) {
    StreamOperatorBase& o = *op;
    runAs(o, [&] { o.notifyCheckpointAborted(id); });
  }
}

void Task::noteFirstBarrier(const ChannelEvent& barrier) {
  int64_t now = clock_.nanoTime();
  alignment_start_ns_ = now;
  metrics_.checkpoint_start_delay_ns.set(now - barrier.checkpoint_trigger_ns);
}

void Task::onBarrier(int channel, const ChannelEvent& barrier) {
  const int64_t id = barrier.checkpoint_id;
  if (capture_) {
    if (id == capture_->id) {  // It timed out here and went on unaligned.
      placeBarrier(channel, barrier.seq);
      checkCaptureComplete();
      return;
    }
    if (id > capture_->id) capture_.reset();  // Abandoned upstream.
  }
  if (aligning_ >= 0 && id > aligning_) {
    // A newer checkpoint subsumes the one being aligned (it was abandoned upstream):
    // release what waited, then align the newer one.
    aligning_ = -1;
    releaseHeld();
  }
  // A barrier of a checkpoint already taken, or older than the one being aligned.
  if (id <= last_checkpoint_ || (aligning_ >= 0 && id < aligning_)) return;
  if (aligning_ < 0) {
    aligning_ = id;
    aligning_trigger_ns_ = barrier.checkpoint_trigger_ns;
    noteFirstBarrier(barrier);
  }
  blocked_[channel] = true;
  blocked_at_[channel] = barrier.seq;
  checkAligned();
  checkAlignmentTimeout();
}

void Task::checkAligned() {
  for (size_t c = 0; c < channels_.size(); ++c) {
    if (!blocked_[c] && !ended_[c]) return;  // Still aligning.
  }
  int64_t id = aligning_;
  aligning_ = -1;
  last_checkpoint_ = id;
  metrics_.checkpoint_alignment_ns.set(clock_.nanoTime() - alignment_start_ns_);
  performCheckpoint(id, aligning_trigger_ns_, alignedBarrierType());
  releaseHeld();
}

void Task::onBarrierAtLeastOnce(int channel, const ChannelEvent& barrier) {
  // Flink's CheckpointBarrierTracker: count barriers, block nothing.
  const int64_t id = barrier.checkpoint_id;
  if (id <= last_checkpoint_) return;
  BarrierCount& count = barriers_seen_[id];
  if (count.seen.empty()) {
    count.seen.assign(channels_.size(), false);
    count.trigger_ns = barrier.checkpoint_trigger_ns;
    noteFirstBarrier(barrier);
  }
  count.seen[channel] = true;
  checkAtLeastOnceComplete();
}

void Task::checkAtLeastOnceComplete() {
  int64_t newest = -1;
  for (const auto& [id, count] : barriers_seen_) {
    bool complete = true;
    for (size_t c = 0; c < channels_.size() && complete; ++c) complete = count.seen[c] || ended_[c];
    if (complete) newest = id;
  }
  if (newest < 0) return;
  // The newest complete checkpoint drops the older ones still counting (abandoned).
  int64_t trigger_ns = barriers_seen_[newest].trigger_ns;
  barriers_seen_.erase(barriers_seen_.begin(), barriers_seen_.upper_bound(newest));
  last_checkpoint_ = newest;
  metrics_.checkpoint_alignment_ns.set(0);  // Nothing waits in this mode.
  performCheckpoint(newest, trigger_ns, BarrierType::kAligned);
}

void Task::releaseHeld() {
  std::fill(blocked_.begin(), blocked_.end(), false);
  // Replay what waited, in channel order; a replayed barrier may block a channel again.
  for (size_t c = 0; c < channels_.size(); ++c) {
    std::deque<ChannelEvent> waiting = std::move(held_[c]);
    held_[c].clear();
    while (!waiting.empty()) {
      ChannelEvent e = std::move(waiting.front());
      waiting.pop_front();
      handleEvent(e);
    }
  }
}

void Task::handleEvent(ChannelEvent& e) {
  if (blocked_[e.channel]) {
    held_[e.channel].push_back(std::move(e));
    return;
  }
  if (e.kind == ChannelEvent::Kind::kAnnouncement) {
    onAnnouncement(e);
    return;
  }
  if (e.kind == ChannelEvent::Kind::kBarrier) {
    if (checkpointing_.mode == CheckpointingMode::kAtLeastOnce) {
      onBarrierAtLeastOnce(e.channel, e);
    } else if (e.unaligned) {
      onUnalignedBarrier(e.channel, e);
    } else {
      onBarrier(e.channel, e);
    }
    return;
  }
  // Before delivery, which may move the records out.
  if (capture_ && capture_->barrier_seq[e.channel] == kNotYet) recordInFlight(e);
  deliver(e);
}

void Task::deliver(const ChannelEvent& e) {
  const InputChannel& ch = channels_[e.channel];
  switch (e.kind) {
    case ChannelEvent::Kind::kBatch:
      ch.type->deliver(*e.batch, *head_inputs_[ch.input]);
      break;
    case ChannelEvent::Kind::kWatermark:
      applyValve(ch.input, valves_[ch.input].inputWatermark(ch.valve_channel, Watermark{e.watermark}));
      break;
    case ChannelEvent::Kind::kStatus:
      applyValve(ch.input, valves_[ch.input].inputWatermarkStatus(ch.valve_channel, e.status));
      break;
    case ChannelEvent::Kind::kEndOfPartition:
      applyValve(ch.input, valves_[ch.input].endOfPartition(ch.valve_channel));
      --open_channels_;
      ended_[e.channel] = true;
      // An ended channel counts as aligned.
      if (!barriers_seen_.empty()) checkAtLeastOnceComplete();
      if (aligning_ >= 0) checkAligned();
      if (capture_) checkCaptureComplete();
      break;
    case ChannelEvent::Kind::kBarrier:
    case ChannelEvent::Kind::kAnnouncement:
      break;  // Handled by handleEvent.
  }
}

void Task::onUnalignedBarrier(int channel, const ChannelEvent& barrier) {
  const int64_t id = barrier.checkpoint_id;
  if (capture_ && id == capture_->id) {
    placeBarrier(channel, barrier.seq);
    checkCaptureComplete();
    return;
  }
  if (id <= last_checkpoint_ || (aligning_ >= 0 && id < aligning_)) return;
  if (aligning_ != id) noteFirstBarrier(barrier);
  startUnaligned(id, barrier.checkpoint_trigger_ns, channel, barrier.seq);
}

void Task::onAnnouncement(const ChannelEvent& announcement) {
  const int64_t id = announcement.checkpoint_id;
  if (capture_ && id == capture_->id) {
    // Already unaligned here: the announced barrier's place ends the channel's
    // in-flight data, without waiting for the barrier to come through the backlog.
    placeBarrier(announcement.channel, announcement.seq);
    checkCaptureComplete();
    return;
  }
  if (id <= last_checkpoint_ || (capture_ && id < capture_->id)) return;
  if (id > announced_id_) {
    announced_id_ = id;
    announced_trigger_ns_ = announcement.checkpoint_trigger_ns;
    announced_seq_.assign(channels_.size(), kNotYet);
  }
  announced_seq_[static_cast<size_t>(announcement.channel)] = announcement.seq;
  checkAlignmentTimeout();
}

std::optional<std::pair<int64_t, int64_t>> Task::awaitedCheckpoint() const {
  if (checkpointing_.aligned_timeout_ns <= 0) return std::nullopt;
  if (aligning_ >= 0) return std::make_pair(aligning_, aligning_trigger_ns_);
  if (announced_id_ > last_checkpoint_) return std::make_pair(announced_id_, announced_trigger_ns_);
  return std::nullopt;
}

void Task::checkAlignmentTimeout() {
  auto awaited = awaitedCheckpoint();
  if (!awaited || clock_.nanoTime() - awaited->second < checkpointing_.aligned_timeout_ns) return;
  startUnaligned(awaited->first, awaited->second, -1, 0);
}

void Task::startUnaligned(int64_t id, int64_t trigger_ns, int channel, uint64_t seq) {
  capture_.reset();  // An older checkpoint still recording was abandoned upstream.
  metrics_.checkpoint_alignment_ns.set(aligning_ == id ? clock_.nanoTime() - alignment_start_ns_ : 0);
  aligning_ = -1;
  last_checkpoint_ = id;
  Capture cap(id, channels_.size(), valves_);
  // Channels blocked while aligning delivered their barrier after everything before it.
  for (size_t c = 0; c < channels_.size(); ++c) {
    if (blocked_[c]) cap.barrier_seq[c] = blocked_at_[c];
  }
  cap.snapshot = snapshotChain(id);
  metrics_.unaligned_checkpoints.inc(1);
  for (auto& w : writers_) w->broadcastBarrier(id, trigger_ns, BarrierType::kUnaligned);
  capture_.emplace(std::move(cap));
  // Barriers whose place is known (this one, announced ones): what precedes them and is
  // not processed yet is in flight. The others' channels are recorded as they are
  // processed, until their barrier arrives.
  if (announced_id_ == id) {
    for (size_t c = 0; c < channels_.size(); ++c) {
      if (announced_seq_[c] != kNotYet) placeBarrier(static_cast<int>(c), announced_seq_[c]);
    }
  }
  if (channel >= 0) placeBarrier(channel, seq);
  releaseHeld();  // What waited came after its channel's barrier: not in flight.
  if (capture_) checkCaptureComplete();
}

void Task::placeBarrier(int channel, uint64_t seq) {
  uint64_t& at = capture_->barrier_seq[static_cast<size_t>(channel)];
  if (at != kNotYet) return;
  // The events pushed before the barrier and not processed yet wait in the inbox, then
  // in the gate. They are recorded now, so the checkpoint does not wait for them to be
  // processed.
  for (size_t i = inbox_next_; i < inbox_.size(); ++i) {
    const ChannelEvent& e = inbox_[i];
    if (e.channel == channel && !e.isCheckpointEvent() && e.seq < seq) recordInFlight(e);
  }
  gate_->forEachQueued(channel, seq, [&](const ChannelEvent& e) { recordInFlight(e); });
  at = seq;
}

void Task::handlePriorityEvents() {
  // Barriers overtaking the inbox's backlog: handled now, between two buffers.
  std::vector<ChannelEvent> priority;
  gate_->pollPriority(priority);
  for (ChannelEvent& e : priority) handleEvent(e);
}

void Task::recordInFlight(const ChannelEvent& e) {
  if (e.kind == ChannelEvent::Kind::kEndOfPartition) return;
  const InputChannel& ch = channels_[e.channel];
  Status st = capture_->channel_state.add(e, ch.input, ch.edge, *ch.type);
  if (!st.isOk()) throw OperatorFailure(name_, "checkpoint " + std::to_string(capture_->id) + ": " + st.message());
}

void Task::checkCaptureComplete() {
  Capture& cap = *capture_;
  for (size_t c = 0; c < channels_.size(); ++c) {
    if (!ended_[c] && cap.barrier_seq[c] == kNotYet) return;
  }
  cap.snapshot[checkpointing_.channel_state_key].operator_state = cap.channel_state.finish();
  int64_t id = cap.id;
  TaskSnapshot snapshot = std::move(cap.snapshot);
  capture_.reset();
  if (checkpointing_.ack) checkpointing_.ack(id, std::move(snapshot));
}

void Task::applyValve(int input, const WatermarkValve::Emit& emit) {
  if (emit.watermark) head_inputs_[input]->emitWatermark(*emit.watermark);
  if (emit.status) head_inputs_[input]->emitWatermarkStatus(*emit.status);
}

void Task::runMails(std::vector<InputGate::Mail>& mails) {
  for (auto& m : mails) m();
  mails.clear();
}

void Task::finishChain() {
  // Flink finishes a chain from its head, so what an operator flushes reaches the next.
  for (auto& op : operators_) {
    StreamOperatorBase& o = *op;
    runAs(o, [&] { o.finish(); });
  }
}

}  // namespace eddy::runtime
