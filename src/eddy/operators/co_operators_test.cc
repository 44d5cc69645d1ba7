#include "eddy/operators/co_operators.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "eddy/operators/testing/operator_harness.h"

namespace eddy::operators {
namespace {

using testing::OperatorHarness;
using Rec = runtime::StreamRecord<std::string>;
using Event = std::pair<std::string, int64_t>;  // (key, amount)

// ---- Two-input event time: min over active inputs, idle inputs do not hold it back.

struct PassThrough {
  std::string map1(const std::string& s) const { return "1:" + s; }
  std::string map2(const int64_t& v) const { return "2:" + std::to_string(v); }
};

TEST(TwoInputOperatorTest, EventTimeIsTheMinimumOfBothInputs) {
  OperatorHarness<std::string> h(std::make_unique<CoStreamMap<std::string, int64_t, std::string, PassThrough>>(PassThrough{}));
  auto& op = h.as<runtime::TwoInputStreamOperator<std::string, int64_t, std::string>>();
  op.processWatermark1(runtime::Watermark{10});
  EXPECT_TRUE(h.watermarks().empty());  // Input 2 has not advanced yet.
  op.processWatermark2(runtime::Watermark{5});
  op.processWatermark2(runtime::Watermark{20});
  op.processWatermark1(runtime::Watermark{15});
  EXPECT_EQ(h.watermarks(), (std::vector<Timestamp>{5, 10, 15}));
}

TEST(TwoInputOperatorTest, AnIdleInputDoesNotHoldBackEventTime) {
  OperatorHarness<std::string> h(std::make_unique<CoStreamMap<std::string, int64_t, std::string, PassThrough>>(PassThrough{}));
  auto& op = h.as<runtime::TwoInputStreamOperator<std::string, int64_t, std::string>>();
  op.processWatermark1(runtime::Watermark{10});
  op.processWatermarkStatus2(runtime::WatermarkStatus::kIdle);
  EXPECT_EQ(h.watermarks(), (std::vector<Timestamp>{10}));
  op.processWatermark1(runtime::Watermark{30});
  op.processWatermarkStatus2(runtime::WatermarkStatus::kActive);  // Back at its old watermark (min).
  op.processWatermark2(runtime::Watermark{25});
  EXPECT_EQ(h.watermarks(), (std::vector<Timestamp>{10, 30}));  // Never goes back.
  op.processWatermark2(runtime::Watermark{40});
  EXPECT_EQ(h.watermarks(), (std::vector<Timestamp>{10, 30}));
  op.processWatermark1(runtime::Watermark{50});
  EXPECT_EQ(h.watermarks(), (std::vector<Timestamp>{10, 30, 40}));
}

TEST(CoStreamMapTest, EachInputHasItsOwnFunctionAndKeepsItsTimestamp) {
  OperatorHarness<std::string> h(std::make_unique<CoStreamMap<std::string, int64_t, std::string, PassThrough>>(PassThrough{}));
  auto& op = h.as<runtime::TwoInputStreamOperator<std::string, int64_t, std::string>>();
  op.processElement1(Rec{"a", 7});
  op.processElement2(runtime::StreamRecord<int64_t>{42, 9});
  ASSERT_EQ(h.output().size(), 2u);
  EXPECT_EQ(h.output()[0].value, "1:a");
  EXPECT_EQ(h.output()[0].timestamp, 7);
  EXPECT_EQ(h.output()[1].value, "2:42");
  EXPECT_EQ(h.output()[1].timestamp, 9);
}

// ---- KeyedCoProcess: an order/payment match with a timeout, Flink training style.

class MatchOrders final : public KeyedCoProcessFunction<std::string, Event, Event, std::string> {
 public:
  void open() override {
    order_ = &getRuntimeContext().getState(state::ValueStateDescriptor<int64_t>("order"));
    paid_ = &getRuntimeContext().getState(state::ValueStateDescriptor<int64_t>("paid"));
  }
  void processElement1(const Event& order, Context& ctx, Collector<std::string>& out) override {
    if (auto p = paid_->value()) {
      out.collect(ctx.getCurrentKey() + " matched " + std::to_string(order.second) + "/" + std::to_string(*p));
      paid_->clear();
      return;
    }
    order_->update(order.second);
    ctx.timerService().registerEventTimeTimer(*ctx.timestamp() + 100);
  }
  void processElement2(const Event& payment, Context& ctx, Collector<std::string>& out) override {
    if (auto o = order_->value()) {
      out.collect(ctx.getCurrentKey() + " matched " + std::to_string(*o) + "/" + std::to_string(payment.second));
      order_->clear();
      return;
    }
    paid_->update(payment.second);
  }
  void onTimer(Timestamp t, OnTimerContext& ctx, Collector<std::string>& out) override {
    if (order_->value()) out.collect(ctx.getCurrentKey() + " unpaid at " + std::to_string(t));
    order_->clear();
  }

