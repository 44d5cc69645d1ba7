#include <gtest/gtest.h>

#include <algorithm>

#include "eddy/api/eddy.h"
#include "eddy/api/testing_util.h"

namespace eddy {
namespace {

using api::testing::sorted;

struct Ev {
  std::string key;
  int64_t ts;
  int value;
};

using Punctuated = operators::PunctuatedBoundedOutOfOrderness<Ev>;

class WindowTest : public ::testing::Test {
 protected:
  StreamExecutionEnvironment env;
  OutputTag<Ev> late{"late"};

  KeyedStream<Ev, std::string> keyed(std::vector<Ev> input, int64_t delay) {
    auto strategy = WatermarkStrategy<Ev>::forGenerator([delay] { return std::make_unique<Punctuated>(delay); })
                        .withTimestampAssigner([](const Ev& e) { return e.ts; });
    auto s = env.fromSource<Ev>(std::make_shared<CollectionSource<Ev>>(std::move(input)), strategy, "events");
    s.setParallelism(1);
    return s.keyBy([](const Ev& e) { return e.key; });
  }

  template <typename T>
  std::shared_ptr<typename CollectSink<T>::Results> collect(DataStream<T> s) {
    auto r = std::make_shared<typename CollectSink<T>::Results>();
    s.addSink(CollectSink<T>(r), "collect").setParallelism(1);
    return r;
  }

