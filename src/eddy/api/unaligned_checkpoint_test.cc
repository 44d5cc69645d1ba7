// Unaligned checkpoints: the settings Flink checks, the aligned-checkpoint timeout that
// switches backpressured tasks to unaligned, and the trigger time barriers carry. The
// exactly-once proof under kills (with in-flight data restored, also after rescaling)
// is in exactly_once_test.cc.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>

#include "eddy/api/eddy.h"
#include "eddy/api/testing_util.h"

namespace eddy {
namespace {

namespace fs = std::filesystem;
using KV = std::pair<int64_t, int64_t>;

fs::path scratch(const std::string& name) { return api::testing::scratchDir("unaligned_" + name); }

void spin(std::chrono::microseconds d) {
  auto until = std::chrono::steady_clock::now() + d;
  while (std::chrono::steady_clock::now() < until) {
  }
}

constexpr int64_t kRecords = 20000;

/// A source feeding, through a rebalance (two channels per consumer), a keyed sum
/// slower than the source (100k against 150k records/s), so a backlog builds and aligned
/// barriers wait behind it. The source must not end at once: once a task finished, only
/// the final checkpoint runs.
std::shared_ptr<operators::CollectSink<KV>::Results> backpressuredJob(StreamExecutionEnvironment& env) {
  auto sums = env.fromSource<KV>(std::make_shared<GeneratorSource<KV>>([](int64_t i) { return KV{i % 5, i}; }, kRecords,
                                                                       /*records_per_second=*/150'000),
                                 WatermarkStrategy<KV>::noWatermarks(), "numbers")
                  .setParallelism(2)
                  .rebalance()
                  .map([](const KV& v) { return v; })
                  .keyBy([](const KV& v) { return v.first; })
                  .reduce([](const KV& a, const KV& b) {
                    spin(std::chrono::microseconds(10));
                    return KV{a.first, a.second + b.second};
                  });
  return api::testing::collect(DataStream<KV>(sums));
}

void expectSums(const std::vector<KV>& out) {
  std::map<int64_t, int64_t> total, last;
  for (int64_t i = 0; i < kRecords; ++i) total[i % 5] += i;
  for (const KV& v : out) last[v.first] = std::max(last[v.first], v.second);
  EXPECT_EQ(last, total);
  EXPECT_EQ(static_cast<int64_t>(out.size()), kRecords);  // One update per record: none twice.
}

int64_t unalignedCheckpoints(const JobExecutionResult& r) {
  int64_t n = 0;
  for (const auto& t : r.tasks) n += t.unaligned_checkpoints;
  return n;
}

JobExecutionResult runBackpressured(const std::string& name, const std::function<void(CheckpointConfig&)>& configure) {
  fs::path dir = scratch(name);
  StreamExecutionEnvironment env;
  env.setParallelism(1);
  env.enableCheckpointing(5);
  env.getCheckpointConfig().setCheckpointStorage(dir.string());
  configure(env.getCheckpointConfig());
  auto out = backpressuredJob(env);
  JobExecutionResult r = env.execute(name);
  EXPECT_TRUE(r.isOk()) << r.status.toString();
  EXPECT_GE(r.number_of_completed_checkpoints, 2) << "the job ended before a regular checkpoint";
  expectSums(out->values);
  fs::remove_all(dir);
  return r;
}

TEST(UnalignedCheckpoints, AlignedCheckpointsNeverGoUnalignedWithoutTheOption) {
  JobExecutionResult r = runBackpressured("aligned", [](CheckpointConfig&) {});
  EXPECT_EQ(unalignedCheckpoints(r), 0);
}

TEST(UnalignedCheckpoints, CheckpointsStartUnalignedWithoutATimeout) {
  JobExecutionResult r = runBackpressured("unaligned", [](CheckpointConfig& c) { c.enableUnalignedCheckpoints(); });
  EXPECT_GT(unalignedCheckpoints(r), 0);
}

TEST(UnalignedCheckpoints, ABackpressuredTaskSwitchesToUnalignedAfterTheAlignmentTimeout) {
  // The backlog holds barriers back far longer than 1 ms.
  JobExecutionResult r = runBackpressured("timeout", [](CheckpointConfig& c) {
    c.enableUnalignedCheckpoints().setAlignedCheckpointTimeout(Duration(1));
  });
  EXPECT_GT(unalignedCheckpoints(r), 0);
}

TEST(UnalignedCheckpoints, ALongAlignmentTimeoutKeepsCheckpointsAligned) {
  JobExecutionResult r = runBackpressured("long_timeout", [](CheckpointConfig& c) {
    c.enableUnalignedCheckpoints().setAlignedCheckpointTimeout(Duration(3'600'000));
  });
  EXPECT_EQ(unalignedCheckpoints(r), 0);
}

TEST(UnalignedCheckpoints, AtLeastOnceModeIgnoresThemWithAWarning) {
  fs::path dir = scratch("alo");
  StreamExecutionEnvironment env;
  env.enableCheckpointing(10, CheckpointingMode::kAtLeastOnce);
  env.getCheckpointConfig().setCheckpointStorage(dir.string()).enableUnalignedCheckpoints();
  auto out = api::testing::collect(env.fromElements<int64_t>({1, 2, 3}).map([](const int64_t& v) { return v; }));
  JobExecutionResult r = env.execute("alo");
  ASSERT_TRUE(r.isOk()) << r.status.toString();
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("EXACTLY_ONCE"), std::string::npos) << r.warnings[0];
  fs::remove_all(dir);
}

TEST(UnalignedCheckpoints, TheyTakeOneCheckpointAtATime) {
  fs::path dir = scratch("concurrent");
  StreamExecutionEnvironment env;
  env.enableCheckpointing(10);
  env.getCheckpointConfig().setCheckpointStorage(dir.string()).enableUnalignedCheckpoints().setMaxConcurrentCheckpoints(2);
  auto out = api::testing::collect(env.fromElements<int64_t>({1, 2, 3}).map([](const int64_t& v) { return v; }));
  JobExecutionResult r = env.execute("concurrent");
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.status.message().find("max concurrent checkpoints is 2"), std::string::npos) << r.status.message();
  fs::remove_all(dir);
}

/// Not trivially copyable and without serialize/deserialize members.
struct Opaque {
  std::string text;
};

TEST(UnalignedCheckpoints, RecordsCrossingTasksNeedASerializer) {
  fs::path dir = scratch("opaque");
  StreamExecutionEnvironment env;
  env.enableCheckpointing(10);
  env.getCheckpointConfig().setCheckpointStorage(dir.string()).enableUnalignedCheckpoints();
  auto opaque = env.fromElements<int64_t>({1, 2, 3}).map([](const int64_t& v) { return Opaque{std::to_string(v)}; }).name("to opaque");
  auto out = api::testing::collect(opaque.rebalance().map([](const Opaque& o) { return o.text; }).name("to text"));
  JobExecutionResult r = env.execute("opaque");
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.status.message().find("'to opaque' to 'to text' have no serializer"), std::string::npos) << r.status.message();
  fs::remove_all(dir);
}

TEST(Checkpoints, BarriersCarryTheirTriggerTimeToEveryTask) {
  // A task's start delay runs from the trigger to its first barrier, so it cannot
  // exceed the job's run time; a barrier that lost its trigger time on the way would
  // show the clock's whole reading instead.
  fs::path dir = scratch("start_delay");
  StreamExecutionEnvironment env;
  env.setParallelism(2);
  env.enableCheckpointing(5);
  env.getCheckpointConfig().setCheckpointStorage(dir.string());
  auto out = backpressuredJob(env);
  JobExecutionResult r = env.execute("start delay");
  ASSERT_TRUE(r.isOk()) << r.status.toString();
  ASSERT_GE(r.number_of_completed_checkpoints, 2);
  for (const auto& t : r.tasks) {
    EXPECT_GE(t.checkpoint_start_delay_ns, 0) << t.name;
    EXPECT_LE(t.checkpoint_start_delay_ns, (r.net_runtime_ms + 1) * 1'000'000) << t.name;
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace eddy
