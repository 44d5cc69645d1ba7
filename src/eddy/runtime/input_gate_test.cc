#include "eddy/runtime/input_gate.h"

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

}  // namespace
}  // namespace eddy::runtime
