#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <tuple>

#include "eddy/api/eddy.h"
#include "eddy/api/testing_util.h"

namespace eddy {
namespace {

using api::testing::collect;
using api::testing::sorted;

TEST(DataStream, MapFilterFlatMapChainAndRunToTheEnd) {
  StreamExecutionEnvironment env;
  auto out = collect(env.fromElements({1, 2, 3, 4, 5})
                         .map([](const int& x) { return x * 10; })
                         .filter([](const int& x) { return x != 30; })
                         .flatMap<std::string>([](const int& x, Collector<std::string>& c) {
                           c.collect(std::to_string(x));
                           c.collect("+");
                         }));
  JobExecutionResult r = env.execute("chain");
  ASSERT_TRUE(r.isOk()) << r.status.toString();
  EXPECT_EQ(out->values, (std::vector<std::string>{"10", "+", "20", "+", "40", "+", "50", "+"}));
  EXPECT_EQ(r.numRecordsIn("Filter"), 5);
  EXPECT_EQ(r.numRecordsOut("Filter"), 4);
}

TEST(DataStream, KeyByRoutesEqualKeysToOneSubtaskAndRollingSumsPerKey) {
  StreamExecutionEnvironment env;
  env.setParallelism(3);
  std::vector<std::pair<std::string, int>> input;
  for (int i = 0; i < 300; ++i) input.push_back({"k" + std::to_string(i % 7), 1});
  struct WithSubtask : ProcessFunction<std::pair<std::string, int>, std::pair<std::string, int>> {
    void processElement(const std::pair<std::string, int>& v, Context&,
                        Collector<std::pair<std::string, int>>& out) override {
      out.collect({v.first, getRuntimeContext().getIndexOfThisSubtask()});
    }
  };
  auto keyed = env.fromCollection(input).keyBy([](const std::pair<std::string, int>& p) { return p.first; });
  auto sums = collect(DataStream<std::pair<std::string, int>>(keyed.reduce(
      [](const std::pair<std::string, int>& a, const std::pair<std::string, int>& b) {
        return std::pair<std::string, int>{a.first, a.second + b.second};
      })));
  auto subtasks = collect(DataStream<std::pair<std::string, int>>(
      env.fromCollection(input).keyBy([](const std::pair<std::string, int>& p) { return p.first; }).process(
          [] {
            struct Fn : KeyedProcessFunction<std::string, std::pair<std::string, int>, std::pair<std::string, int>> {
              void processElement(const std::pair<std::string, int>& v, Context&,
                                  Collector<std::pair<std::string, int>>& out) override {
                out.collect({v.first, getRuntimeContext().getIndexOfThisSubtask()});
              }
            };
            return Fn{};
          }())));
  JobExecutionResult r = env.execute();
  ASSERT_TRUE(r.isOk()) << r.status.toString();
  std::map<std::string, int> max_sum;
  for (auto& [k, v] : sums->values) max_sum[k] = std::max(max_sum[k], v);
  EXPECT_EQ(max_sum.size(), 7u);
  for (auto& [k, v] : max_sum) EXPECT_EQ(v, k == "k6" ? 42 : 43) << k;  // 300 = 7 * 42 + 6.
  std::map<std::string, std::set<int>> owners;
  for (auto& [k, s] : subtasks->values) owners[k].insert(s);
  for (auto& [k, s] : owners) {
    EXPECT_EQ(s.size(), 1u) << k;
    int kg = keyGroupForHash(KeyHash<std::string>()(k), 128);
    EXPECT_EQ(*s.begin(), operatorIndexForKeyGroup(kg, 128, 3)) << k;
  }
}

struct Event {
  std::string key;
  int64_t ts;
  int value;
  bool operator<(const Event& o) const { return std::tie(key, ts, value) < std::tie(o.key, o.ts, o.value); }
};

using Punctuated = operators::PunctuatedBoundedOutOfOrderness<Event>;

SingleOutputStreamOperator<Event> events(StreamExecutionEnvironment& env, std::vector<Event> input, int64_t delay) {
  auto strategy = WatermarkStrategy<Event>::forGenerator([delay] { return std::make_unique<Punctuated>(delay); })
                      .withTimestampAssigner([](const Event& e) { return e.ts; });
  auto s = env.fromSource<Event>(std::make_shared<CollectionSource<Event>>(std::move(input)), strategy, "events");
  s.setParallelism(1);
  return s;
}

TEST(KeyedProcessFunction, EventTimeTimersFireOnWatermarkWithStateOfTheirKey) {
  StreamExecutionEnvironment env;
  env.setParallelism(2);
  struct CountThenReport : KeyedProcessFunction<std::string, Event, std::string> {
    ValueState<int>* count = nullptr;
    void open() override { count = &getRuntimeContext().getState(ValueStateDescriptor<int>("count")); }
    void processElement(const Event& e, Context& ctx, Collector<std::string>&) override {
      count->update(count->value().value_or(0) + 1);
      ctx.timerService().registerEventTimeTimer(e.ts + 100);
    }
    void onTimer(Timestamp t, OnTimerContext& ctx, Collector<std::string>& out) override {
      out.collect(ctx.getCurrentKey() + "@" + std::to_string(t) + "=" + std::to_string(*count->value()));
    }
  };
  auto out = collect(DataStream<std::string>(
      events(env, {{"a", 1000, 1}, {"b", 1010, 1}, {"a", 1050, 1}, {"a", 1200, 1}}, 0)
          .keyBy([](const Event& e) { return e.key; })
          .process(CountThenReport{})));
  auto r = env.execute();
  ASSERT_TRUE(r.isOk()) << r.status.toString();
  // The timers at 1100 and 1150 fire on the watermark 1199 that follows the record at
  // 1200, so "a" has counted 3 by then; "b" fires with its own count.
  EXPECT_EQ(sorted(out->values), (std::vector<std::string>{"a@1100=3", "a@1150=3", "a@1300=3", "b@1110=1"}));
}

TEST(DataStream, FailingUserFunctionFailsTheJobNamingTheOperator) {
  StreamExecutionEnvironment env;
  env.setParallelism(2);
  std::vector<int> input(10000);
  for (int i = 0; i < 10000; ++i) input[i] = i;
  collect(DataStream<int>(env.fromCollection(input)
                              .rebalance()
                              .map([](const int& x) {
                                if (x == 5000) throw std::runtime_error("boom at 5000");
                                return x;
                              })
                              .name("exploding map")));
  auto r = env.execute();
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status.message(), "boom at 5000");
  EXPECT_EQ(r.failed_operator, "exploding map");
}

TEST(DataStream, SideOutputsAndUnion) {
  StreamExecutionEnvironment env;
  OutputTag<std::string> odd("odd");
  struct Split : ProcessFunction<int, int> {
    OutputTag<std::string> tag{"odd"};
    void processElement(const int& v, Context& ctx, Collector<int>& out) override {
      if (v % 2) {
        ctx.output(tag, "odd " + std::to_string(v));
      } else {
        out.collect(v);
      }
    }
  };
  auto main = env.fromElements({1, 2, 3, 4}).process(Split{});
  auto evens = collect(DataStream<int>(main.union_(env.fromElements({100}))));
  auto odds = collect(main.getSideOutput(odd));
  auto r = env.execute();
  ASSERT_TRUE(r.isOk()) << r.status.toString();
  EXPECT_EQ(sorted(evens->values), (std::vector<int>{2, 4, 100}));
  EXPECT_EQ(odds->values, (std::vector<std::string>{"odd 1", "odd 3"}));
}

TEST(DataStream, ForwardBetweenDifferentParallelismsIsRefused) {
  StreamExecutionEnvironment env;
  auto s = env.fromElements({1, 2}).forward().map([](const int& x) { return x; });
  s.setParallelism(2);
  auto r = env.execute();
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.status.message().find("Forward partitioning does not allow change of parallelism"), std::string::npos);
}