 private:
  state::ValueState<int64_t>* order_ = nullptr;
  state::ValueState<int64_t>* paid_ = nullptr;
};

TEST(KeyedCoProcessOperatorTest, BothInputsShareKeyedStateAndTimersFireOnTheCombinedWatermark) {
  auto key = [](const Event& e) { return e.first; };
  using Op = KeyedCoProcessOperator<std::string, Event, Event, std::string, MatchOrders>;
  OperatorHarness<std::string> h(std::make_unique<Op>(MatchOrders{}, key, key));
  auto& op = h.as<Op>();
  op.processElement1({Event{"o1", 50}, 1000});
  op.processElement1({Event{"o2", 70}, 1010});
  op.processElement2({Event{"o1", 50}, 1020});
  op.processElement2({Event{"o3", 9}, 1030});  // Paid before ordered.
  op.processElement1({Event{"o3", 9}, 1040});
  EXPECT_EQ(h.values(), (std::vector<std::string>{"o1 matched 50/50", "o3 matched 9/9"}));
  h.clearOutput();
  op.processWatermark1(runtime::Watermark{2000});
  EXPECT_TRUE(h.values().empty());  // Input 2 is still at the start of time.
  op.processWatermark2(runtime::Watermark{1200});
  ASSERT_EQ(h.values(), (std::vector<std::string>{"o2 unpaid at 1110"}));
  EXPECT_EQ(h.output()[0].timestamp, 1110);  // Event-time timer output carries the timer's time.
}

// ---- Broadcast state: rules broadcast to every instance, read-only on the data side.

using Rule = std::pair<std::string, int64_t>;  // (key, threshold)
const state::MapStateDescriptor<std::string, int64_t> kRules("rules");

class Thresholds final : public KeyedBroadcastProcessFunction<std::string, Event, Rule, std::string> {
 public:
  void open() override { seen_ = &getRuntimeContext().getState(state::ValueStateDescriptor<int64_t>("seen")); }
  void processElement(const Event& e, ReadOnlyContext& ctx, Collector<std::string>& out) override {
    seen_->update(seen_->value().value_or(0) + 1);
    auto limit = ctx.getBroadcastState(kRules).get(e.first);
    if (limit && e.second > *limit) out.collect("alert " + e.first + " " + std::to_string(e.second));
  }
  void processBroadcastElement(const Rule& r, Context& ctx, Collector<std::string>& out) override {
    ctx.getBroadcastState(kRules).put(r.first, r.second);
    // Report how many events each key has seen so far, and start counting afresh.
    ctx.applyToKeyedState(state::ValueStateDescriptor<int64_t>("seen"),
                          [&](const std::string& key, state::ValueState<int64_t>& seen) {
                            out.collect("seen " + key + " " + std::to_string(seen.value().value_or(0)));
                            seen.clear();
                          });
  }

