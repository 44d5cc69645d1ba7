// Checkpoints end to end: a job that fails midway restarts from its latest completed
// checkpoint, and its keyed state comes back exactly: no record counted twice or lost.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "eddy/api/eddy.h"
#include "eddy/api/testing_util.h"
#include "eddy/runtime/checkpoint_storage.h"

namespace eddy {
namespace {

struct Sum {
  std::string key;
  int64_t index;
  int64_t sum;
};

class RunningSum final : public KeyedProcessFunction<std::string, std::pair<std::string, int64_t>, Sum> {
 public:
  void open() override { sum_ = &getRuntimeContext().getState(ValueStateDescriptor<int64_t>("sum")); }
  void processElement(const std::pair<std::string, int64_t>& e, Context&, Collector<Sum>& out) override {
    int64_t s = sum_->value().value_or(0) + e.second;
    sum_->update(s);
    out.collect(Sum{e.first, e.second, s});
  }

 private:
  ValueState<int64_t>* sum_ = nullptr;
};

std::atomic<bool> failed_once{false};

TEST(Checkpoints, AFailedJobRestartsFromItsLatestCheckpointWithExactState) {
  namespace fs = std::filesystem;
  fs::path dir = api::testing::scratchDir("checkpoint_test");
  constexpr int64_t kRecords = 30000;
  StreamExecutionEnvironment env;
  env.setParallelism(2);
  env.enableCheckpointing(30);
  env.getCheckpointConfig().setCheckpointStorage("file://" + dir.string());
  env.setRestartStrategy(RestartStrategy::fixedDelayRestart(1, Duration(0)));
  auto source = env.fromSource<std::pair<std::string, int64_t>>(
      std::make_shared<GeneratorSource<std::pair<std::string, int64_t>>>(
          [](int64_t i) { return std::make_pair("k" + std::to_string(i % 10), i); }, kRecords, 40000),
      WatermarkStrategy<std::pair<std::string, int64_t>>::noWatermarks(), "numbers");
  source.setParallelism(1);  // One producer: each key's records arrive in index order.
  auto sums = source.keyBy([](const std::pair<std::string, int64_t>& e) { return e.first; })
                  .process(RunningSum())
                  .uid("running-sum")
                  .map([](const Sum& s) {
                    if (s.index == 20000 && !failed_once.exchange(true)) throw std::runtime_error("injected failure");
                    return s;
                  });
  auto out = api::testing::collect(DataStream<Sum>(sums));
  JobExecutionResult r = env.execute("checkpointed running sum");
  ASSERT_TRUE(r.isOk()) << r.status.toString();
  EXPECT_EQ(r.number_of_restarts, 1);
  EXPECT_GE(r.number_of_completed_checkpoints, 1);
  EXPECT_GE(r.last_checkpoint_restore_timestamp, 0);  // Restored, not started over.
  EXPECT_NE(r.metricsReport().find("checkpointed running sum.numRestarts: 1\n"), std::string::npos)
      << r.metricsReport();
  EXPECT_GT(r.last_checkpoint_size, 0);  // Ten keys' sums and the source position at least.
  EXPECT_GE(r.last_checkpoint_duration_ms, 0);

  // Every emitted sum is a true prefix sum of its key: state was neither lost nor
  // double-counted; replayed records repeat exactly the sums they had.
  std::map<std::string, std::set<int64_t>> expected;
  std::map<std::string, int64_t> running;
  for (int64_t i = 0; i < kRecords; ++i) {
    std::string k = "k" + std::to_string(i % 10);
    expected[k].insert(running[k] += i);
  }
  std::map<std::string, std::set<int64_t>> got;
  for (const Sum& s : out->values) got[s.key].insert(s.sum);
  EXPECT_EQ(got, expected);
  // Replay started at a checkpoint, not at the beginning.
  EXPECT_GE(out->values.size(), static_cast<size_t>(kRecords));
  EXPECT_LT(out->values.size(), static_cast<size_t>(kRecords + 20000));
  fs::remove_all(dir);
}

std::atomic<bool> failed_after_side_ended{false};

TEST(Checkpoints, CheckpointsGoOnAfterABoundedSourceEndedAndRestoreItAsEnded) {
  // A bounded side input ends at once while the main source goes on for a while (a
  // Flink job with a bounded configuration stream): checkpoints continue with the
  // ended source's end state, and a restore after a failure does not replay it.
  namespace fs = std::filesystem;
  fs::path dir = api::testing::scratchDir("checkpoint_ended");
  using KV = std::pair<int64_t, int64_t>;
  constexpr int64_t kRecords = 6000;
  StreamExecutionEnvironment env;
  env.setParallelism(1);
  env.enableCheckpointing(10);
  env.getCheckpointConfig().setCheckpointStorage(dir.string());
  env.setRestartStrategy(RestartStrategy::fixedDelayRestart(1, Duration(0)));
  auto side = env.fromElements<KV>({KV{0, 1'000'000}, KV{1, 2'000'000}, KV{2, 3'000'000}}).uid("side");
  auto main = env.fromSource<KV>(std::make_shared<GeneratorSource<KV>>([](int64_t i) { return KV{i % 3, i}; }, kRecords, 20000),
                                 WatermarkStrategy<KV>::noWatermarks(), "numbers")
                  .uid("main");
  auto sums = main.union_(side)
                  .keyBy([](const KV& v) { return v.first; })
                  .reduce([](const KV& a, const KV& b) { return KV{a.first, a.second + b.second}; })
                  .uid("sums")
                  .map([](const KV& v) {
                    // Late in the run, long after the side input ended.
                    if (v.second > 4'000'000 && v.first == 0 && !failed_after_side_ended.exchange(true)) {
                      throw std::runtime_error("injected failure");
                    }
                    return v;
                  });
  auto out = api::testing::collect(DataStream<KV>(sums));
  JobExecutionResult r = env.execute("ended source");
  ASSERT_TRUE(r.isOk()) << r.status.toString();
  EXPECT_EQ(r.number_of_restarts, 1);
  EXPECT_GE(r.restored_checkpoint_id, 3) << "checkpoints stopped when the side input ended";
  std::map<int64_t, int64_t> total, last;
  for (int64_t i = 0; i < kRecords; ++i) total[i % 3] += i;
  total[0] += 1'000'000;
  total[1] += 2'000'000;
  total[2] += 3'000'000;
  for (const KV& v : out->values) last[v.first] = std::max(last[v.first], v.second);
  EXPECT_EQ(last, total);  // The side input counted once: not lost, not replayed.
  fs::remove_all(dir);
}

std::atomic<bool> failed_once_aligned{false};

TEST(Checkpoints, BarriersAlignOverSeveralInputChannels) {
  // Two source subtasks feed each keyed subtask: each keyed task aligns two channels.
  namespace fs = std::filesystem;
  fs::path dir = api::testing::scratchDir("checkpoint_align");
  constexpr int64_t kRecords = 30000;
  StreamExecutionEnvironment env;
  env.setParallelism(2);
  env.enableCheckpointing(20);
  env.getCheckpointConfig().setCheckpointStorage(dir.string());
  env.setRestartStrategy(RestartStrategy::fixedDelayRestart(2, Duration(0)));
  auto sums = env.fromSource<std::pair<std::string, int64_t>>(
                     std::make_shared<GeneratorSource<std::pair<std::string, int64_t>>>(
                         [](int64_t i) { return std::make_pair("k" + std::to_string(i % 7), i); }, kRecords, 40000),
                     WatermarkStrategy<std::pair<std::string, int64_t>>::noWatermarks(), "numbers")
                  .keyBy([](const std::pair<std::string, int64_t>& e) { return e.first; })
                  .process(RunningSum())
                  .map([](const Sum& s) {
                    if (s.index == 25000 && !failed_once_aligned.exchange(true)) throw std::runtime_error("injected");
                    return s;
                  });
  auto out = api::testing::collect(DataStream<Sum>(sums));
  JobExecutionResult r = env.execute("aligned");
  ASSERT_TRUE(r.isOk()) << r.status.toString();
  EXPECT_EQ(r.number_of_restarts, 1);
  EXPECT_GE(r.last_checkpoint_restore_timestamp, 0);
  // Whatever the interleaving, each key's last sum is its total: nothing lost, nothing
  // counted twice across the restore.
  std::map<std::string, int64_t> total, last;
  for (int64_t i = 0; i < kRecords; ++i) total["k" + std::to_string(i % 7)] += i;
  for (const Sum& s : out->values) last[s.key] = std::max(last[s.key], s.sum);
  EXPECT_EQ(last, total);
  fs::remove_all(dir);
}

TEST(Checkpoints, ANewProcessResumesFromTheLatestCheckpointOfTheSameJobOnly) {
  // The first run stops with a failure and no restart (as if the process were killed
  // after its checkpoints); the second run of the same job continues from them.
  namespace fs = std::filesystem;
  fs::path dir = api::testing::scratchDir("checkpoint_resume");
  constexpr int64_t kRecords = 20000;
  auto build = [&](StreamExecutionEnvironment& env, bool fail, const std::string& fingerprint) {
    env.enableCheckpointing(20);
    env.getCheckpointConfig().setCheckpointStorage(dir.string()).setJobFingerprint(fingerprint).setResumeFromLatestCheckpoint(true);
    auto source = env.fromSource<std::pair<std::string, int64_t>>(
        std::make_shared<GeneratorSource<std::pair<std::string, int64_t>>>(
            [](int64_t i) { return std::make_pair("k" + std::to_string(i % 5), i); }, kRecords, 40000),
        WatermarkStrategy<std::pair<std::string, int64_t>>::noWatermarks(), "numbers");
    auto sums = source.keyBy([](const std::pair<std::string, int64_t>& e) { return e.first; })
                    .process(RunningSum())
                    .uid("sum")
                    .map([fail](const Sum& s) {
                      if (fail && s.index == 15000) throw std::runtime_error("killed");
                      return s;
                    });
    return api::testing::collect(DataStream<Sum>(sums));
  };
  {
    StreamExecutionEnvironment env;
    build(env, /*fail=*/true, "job-a");
    JobExecutionResult r = env.execute("first run");
    ASSERT_FALSE(r.isOk());
    ASSERT_GE(r.number_of_completed_checkpoints, 1);
  }
  {
    StreamExecutionEnvironment env;
    build(env, false, "job-b");
    JobExecutionResult r = env.execute("someone else");
    ASSERT_FALSE(r.isOk());
    EXPECT_NE(r.status.message().find("belongs to another job (\"job-a\""), std::string::npos) << r.status.message();
  }
  StreamExecutionEnvironment env;
  auto out = build(env, false, "job-a");
  JobExecutionResult r = env.execute("second run");
  ASSERT_TRUE(r.isOk()) << r.status.toString();
  EXPECT_GE(r.last_checkpoint_restore_timestamp, 0);
  std::map<std::string, int64_t> total, last;
  for (int64_t i = 0; i < kRecords; ++i) total["k" + std::to_string(i % 5)] += i;
  for (const Sum& s : out->values) last[s.key] = std::max(last[s.key], s.sum);
  EXPECT_EQ(last, total);  // The sums continue from the checkpointed state.
  EXPECT_LT(out->values.size(), static_cast<size_t>(kRecords));  // Not read from the start.
  fs::remove_all(dir);
}

TEST(Checkpoints, CheckpointingWithoutStorageIsAnError) {
  StreamExecutionEnvironment env;
  env.enableCheckpointing(100);
  env.fromElements({1, 2}).print();
  JobExecutionResult r = env.execute("no storage");
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.status.message().find("no checkpoint storage is set"), std::string::npos);
}

TEST(Checkpoints, AJobStartsFromARetainedCheckpointMatchingStateByUid) {
  namespace fs = std::filesystem;
  fs::path dir = api::testing::scratchDir("checkpoint_savepoint");
  constexpr int64_t kRecords = 5000;
  // Sums per key; `extra` adds a second stateful operator with its own uid. The second
  // run reads new numbers from a new source ("numbers-2"): the first one ended.
  auto build = [&](StreamExecutionEnvironment& env, int64_t offset, bool extra) {
    auto source = env.fromSource<std::pair<std::string, int64_t>>(
        std::make_shared<GeneratorSource<std::pair<std::string, int64_t>>>(
            [offset](int64_t i) { return std::make_pair("k" + std::to_string(i % 4), offset + i); }, kRecords),
        WatermarkStrategy<std::pair<std::string, int64_t>>::noWatermarks(), "numbers");
    source.uid(offset == 0 ? "numbers" : "numbers-2");
    auto keyed = source.keyBy([](const std::pair<std::string, int64_t>& e) { return e.first; });
    auto sums = keyed.process(RunningSum()).uid("sum");
    if (extra) keyed.process(RunningSum()).uid("extra").addSink(DiscardingSink<Sum>());
    return api::testing::collect(DataStream<Sum>(sums));
  };
  {
    StreamExecutionEnvironment env;
    env.enableCheckpointing(1000);  // Only the final checkpoint: the job's end state.
    env.getCheckpointConfig().setCheckpointStorage(dir.string());
    build(env, 0, /*extra=*/true);
    ASSERT_TRUE(env.execute("first").isOk());
  }
  auto ids = std::move(runtime::FileCheckpointStorage::open(dir.string(), false)).value()->completedIds();
  ASSERT_TRUE(ids.isOk());
  ASSERT_FALSE(ids->empty());
  std::string chk = (dir / ("chk-" + std::to_string(ids->back()))).string();

  {  // The new program lacks "extra": refused unless allowed.
    StreamExecutionEnvironment env;
    env.setSavepointRestoreSettings(SavepointRestoreSettings::forPath(chk));
    build(env, kRecords, /*extra=*/false);
    JobExecutionResult r = env.execute("second");
    ASSERT_FALSE(r.isOk());
    EXPECT_NE(r.status.message().find("Cannot map checkpoint state for operator uid:extra"), std::string::npos)
        << r.status.message();
  }
  {
    StreamExecutionEnvironment env;
    env.setSavepointRestoreSettings(SavepointRestoreSettings::forPath("file://" + dir.string(), true));
    auto out = build(env, kRecords, /*extra=*/false);
    JobExecutionResult r = env.execute("second");
    ASSERT_TRUE(r.isOk()) << r.status.toString();
    EXPECT_EQ(r.restored_checkpoint_id, ids->back());
    // The sums go on from the first run's end state.
    std::map<std::string, int64_t> total, last;
    for (int64_t i = 0; i < 2 * kRecords; ++i) total["k" + std::to_string(i % 4)] += i;
    for (const Sum& s : out->values) last[s.key] = std::max(last[s.key], s.sum);
    EXPECT_EQ(last, total);
  }
  {
    StreamExecutionEnvironment env;
    env.setSavepointRestoreSettings(SavepointRestoreSettings::forPath((dir / "chk-999").string()));
    build(env, kRecords, false);
    JobExecutionResult r = env.execute("missing");
    ASSERT_FALSE(r.isOk());
    EXPECT_NE(r.status.message().find("chk-999"), std::string::npos) << r.status.message();
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace eddy
