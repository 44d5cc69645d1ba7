#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "eddy/api/eddy.h"
#include "eddy/api/testing_util.h"

namespace eddy {
namespace {

using api::testing::collect;
using api::testing::sorted;

using Event = std::pair<std::string, int64_t>;  // (key, amount); the event time is the amount.

/// A bounded stream of events with event time = amount and no watermarks before the end,
/// so timers fire once both inputs are read whatever the interleaving.
DataStream<Event> events(StreamExecutionEnvironment& env, std::vector<Event> v) {
  auto s = env.fromSource<Event>(std::make_shared<CollectionSource<Event>>(std::move(v)),
                                 WatermarkStrategy<Event>::noWatermarks().withTimestampAssigner(
                                     [](const Event& e, Timestamp) { return e.second; }),
                                 "events");
  s.setParallelism(1);
  return s;
}

struct Describe {
  std::string map1(const Event& e) const { return "event " + e.first; }
  std::string map2(const int& n) const { return "number " + std::to_string(n); }
};

TEST(ConnectedStreams, CoMapAndCoFlatMapSeeEveryRecordOfBothInputs) {
  StreamExecutionEnvironment env;
  env.setParallelism(2);
  auto first = events(env, {{"a", 1}, {"b", 2}});
  auto second = env.fromElements({7, 8, 9});
  auto mapped = collect(DataStream<std::string>(first.connect(second).map(Describe{})));
  struct Split {
    void flatMap1(const Event& e, Collector<std::string>& out) const {
      for (char c : e.first) out.collect(std::string(1, c));
    }
    void flatMap2(const int& n, Collector<std::string>& out) const {
      for (int i = 0; i < n % 3; ++i) out.collect("n" + std::to_string(n));
    }
  };
  auto flat = collect(DataStream<std::string>(first.connect(second).flatMap<std::string>(Split{})));
  JobExecutionResult r = env.execute("co-map");
  ASSERT_TRUE(r.isOk()) << r.status.toString();
  EXPECT_EQ(sorted(mapped->values),
            (std::vector<std::string>{"event a", "event b", "number 7", "number 8", "number 9"}));
  EXPECT_EQ(sorted(flat->values), (std::vector<std::string>{"a", "b", "n7", "n8", "n8"}));
}

class MatchOrders final : public KeyedCoProcessFunction<std::string, Event, Event, std::string> {
 public:
  void open() override {
    order_ = &getRuntimeContext().getState(ValueStateDescriptor<int64_t>("order"));
    paid_ = &getRuntimeContext().getState(ValueStateDescriptor<int64_t>("paid"));
  }
  void processElement1(const Event& order, Context& ctx, Collector<std::string>& out) override {
    if (paid_->value()) {
      out.collect(ctx.getCurrentKey() + " paid (subtask " + subtask() + ")");
      paid_->clear();
      return;
    }
    order_->update(order.second);
    ctx.timerService().registerEventTimeTimer(order.second + 100);
  }
  void processElement2(const Event& payment, Context& ctx, Collector<std::string>& out) override {
    if (order_->value()) {
      out.collect(ctx.getCurrentKey() + " paid (subtask " + subtask() + ")");
      order_->clear();
      return;
    }
    paid_->update(payment.second);
  }
  void onTimer(Timestamp, OnTimerContext& ctx, Collector<std::string>& out) override {
    if (order_->value()) out.collect(ctx.getCurrentKey() + " unpaid");
    order_->clear();
  }