 private:
  state::ValueState<int64_t>* seen_ = nullptr;
};

TEST(CoBroadcastWithKeyedOperatorTest, RulesApplyToLaterEventsAndApplyToKeyedStateVisitsEveryKey) {
  using Op = CoBroadcastWithKeyedOperator<std::string, Event, Rule, std::string, Thresholds>;
  OperatorHarness<std::string> h(
      std::make_unique<Op>(Thresholds{}, [](const Event& e) { return e.first; }, std::vector<std::string>{"rules"}));
  auto& op = h.as<Op>();
  op.processElement1({Event{"a", 500}, 1});  // No rule yet.
  op.processElement1({Event{"b", 5}, 2});
  op.processElement1({Event{"a", 5}, 3});
  op.processElement2({Rule{"a", 100}, 4});
  std::vector<std::string> out = h.values();
  std::sort(out.begin(), out.end());  // Keys are visited in no particular order.
  EXPECT_EQ(out, (std::vector<std::string>{"seen a 2", "seen b 1"}));
  h.clearOutput();
  op.processElement1({Event{"a", 500}, 5});
  op.processElement1({Event{"a", 50}, 6});
  op.processElement1({Event{"b", 500}, 7});  // No rule for b.
  EXPECT_EQ(h.values(), (std::vector<std::string>{"alert a 500"}));
}

TEST(CoBroadcastWithKeyedOperatorTest, BroadcastAndKeyedStateSurviveRescaling) {
  using Op = CoBroadcastWithKeyedOperator<std::string, Event, Rule, std::string, Thresholds>;
  auto make = [] {
    return std::make_unique<Op>(Thresholds{}, [](const Event& e) { return e.first; }, std::vector<std::string>{"rules"});
  };
  OperatorHarness<std::string> before(make());
  before.as<Op>().processElement2({Rule{"a", 100}, 1});
  before.as<Op>().processElement2({Rule{"b", 10}, 2});
  for (const char* k : {"a", "b", "c", "a"}) before.as<Op>().processElement1({Event{k, 1}, 3});
  auto snap = before.as<Op>().snapshotState(1);
  ASSERT_TRUE(snap.isOk()) << snap.status().toString();
  std::vector<std::string> alerts, seen;
  for (int i = 0; i < 2; ++i) {
    OperatorHarness<std::string> after(make(), i, 2, {*snap});
    for (const char* k : {"a", "b"}) {
      int kg = keyGroupForHash(KeyHash<std::string>()(k), 128);
      if (operatorIndexForKeyGroup(kg, 128, 2) == i) after.as<Op>().processElement1({Event{k, 500}, 4});
    }
    after.as<Op>().processElement2({Rule{"z", 1}, 5});  // Reports every key's count.
    for (auto& v : after.values()) (v.rfind("alert", 0) == 0 ? alerts : seen).push_back(v);
  }
  std::sort(alerts.begin(), alerts.end());
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(alerts, (std::vector<std::string>{"alert a 500", "alert b 500"}));  // Rules came back.
  EXPECT_EQ(seen, (std::vector<std::string>{"seen a 3", "seen b 2", "seen c 1"}));  // Counts too.
}

class Undeclared final : public BroadcastProcessFunction<std::string, Rule, std::string> {
 public:
  void processElement(const std::string&, ReadOnlyContext& ctx, Collector<std::string>&) override {
    ctx.getBroadcastState(state::MapStateDescriptor<std::string, int64_t>("typo"));
  }
  void processBroadcastElement(const Rule&, Context&, Collector<std::string>&) override {}
};

TEST(CoBroadcastWithNonKeyedOperatorTest, AskingForAnUndeclaredBroadcastStateIsAnError) {
  using Op = CoBroadcastWithNonKeyedOperator<std::string, Rule, std::string, Undeclared>;
  OperatorHarness<std::string> h(std::make_unique<Op>(Undeclared{}, std::vector<std::string>{"rules"}));
  try {
    h.as<Op>().processElement1(Rec{"x", 1});
    FAIL() << "expected an error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'typo' does not exist"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace eddy::operators