  void run() {
    auto r = env.execute();
    ASSERT_TRUE(r.isOk()) << r.status.toString();
  }
};

/// "key start end count sum" per firing.
class Describe final : public ProcessWindowFunction<Ev, std::string, std::string, TimeWindow> {
 public:
  void process(const std::string& key, Context& ctx, const std::vector<Ev>& elements,
               Collector<std::string>& out) override {
    int sum = 0;
    for (const Ev& e : elements) sum += e.value;
    out.collect(key + " " + std::to_string(ctx.window().getStart()) + " " + std::to_string(ctx.window().getEnd()) +
                " " + std::to_string(elements.size()) + " " + std::to_string(sum));
  }
};

TEST_F(WindowTest, TumblingFiresWhenWatermarkPassesEndAndSendsLateRecordsAside) {
  auto w = keyed({{"a", 1000, 1}, {"a", 2000, 2}, {"b", 1500, 5}, {"a", 6000, 3}, {"a", 1200, 10}, {"b", 12000, 1}},
                 1000)
               .window(TumblingEventTimeWindows::of(Duration(5000)))
               .sideOutputLateData(late)
               .process(Describe());
  auto out = collect(DataStream<std::string>(w));
  auto dropped = collect(w.getSideOutput(late));
  run();
  // Watermark 4999 after a@6000 fires [0,5000); a@1200 then belongs only to a late window.
  // (Windows ending at the same time fire in no particular order across keys, as in Flink.)
  EXPECT_EQ(sorted(out->values), (std::vector<std::string>{"a 0 5000 2 3", "a 5000 10000 1 3", "b 0 5000 1 5",
                                                           "b 10000 15000 1 1"}));
  ASSERT_EQ(dropped->values.size(), 1u);
  EXPECT_EQ(dropped->values[0].ts, 1200);
  EXPECT_EQ(out->timestamps[0], 4999);  // Window results carry maxTimestamp.
}

TEST_F(WindowTest, AllowedLatenessRefiresWithEveryLateRecordThenDrops) {
  auto w = keyed({{"a", 1000, 1}, {"a", 6000, 3}, {"a", 2000, 2}, {"a", 7000, 0}, {"a", 3000, 4}}, 0)
               .window(TumblingEventTimeWindows::of(Duration(5000)))
               .allowedLateness(Duration(2000))
               .sideOutputLateData(late)
               .process(Describe());
  auto out = collect(DataStream<std::string>(w));
  auto dropped = collect(w.getSideOutput(late));
  run();
  // wm 5999 fires [0,5000); a@2000 is within lateness (4999 + 2000 > 5999): late firing.
  // wm 6999 reaches the cleanup time 6999: a@3000 is dropped (3000 + 2000 <= 6999).
  EXPECT_EQ(out->values, (std::vector<std::string>{"a 0 5000 1 1", "a 0 5000 2 3", "a 5000 10000 2 3"}));
  ASSERT_EQ(dropped->values.size(), 1u);
  EXPECT_EQ(dropped->values[0].ts, 3000);
}

TEST_F(WindowTest, SlidingAssignsEachRecordToSizeOverSlideWindows) {
  auto w = keyed({{"a", 0, 1}, {"a", 1500, 2}}, 0)
               .window(SlidingEventTimeWindows::of(Duration(2000), Duration(1000)))
               .process(Describe());
  auto out = collect(DataStream<std::string>(w));
  run();
  EXPECT_EQ(out->values, (std::vector<std::string>{"a -1000 1000 1 1", "a 0 2000 2 3", "a 1000 3000 1 2"}));
}

TEST_F(WindowTest, SessionsMergeWhenTheyOverlapOrTouch) {
  auto w = keyed({{"a", 0, 1}, {"a", 1000, 2}, {"a", 5000, 4}, {"a", 3000, 8}, {"a", 20000, 16}}, 10000)
               .window(EventTimeSessionWindows::withGap(Duration(2000)))
               .process(Describe());
  auto out = collect(DataStream<std::string>(w));
  run();
  // [0,2000) + [1000,3000) -> [0,3000); [3000,5000) touches it and [5000,7000) touches
  // that: one session [0,7000).
  EXPECT_EQ(out->values, (std::vector<std::string>{"a 0 7000 4 15", "a 20000 22000 1 16"}));
}

TEST_F(WindowTest, CountWindowsFireEveryNRecordsPerKeyAndDropPartialOnes) {
  auto w = keyed({{"a", 1, 1}, {"b", 2, 10}, {"a", 3, 2}, {"a", 4, 3}, {"a", 5, 4}, {"b", 6, 20}, {"a", 7, 5}}, 0)
               .countWindow(2)
               .reduce([](const Ev& x, const Ev& y) { return Ev{x.key, y.ts, x.value + y.value}; });
  auto out = collect(DataStream<Ev>(w));
  run();
  std::vector<std::string> got;
  for (const Ev& e : out->values) got.push_back(e.key + "=" + std::to_string(e.value));
  EXPECT_EQ(got, (std::vector<std::string>{"a=3", "a=7", "b=30"}));
}

TEST_F(WindowTest, SlidingCountWindowKeepsTheLastNEverySlide) {
  auto w = keyed({{"a", 1, 1}, {"a", 2, 2}, {"a", 3, 3}, {"a", 4, 4}}, 0)
               .countWindow(3, 2)
               .reduce([](const Ev& x, const Ev& y) { return Ev{x.key, y.ts, x.value + y.value}; });
  auto out = collect(DataStream<Ev>(w));
  run();
  ASSERT_EQ(out->values.size(), 2u);
  EXPECT_EQ(out->values[0].value, 3);      // 1 + 2
  EXPECT_EQ(out->values[1].value, 2 + 3 + 4);
}

TEST_F(WindowTest, FinishedSourceSubtaskDoesNotHoldBackWindowsOfTheOther) {
  // Two parallel sources; the second has no split and ends at once, which counts as the
  // max watermark on its channel, so the first's watermark alone fires windows.
  auto strategy = WatermarkStrategy<Ev>::forGenerator([] { return std::make_unique<Punctuated>(0); })
                      .withTimestampAssigner([](const Ev& e) { return e.ts; });
  auto s = env.fromSource<Ev>(std::make_shared<CollectionSource<Ev>>(std::vector<Ev>{{"a", 1000, 1}, {"a", 9000, 2}}),
                              strategy, "events");
  s.setParallelism(2);
  auto w = s.keyBy([](const Ev& e) { return e.key; })
               .window(TumblingEventTimeWindows::of(Duration(5000)))
               .process(Describe());
  auto out = collect(DataStream<std::string>(w));
  run();
  EXPECT_EQ(out->values, (std::vector<std::string>{"a 0 5000 1 1", "a 5000 10000 1 2"}));
}


TEST_F(WindowTest, TumblingWithOffsetShiftsTheBoundaries) {
  auto w = keyed({{"a", 500, 1}, {"a", 1000, 2}, {"a", 5999, 4}, {"a", 6000, 8}}, 0)
               .window(TumblingEventTimeWindows::of(Duration(5000), Duration(1000)))
               .process(Describe());
  auto out = collect(DataStream<std::string>(w));
  run();
  EXPECT_EQ(out->values, (std::vector<std::string>{"a -4000 1000 1 1", "a 1000 6000 2 6", "a 6000 11000 1 8"}));
}

TEST_F(WindowTest, CountAndTimeEvictorsKeepTheNewestElements) {
  auto input = std::vector<Ev>{{"a", 100, 1}, {"a", 1500, 2}, {"a", 2000, 4}};
  auto by_count = keyed(input, 0)
                      .window(TumblingEventTimeWindows::of(Duration(10000)))
                      .evictor(CountEvictor::of(2))
                      .process(Describe());
  // TimeEvictor: cut off at max timestamp - 1000 = 1000; 100 goes.
  auto by_time = keyed(input, 0)
                     .window(TumblingEventTimeWindows::of(Duration(10000)))
                     .evictor(TimeEvictor::of(Duration(1000)))
                     .process(Describe());
  auto a = collect(DataStream<std::string>(by_count));
  auto b = collect(DataStream<std::string>(by_time));
  run();
  EXPECT_EQ(a->values, (std::vector<std::string>{"a 0 10000 2 6"}));
  EXPECT_EQ(b->values, (std::vector<std::string>{"a 0 10000 2 6"}));
}

TEST_F(WindowTest, ContinuousEventTimeTriggerFiresEveryIntervalOfEventTime) {
  auto w = keyed({{"a", 100, 1}, {"a", 1500, 2}, {"a", 5000, 4}}, 0)
               .window(TumblingEventTimeWindows::of(Duration(10000)))
               .trigger(ContinuousEventTimeTrigger<>::of(Duration(1000)))
               .process(Describe());
  auto out = collect(DataStream<std::string>(w));
  run();
  // Fire times: 1000 (after the record at 1500 was added), then 2000, 3000, 4000 when the
  // watermark jumps to 4999, then 5000 ... 9000 and the window end 9999 at the end.
  std::vector<std::string> expected{"a 0 10000 2 3"};
  for (int i = 0; i < 9; ++i) expected.push_back("a 0 10000 3 7");
  EXPECT_EQ(out->values, expected);
}

TEST_F(WindowTest, DynamicGapSessionsTakeTheirGapFromEachElement) {
  auto w = keyed({{"a", 0, 1}, {"a", 1500, 3}, {"a", 4000, 1}}, 10000)
               .window(EventTimeSessionWindows::withDynamicGap<Ev>([](const Ev& e) { return int64_t{e.value} * 1000; }))
               .process(Describe());
  auto out = collect(DataStream<std::string>(w));
  run();
  // [0,1000); [1500,4500) and [4000,5000) overlap -> [1500,5000).
  EXPECT_EQ(out->values, (std::vector<std::string>{"a 0 1000 1 1", "a 1500 5000 2 4"}));
}

TEST_F(WindowTest, WindowAllSeesEveryKeyInOneWindow) {
  auto strategy = WatermarkStrategy<Ev>::forGenerator([] { return std::make_unique<Punctuated>(0); })
                      .withTimestampAssigner([](const Ev& e) { return e.ts; });
  env.setParallelism(2);
  auto s = env.fromSource<Ev>(
      std::make_shared<CollectionSource<Ev>>(std::vector<Ev>{{"a", 1, 1}, {"b", 2, 2}, {"a", 6000, 4}, {"c", 7000, 8}}),
      strategy, "events");
  auto w = s.windowAll(TumblingEventTimeWindows::of(Duration(5000)))
               .reduce([](const Ev& x, const Ev& y) { return Ev{"all", y.ts, x.value + y.value}; });
  auto out = collect(DataStream<Ev>(w));
  run();
  std::vector<int> sums;
  for (const Ev& e : out->values) sums.push_back(e.value);
  EXPECT_EQ(sums, (std::vector<int>{3, 12}));
}

struct Average final : AggregateFunction<Ev, std::pair<int64_t, int64_t>, double> {
  std::pair<int64_t, int64_t> createAccumulator() const override { return {0, 0}; }
  std::pair<int64_t, int64_t> add(const Ev& e, std::pair<int64_t, int64_t> acc) const override {
    return {acc.first + e.value, acc.second + 1};
  }
  double getResult(const std::pair<int64_t, int64_t>& acc) const override {
    return static_cast<double>(acc.first) / static_cast<double>(acc.second);
  }
  std::pair<int64_t, int64_t> merge(std::pair<int64_t, int64_t> a, const std::pair<int64_t, int64_t>& b) const override {
    return {a.first + b.first, a.second + b.second};
  }
};

class LabelAverage final : public ProcessWindowFunction<double, std::string, std::string, TimeWindow> {
 public:
  void process(const std::string& key, Context& ctx, const std::vector<double>& averages,
               Collector<std::string>& out) override {
    out.collect(key + "@" + std::to_string(ctx.window().getEnd()) + "=" + std::to_string(averages.size()) + "x" +
                std::to_string(averages.front()));
  }
};

TEST_F(WindowTest, AggregateWithProcessWindowFunctionSeesTheSingleAggregate) {
  auto w = keyed({{"a", 1, 1}, {"a", 2, 2}, {"b", 3, 10}, {"a", 4, 6}}, 0)
               .window(TumblingEventTimeWindows::of(Duration(1000)))
               .aggregate(Average(), LabelAverage());
  auto out = collect(DataStream<std::string>(w));
  run();
  std::vector<std::string> got = out->values;
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::string>{"a@1000=1x3.000000", "b@1000=1x10.000000"}));
}