 private:
  std::string subtask() { return std::to_string(getRuntimeContext().getIndexOfThisSubtask()); }
  ValueState<int64_t>* order_ = nullptr;
  ValueState<int64_t>* paid_ = nullptr;
};

TEST(ConnectedStreams, KeyedCoProcessMeetsBothInputsOfAKeyInOneSubtask) {
  StreamExecutionEnvironment env;
  env.setParallelism(2);
  std::vector<Event> orders, payments;
  for (int i = 0; i < 40; ++i) orders.push_back({"o" + std::to_string(i), i});
  for (int i = 0; i < 40; i += 2) payments.push_back({"o" + std::to_string(i), 1000 + i});
  auto key = [](const Event& e) { return e.first; };
  auto via_connect_keyBy = collect(DataStream<std::string>(
      events(env, orders).connect(events(env, payments)).keyBy(key, key).process(MatchOrders{})));
  auto via_keyed_connect = collect(DataStream<std::string>(
      events(env, orders).keyBy(key).connect(events(env, payments).keyBy(key)).process(MatchOrders{})));
  JobExecutionResult r = env.execute("keyed co-process");
  ASSERT_TRUE(r.isOk()) << r.status.toString();
  for (auto* out : {via_connect_keyBy.get(), via_keyed_connect.get()}) {
    ASSERT_EQ(out->values.size(), 40u);
    std::map<std::string, std::string> by_key;
    for (const std::string& line : out->values) by_key[line.substr(0, line.find(' '))] = line;
    for (int i = 0; i < 40; ++i) {
      std::string k = "o" + std::to_string(i);
      if (i % 2 == 1) {
        EXPECT_EQ(by_key[k], k + " unpaid");
      } else {
        // Both inputs of a key reach the subtask that owns the key's key group.
        int subtask = operatorIndexForKeyGroup(keyGroupForHash(KeyHash<std::string>()(k), 128), 128, 2);
        EXPECT_EQ(by_key[k], k + " paid (subtask " + std::to_string(subtask) + ")");
      }
    }
  }
}

using Rule = std::pair<std::string, int64_t>;  // (key, limit)
const MapStateDescriptor<std::string, int64_t> kRules("rules");

class RuleCopies final : public BroadcastProcessFunction<Event, Rule, std::string> {
 public:
  void processElement(const Event&, ReadOnlyContext&, Collector<std::string>&) override {}
  void processBroadcastElement(const Rule& r, Context& ctx, Collector<std::string>& out) override {
    ctx.getBroadcastState(kRules).put(r.first, r.second);
    out.collect(std::to_string(getRuntimeContext().getIndexOfThisSubtask()) + ":" + r.first + ":" +
                std::to_string(ctx.getBroadcastState(kRules).size()));
  }
};

TEST(BroadcastStream, EveryParallelInstanceReceivesEveryBroadcastRecord) {
  StreamExecutionEnvironment env;
  env.setParallelism(3);
  auto rules = env.fromElements<Rule>({{"a", 1}, {"b", 2}});
  auto out = collect(DataStream<std::string>(events(env, {{"x", 1}}).rebalance().connect(rules.broadcast(kRules)).process(RuleCopies{})));
  JobExecutionResult r = env.execute("broadcast");
  ASSERT_TRUE(r.isOk()) << r.status.toString();
  EXPECT_EQ(sorted(out->values),
            (std::vector<std::string>{"0:a:1", "0:b:2", "1:a:1", "1:b:2", "2:a:1", "2:b:2"}));
}

class Limits final : public KeyedBroadcastProcessFunction<std::string, Event, Rule, std::string> {
 public:
  void open() override { max_ = &getRuntimeContext().getState(ValueStateDescriptor<int64_t>("max")); }
  void processElement(const Event& e, ReadOnlyContext& ctx, Collector<std::string>&) override {
    max_->update(std::max(max_->value().value_or(0), e.second));
    ctx.timerService().registerEventTimeTimer(kMaxTimestamp - 1);  // Once both inputs are read.
  }
  void processBroadcastElement(const Rule& r, Context& ctx, Collector<std::string>&) override {
    ctx.getBroadcastState(kRules).put(r.first, r.second);
  }
  void onTimer(Timestamp, OnTimerContext& ctx, Collector<std::string>& out) override {
    auto limit = ctx.getBroadcastState(kRules).get(ctx.getCurrentKey());
    if (limit && *max_->value() > *limit) out.collect(ctx.getCurrentKey() + " over " + std::to_string(*limit));
  }

 private:
  ValueState<int64_t>* max_ = nullptr;
};

TEST(BroadcastStream, KeyedBroadcastProcessReadsRulesFromEverySubtask) {
  StreamExecutionEnvironment env;
  env.setParallelism(2);
  std::vector<Event> data;
  for (int i = 0; i < 30; ++i) data.push_back({"k" + std::to_string(i % 6), i * 10});
  std::vector<Rule> limits;
  for (int k = 0; k < 6; ++k) limits.push_back({"k" + std::to_string(k), 200 + k * 10});
  auto out = collect(DataStream<std::string>(events(env, data)
                                                 .keyBy([](const Event& e) { return e.first; })
                                                 .connect(env.fromCollection(limits).broadcast(kRules))
                                                 .process(Limits{})));
  JobExecutionResult r = env.execute("keyed broadcast");
  ASSERT_TRUE(r.isOk()) << r.status.toString();
  // Max of key k is 240 + 10k (i = 24 + k); its limit is 200 + 10k: every key is over.
  // Keys 0..5 all exceed; check the limits came from the right rule per key.
  EXPECT_EQ(sorted(out->values), (std::vector<std::string>{"k0 over 200", "k1 over 210", "k2 over 220",
                                                           "k3 over 230", "k4 over 240", "k5 over 250"}));
}

}  // namespace
}  // namespace eddy
