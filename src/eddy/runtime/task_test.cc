#include "eddy/runtime/task.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace eddy::runtime {
namespace {

using std::chrono::milliseconds;

TEST(IdleWaitTest, SleepsTheMaximumWhenNoTimerIsPending) {
  // kMaxTimestamp means "no timer": the wait must be the cap, not an overflow into the
  // past (which made idle tasks spin).
  EXPECT_EQ(idleWait(kMaxTimestamp, 1'700'000'000'000, milliseconds(50)), milliseconds(50));
}

TEST(IdleWaitTest, WakesForTheNextTimerAndNotAtAllWhenItIsDue) {
  EXPECT_EQ(idleWait(1'030, 1'000, milliseconds(50)), milliseconds(30));
  EXPECT_EQ(idleWait(1'000, 1'000, milliseconds(50)), milliseconds(0));
  EXPECT_EQ(idleWait(900, 1'000, milliseconds(50)), milliseconds(0));
  EXPECT_EQ(idleWait(1'051, 1'000, milliseconds(50)), milliseconds(50));
}

}  // namespace
}  // namespace eddy::runtime

namespace eddy::runtime {
namespace {

/// A task with two input channels of ints and no operators: what reaches its head input
/// and which checkpoints it acknowledges, in order.
class AlignmentTest : public ::testing::Test {
 protected:
  struct Log final : Output<int> {
    std::vector<std::string>* log;
    ManualClock* clock = nullptr;
    void collect(const StreamRecord<int>& r) override {
      log->push_back(std::to_string(r.value));
      if (r.value == 10 && clock != nullptr) clock->advance(Duration(5));  // Record 10 takes 5 ms.
    }
    void emitWatermark(Watermark) override {}
    void emitWatermarkStatus(WatermarkStatus) override {}
  };

  void SetUp() override {
    auto gate = std::make_unique<InputGate>(2, 64);
    gate_ = gate.get();
    task_ = std::make_unique<Task>("aligner", 0, clock_, std::move(gate));
    head_.log = &log_;
    head_.clock = &clock_;
    task_->setInputs({&head_}, {Task::InputChannel{&types_, 0, 0}, Task::InputChannel{&types_, 0, 0}});
    Task::CheckpointHooks hooks;
    hooks.ack = [this](int64_t id, Task::TaskSnapshot) { log_.push_back("ack " + std::to_string(id)); };
    endAsCheckpoint(hooks);
    task_->setCheckpointing(std::move(hooks));
  }
  /// The end state goes into checkpoint kFinal, whose outcome arrives as mail.
  void endAsCheckpoint(Task::CheckpointHooks& hooks) {
    hooks.end_checkpoint_id = [] { return kFinal; };
    hooks.ended = [this](int64_t id, Task::TaskSnapshot) {
      log_.push_back("ended " + std::to_string(id));
      gate_->post([this] { finalAnswer(); });
    };
  }
  void finalAnswer() {
    if (final_fails_) {
      task_->notifyCheckpointAborted(kFinal, Status::internal("disk full"), /*job_end=*/true);
    } else {
      log_.push_back("complete " + std::to_string(kFinal));
      task_->notifyCheckpointComplete(kFinal);
    }
  }
  void batch(int channel, int value) {
    ChannelEvent e;
    e.channel = channel;
    auto b = std::make_unique<Batch<int>>();
    b->records.push_back(StreamRecord<int>{value, 0});
    e.batch = std::move(b);
    gate_->push(std::move(e), nullptr);
  }
  void barrier(int channel, int64_t id) {
    ChannelEvent e;
    e.kind = ChannelEvent::Kind::kBarrier;
    e.channel = channel;
    e.checkpoint_id = id;
    gate_->push(std::move(e), nullptr);
  }
  void unalignedBarrier(int channel, int64_t id) {
    ChannelEvent e;
    e.kind = ChannelEvent::Kind::kBarrier;
    e.channel = channel;
    e.checkpoint_id = id;
    e.unaligned = true;
    gate_->push(std::move(e), nullptr);
  }
  void end(int channel) {
    ChannelEvent e;
    e.kind = ChannelEvent::Kind::kEndOfPartition;
    e.channel = channel;
    gate_->push(std::move(e), nullptr);
  }
  /// Everything is queued before the task runs, so the order below is the gate's order.
  std::vector<std::string> run() {
    std::string failed;
    Status st = task_->run(&failed);
    EXPECT_TRUE(st.isOk()) << st.toString();
    return log_;
  }