/// Flink's EventTimeTrigger written as a user would: the operator cannot tell it from a
/// custom trigger, so it takes the general path (a timer per key and window).
class UserEventTimeTrigger final : public Trigger<TimeWindow> {
 public:
  TriggerResult onElement(const void*, Timestamp, const TimeWindow& w, TriggerContext& ctx) override {
    if (w.maxTimestamp() <= ctx.getCurrentWatermark()) return TriggerResult::kFire;
    ctx.registerEventTimeTimer(w.maxTimestamp());
    return TriggerResult::kContinue;
  }
  TriggerResult onEventTime(Timestamp t, const TimeWindow& w, TriggerContext&) override {
    return t == w.maxTimestamp() ? TriggerResult::kFire : TriggerResult::kContinue;
  }
  TriggerResult onProcessingTime(Timestamp, const TimeWindow&, TriggerContext&) override {
    return TriggerResult::kContinue;
  }
  void clear(const TimeWindow& w, TriggerContext& ctx) override { ctx.deleteEventTimeTimer(w.maxTimestamp()); }
};

TEST_F(WindowTest, WindowMajorContentsMatchTheGeneralPathOnRandomInput) {
  // Random keys, out-of-order timestamps and late records; the default trigger (stored
  // window-major, fired by scanning) and a user copy of it (a timer per key and window)
  // must give the same firings and the same late records.
  std::vector<Ev> input;
  uint64_t x = 42;
  for (int i = 0; i < 3000; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    int64_t ts = i * 7 - static_cast<int64_t>((x >> 33) % 900);  // Up to 900 ms late.
    input.push_back({"k" + std::to_string((x >> 20) % 37), ts, static_cast<int>((x >> 40) % 100)});
  }
  using Assigner = std::shared_ptr<operators::WindowAssigner<TimeWindow>>;
  auto add = [&](bool default_trigger, Assigner assigner, const std::string& tag_id) {
    OutputTag<Ev> tag(tag_id);
    auto w = keyed(input, 300).window(assigner).sideOutputLateData(tag);
    if (!default_trigger) w.trigger(std::make_shared<UserEventTimeTrigger>());
    auto fired = w.process(Describe());
    return std::make_pair(collect(DataStream<std::string>(fired)), collect(fired.getSideOutput(tag)));
  };
  env.setParallelism(2);
  std::vector<Assigner> assigners{TumblingEventTimeWindows::of(Duration(500)),
                                  SlidingEventTimeWindows::of(Duration(1000), Duration(250))};
  std::vector<std::pair<decltype(add(true, assigners[0], "")), decltype(add(true, assigners[0], ""))>> jobs;
  for (size_t i = 0; i < assigners.size(); ++i) {
    jobs.emplace_back(add(true, assigners[i], "fast-" + std::to_string(i)),
                      add(false, assigners[i], "general-" + std::to_string(i)));
  }
  run();
  // Sliding windows of 1000 ms reach past the watermark: only tumbling drops records.
  EXPECT_GT(jobs[0].first.second->values.size(), 100u);
  for (auto& [fast, general] : jobs) {
    ASSERT_GT(fast.first->values.size(), 1000u);
    EXPECT_EQ(sorted(fast.first->values), sorted(general.first->values));
    std::vector<int64_t> a, b;
    for (const Ev& e : fast.second->values) a.push_back(e.ts);
    for (const Ev& e : general.second->values) b.push_back(e.ts);
    EXPECT_EQ(sorted(a), sorted(b));
  }
}

}  // namespace
}  // namespace eddy