TEST(DataStream, ChainsForwardOperatorsIntoOneTask) {
  StreamExecutionEnvironment env;
  env.fromElements({1}).map([](const int& x) { return x; }).filter([](const int&) { return true; }).print();
  std::string plan = env.getExecutionPlan();
  EXPECT_EQ(plan, "Source: Collection Source -> Map -> Filter -> Sink: Print to Std. Out (parallelism 1)\n");
}

}  // namespace
}  // namespace eddy

namespace eddy {
namespace {

TEST(Sinks, WriteAsCsvWritesTupleFieldsAsFlinkPrintsThem) {
  namespace fs = std::filesystem;
  fs::path dir = api::testing::scratchDir("csv_sink");
  fs::create_directories(dir);
  StreamExecutionEnvironment env;
  auto rows = env.fromElements<std::tuple<std::string, int64_t, double>>({{"a", 1, 0.5}, {"b", -2, 1e21}, {"c", 3, 2.0}});
  rows.writeAsCsv((dir / "out.csv").string());
  rows.writeAsCsv((dir / "out.tsv").string(), "\t");
  rows.rebalance().map([](const std::tuple<std::string, int64_t, double>& t) { return t; })
      .setParallelism(2)
      .writeAsCsv((dir / "parallel").string())
      .setParallelism(2);
  JobExecutionResult r = env.execute("csv");
  ASSERT_TRUE(r.isOk()) << r.status.toString();
  auto read = [](const fs::path& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  };
  EXPECT_EQ(read(dir / "out.csv"), "a,1,0.5\nb,-2,1.0E21\nc,3,2.0\n");
  EXPECT_EQ(read(dir / "out.tsv"), "a\t1\t0.5\nb\t-2\t1.0E21\nc\t3\t2.0\n");
  std::string both = read(dir / "parallel" / "1") + read(dir / "parallel" / "2");
  EXPECT_EQ(both.size(), std::string("a,1,0.5\nb,-2,1.0E21\nc,3,2.0\n").size());
  fs::remove_all(dir);
}

class CountingFn final : public ProcessFunction<int, int> {
 public:
  void open() override { getRuntimeContext().addAccumulator("records", &records_); }
  void processElement(const int& v, Context&, Collector<int>& out) override {
    records_.add(1);
    if (v % 2 == 0) getRuntimeContext().getIntCounter("evens").add(1);
    getRuntimeContext().getHistogram("last-digit").add(v % 10);
    out.collect(v);
  }

