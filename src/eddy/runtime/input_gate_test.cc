#include "eddy/runtime/input_gate.h"

#include "eddy/runtime/record_writer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace eddy::runtime {
namespace {

ChannelEvent batchOn(int channel) {
  ChannelEvent e;
  e.kind = ChannelEvent::Kind::kBatch;
  e.channel = channel;
  e.batch = std::make_unique<Batch<int>>();
  return e;
}

TEST(InputGate, FullChannelBlocksItsProducerUntilTheTaskTakesBuffers) {
  InputGate gate(2, 2);
  ASSERT_TRUE(gate.push(batchOn(0)));
  ASSERT_TRUE(gate.push(batchOn(0)));
  ASSERT_TRUE(gate.push(batchOn(1)));  // Another channel is not held back.
  std::atomic<bool> pushed{false};
  std::thread producer([&] {
    EXPECT_TRUE(gate.push(batchOn(0)));
    pushed = true;
  });
  std::vector<ChannelEvent> events;
  std::vector<InputGate::Mail> mails;
  EXPECT_FALSE(pushed.load());
  gate.poll(events, mails, false, {});
  EXPECT_EQ(events.size(), 3u);
  producer.join();
  EXPECT_TRUE(pushed.load());
}

// A record that is itself a buffer of rows, as a SQL RecordBatch is.
struct RowsBatch {
  static constexpr size_t kRecordsPerBuffer = 1;
  std::vector<int> rows;
};

TEST(InputGate, ABatchOfRowsIsABufferOnItsOwnSoBackpressureBoundsTheRowsInFlight) {
  InputGate gate(1, 2);
  RecordWriter<RowsBatch> writer(nullptr, {ChannelTarget{&gate, 0}}, nullptr);
  writer.collect(StreamRecord<RowsBatch>{RowsBatch{{1, 2, 3}}, kNoTimestamp});
  writer.collect(StreamRecord<RowsBatch>{RowsBatch{{4}}, kNoTimestamp});
  // Two buffers are queued (not two records in one unsent buffer): the third blocks.
  std::atomic<bool> pushed{false};
  std::thread producer([&] {
    writer.collect(StreamRecord<RowsBatch>{RowsBatch{{5}}, kNoTimestamp});
    pushed = true;
  });
  std::vector<ChannelEvent> events;
  std::vector<InputGate::Mail> mails;
  EXPECT_FALSE(pushed.load());
  gate.poll(events, mails, false, {});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].batch->numRecords(), 1u);
  producer.join();
  EXPECT_TRUE(pushed.load());
  // Small records still share a buffer.
  EXPECT_GT(batchCapacity<int>(), 16u);
}

TEST(InputGate, CancelReleasesBlockedProducersAndFailsTheirPush) {
  InputGate gate(1, 1);
  ASSERT_TRUE(gate.push(batchOn(0)));
  std::thread producer([&] { EXPECT_FALSE(gate.push(batchOn(0))); });
  gate.cancel();
  producer.join();
  EXPECT_TRUE(gate.isCancelled());
}

TEST(InputGate, MailsArriveWithEvents) {
  InputGate gate(1, 4);
  int ran = 0;
  gate.post([&] { ++ran; });
  std::vector<ChannelEvent> events;
  std::vector<InputGate::Mail> mails;
  gate.poll(events, mails, true, std::chrono::steady_clock::now() + std::chrono::seconds(5));
  ASSERT_EQ(mails.size(), 1u);
  mails[0]();
  EXPECT_EQ(ran, 1);
}

ChannelEvent barrierOn(int channel, int64_t id, bool unaligned) {
  ChannelEvent e;
  e.kind = ChannelEvent::Kind::kBarrier;
  e.channel = channel;
  e.checkpoint_id = id;
  e.unaligned = unaligned;
  return e;
}

TEST(InputGate, UnalignedBarriersOvertakeQueuedEventsAndCountThem) {
  InputGate gate(2, 8);
  ASSERT_TRUE(gate.push(batchOn(0)));
  ASSERT_TRUE(gate.push(batchOn(1)));
  ASSERT_TRUE(gate.push(batchOn(0)));
  ASSERT_TRUE(gate.push(barrierOn(0, 7, /*unaligned=*/true)));
  ASSERT_TRUE(gate.push(barrierOn(1, 7, /*unaligned=*/true)));
  ASSERT_TRUE(gate.push(batchOn(0)));
  ASSERT_TRUE(gate.push(barrierOn(1, 8, /*unaligned=*/false)));
  std::vector<ChannelEvent> events;
  std::vector<InputGate::Mail> mails;
  gate.poll(events, mails, false, {});
  ASSERT_EQ(events.size(), 7u);
  // Both unaligned barriers first, in push order, each counting the events of its
  // channel pushed before it; the aligned one keeps its place.
  EXPECT_EQ(events[0].kind, ChannelEvent::Kind::kBarrier);
  EXPECT_EQ(events[0].channel, 0);
  EXPECT_EQ(events[0].seq, 2u);
  EXPECT_EQ(events[1].channel, 1);
  EXPECT_EQ(events[1].seq, 1u);
  std::vector<std::pair<int, uint64_t>> rest;
  for (size_t i = 2; i < events.size(); ++i) rest.emplace_back(events[i].channel, events[i].seq);
  EXPECT_EQ(rest, (std::vector<std::pair<int, uint64_t>>{{0, 0}, {1, 0}, {0, 1}, {0, 2}, {1, 1}}));
  EXPECT_EQ(events.back().kind, ChannelEvent::Kind::kBarrier);
}

}  // namespace
}  // namespace eddy::runtime