  static constexpr int64_t kFinal = 100;
  bool final_fails_ = false;
  ManualClock clock_;
  TypeOps<int> types_;
  InputGate* gate_ = nullptr;
  std::unique_ptr<Task> task_;
  Log head_;
  std::vector<std::string> log_;
};

TEST_F(AlignmentTest, AChannelPastTheBarrierWaitsUntilEveryChannelDeliveredIt) {
  batch(0, 1);
  barrier(0, 1);
  batch(0, 2);  // After the barrier on channel 0: must not be processed before the snapshot.
  batch(1, 10);
  barrier(1, 1);
  batch(1, 11);
  end(0);
  end(1);
  EXPECT_EQ(run(), (std::vector<std::string>{"1", "10", "ack 1", "2", "11", "ended 100", "complete 100"}));
  // Channel 0 waited while record 10 took 5 ms on channel 1 (Flink's checkpointAlignmentTime).
  EXPECT_EQ(task_->metrics().checkpoint_alignment_ns.get(), 5'000'000);
}

TEST_F(AlignmentTest, AnEndedChannelCountsAsAligned) {
  barrier(0, 3);
  batch(0, 1);
  batch(1, 7);
  end(1);
  end(0);
  EXPECT_EQ(run(), (std::vector<std::string>{"7", "ack 3", "1", "ended 100", "complete 100"}));
}

TEST_F(AlignmentTest, ANewerBarrierSubsumesTheCheckpointBeingAligned) {
  barrier(0, 1);
  batch(0, 1);  // Held for checkpoint 1 ...
  barrier(1, 2);  // ... which checkpoint 2 subsumes: 1 is released, 2 is aligned.
  batch(1, 5);    // Held for checkpoint 2.
  barrier(0, 2);
  barrier(1, 1);  // Stale: ignored.
  end(0);
  end(1);
  EXPECT_EQ(run(), (std::vector<std::string>{"1", "ack 2", "5", "ended 100", "complete 100"}));
}

TEST_F(AlignmentTest, AtLeastOnceCountsBarriersWithoutHoldingAnyChannel) {
  Task::CheckpointHooks hooks;
  hooks.mode = CheckpointingMode::kAtLeastOnce;
  hooks.ack = [this](int64_t id, Task::TaskSnapshot) { log_.push_back("ack " + std::to_string(id)); };
  endAsCheckpoint(hooks);
  task_->setCheckpointing(std::move(hooks));
  batch(0, 1);
  barrier(0, 1);
  batch(0, 2);  // Not held: goes into the state before checkpoint 1 is taken.
  batch(1, 10);
  barrier(1, 1);
  batch(1, 11);
  end(0);  // Ended: counts for checkpoint 2 on channel 0 ...
  barrier(1, 2);  // ... so channel 1's barrier completes it.
  end(1);
  EXPECT_EQ(run(), (std::vector<std::string>{"1", "2", "10", "ack 1", "11", "ack 2", "ended 100", "complete 100"}));
}

TEST_F(AlignmentTest, AnUnalignedBarrierSnapshotsAtOnceAndStoresWhatItOvertook) {
  Task::CheckpointHooks hooks;
  hooks.unaligned = true;
  hooks.channel_state_key = "channels";
  std::string channel_state;
  hooks.ack = [&](int64_t id, Task::TaskSnapshot snapshot) {
    log_.push_back("ack " + std::to_string(id));
    channel_state = snapshot["channels"].operator_state;
  };
  endAsCheckpoint(hooks);
  task_->setCheckpointing(std::move(hooks));
  batch(0, 1);
  batch(1, 10);
  unalignedBarrier(0, 1);  // Overtakes 1.
  batch(0, 2);             // After channel 0's barrier: not in flight.
  batch(1, 11);            // Before channel 1's barrier: in flight.
  unalignedBarrier(1, 1);  // Overtakes 10 and 11.
  batch(1, 12);
  end(0);
  end(1);
  // Both barriers jump the queue: the task snapshots before processing any record and
  // acknowledges at once, with the overtaken records as channel state.
  EXPECT_EQ(run(), (std::vector<std::string>{"ack 1", "1", "10", "2", "11", "12", "ended 100", "complete 100"}));
  StreamGraph graph;
  graph.edges.resize(1);
  graph.edges[0].type = std::make_shared<TypeOps<int>>();
  Result<RestoredChannelState> restored = restoreChannelState({channel_state}, 0, 1, 128, 1, graph, {0});
  ASSERT_TRUE(restored.isOk()) << restored.status().toString();
  std::vector<int> in_flight;
  for (const InflightEvent& e : restored->events) {
    for (const auto& r : static_cast<const Batch<int>&>(*e.batch).records) in_flight.push_back(r.value);
  }
  EXPECT_EQ(in_flight, (std::vector<int>{1, 10, 11}));
  EXPECT_EQ(task_->metrics().unaligned_checkpoints.get(), 1);
}

TEST_F(AlignmentTest, AFailedFinalCheckpointFailsTheTask) {
  final_fails_ = true;
  batch(0, 1);
  end(0);
  end(1);
  std::string failed;
  Status st = task_->run(&failed);
  EXPECT_FALSE(st.isOk());
  EXPECT_NE(st.message().find("the final checkpoint 100 failed: disk full"), std::string::npos) << st.toString();
  EXPECT_EQ(failed, "aligner");
}

}  // namespace
}  // namespace eddy::runtime