 private:
  LongCounter records_;
};

TEST(Accumulators, AreMergedOverSubtasksIntoTheJobResult) {
  StreamExecutionEnvironment env;
  env.setParallelism(3);
  std::vector<int> input;
  for (int i = 0; i < 300; ++i) input.push_back(i);
  env.fromCollection(input).rebalance().process(CountingFn{}).addSink(DiscardingSink<int>(), "discard");
  JobExecutionResult r = env.execute("accumulators");
  ASSERT_TRUE(r.isOk()) << r.status.toString();
  EXPECT_EQ(r.getAccumulatorResult<int64_t>("records"), 300);
  EXPECT_EQ(r.getAccumulatorResult<int32_t>("evens"), 150);
  auto histogram = r.getAccumulatorResult<std::map<int32_t, int32_t>>("last-digit");
  ASSERT_TRUE(histogram.has_value());
  EXPECT_EQ(histogram->size(), 10u);
  EXPECT_EQ(histogram->at(7), 30);
  EXPECT_EQ(r.getAccumulatorResult<int64_t>("absent"), std::nullopt);
  EXPECT_NE(r.accumulatorsReport().find("- records (java.lang.Long): 300\n"), std::string::npos)
      << r.accumulatorsReport();
}

class TwiceFn final : public ProcessFunction<int, int> {
 public:
  void open() override {
    getRuntimeContext().addAccumulator("n", &a_);
    getRuntimeContext().addAccumulator("n", &b_);
  }
  void processElement(const int&, Context&, Collector<int>&) override {}

 private:
  LongCounter a_, b_;
};

TEST(Accumulators, ANameRegisteredTwiceInATaskFailsTheJob) {
  StreamExecutionEnvironment env;
  env.fromElements({1}).process(TwiceFn{}).name("twice");
  JobExecutionResult r = env.execute("dup");
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.status.message().find("The accumulator 'n' already exists"), std::string::npos) << r.status.message();
}

}  // namespace
}  // namespace eddy
