// Region failover (Flink's jobmanager.execution.failover-strategy: region): a job whose
// subtasks form separate pipelines restarts only the failed one's pipeline from the
// latest checkpoint, while the other keeps running; the output stays exactly once.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "eddy/api/eddy.h"
#include "eddy/api/testing_util.h"

namespace eddy {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kRecords = 20'000;

// Across all attempts of the job under test.
std::atomic<int> g_opens[2];
std::atomic<int64_t> g_seen{0};
std::atomic<bool> g_failed{false};
fs::path g_checkpoints;

bool aCheckpointCompleted() {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(g_checkpoints, ec)) {
    if (e.path().filename().string().rfind("chk-", 0) == 0 && fs::exists(e.path() / "_metadata")) return true;
  }
  return false;
}

/// Counts its opens per subtask; subtask 1 fails once, after a checkpoint completed and
/// a quarter of the records went through.
class FailOnce final : public ProcessFunction<int64_t, std::string> {
 public:
  void open() override { g_opens[getRuntimeContext().getIndexOfThisSubtask()].fetch_add(1); }
  void processElement(const int64_t& v, Context&, Collector<std::string>& out) override {
    int64_t n = g_seen.fetch_add(1) + 1;
    if (getRuntimeContext().getIndexOfThisSubtask() == 1 && !g_failed.load() && n > kRecords / 4 && n % 64 == 0 &&
        aCheckpointCompleted() && !g_failed.exchange(true)) {
      throw std::runtime_error("injected failure");
    }
    out.collect(std::to_string(v));
  }
};

std::vector<std::string> committedRows(const fs::path& dir) {
  std::vector<std::string> rows;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    std::ifstream in(entry.path());
    for (std::string line; std::getline(in, line);) rows.push_back(line);
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::vector<std::string> allRecords() {
  std::vector<std::string> rows;
  for (int64_t i = 0; i < kRecords; ++i) rows.push_back(std::to_string(i));
  std::sort(rows.begin(), rows.end());
  return rows;
}

/// Source -> (forward) FailOnce -> (forward) FileSink at parallelism 2, each its own
/// task: two pipelines, so two failover regions of three tasks each.
runtime::JobExecutionResult runJob(const fs::path& dir, StreamExecutionEnvironment::FailoverStrategy strategy) {
  g_opens[0] = g_opens[1] = 0;
  g_seen = 0;
  g_failed = false;
  g_checkpoints = dir / "checkpoints";
  StreamExecutionEnvironment env;
  env.setParallelism(2);
  env.enableCheckpointing(20);
  env.getCheckpointConfig().setCheckpointStorage("file://" + g_checkpoints.string());
  env.setRestartStrategy(RestartStrategy::fixedDelayRestart(3, Duration(0)));
  env.setFailoverStrategy(strategy);
  env.fromSource<int64_t>(std::make_shared<GeneratorSource<int64_t>>([](int64_t i) { return i; }, kRecords, 40'000),
                          WatermarkStrategy<int64_t>::noWatermarks(), "numbers")
      .uid("numbers")
      .process(FailOnce())
      .uid("fail-once")
      .disableChaining()
      .sinkTo(FileSink<std::string>::forRowFormat((dir / "out").string(), SimpleStringEncoder<std::string>()).build())
      .uid("sink")
      .disableChaining();
  return env.execute("failover");
}

TEST(RegionFailover, RestartsOnlyTheFailedPipelineAndLosesNothing) {
  fs::path dir = api::testing::scratchDir("region_failover");
  runtime::JobExecutionResult r = runJob(dir, StreamExecutionEnvironment::FailoverStrategy::kRegion);
  ASSERT_TRUE(r.isOk()) << r.status.toString();
  EXPECT_TRUE(g_failed.load());
  EXPECT_EQ(r.number_of_restarts, 1);
  EXPECT_EQ(g_opens[0].load(), 1);  // Subtask 0's pipeline ran on untouched.
  EXPECT_EQ(g_opens[1].load(), 2);
  EXPECT_EQ(committedRows(dir / "out"), allRecords());
}

TEST(RegionFailover, TheFullStrategyRestartsEverything) {
  fs::path dir = api::testing::scratchDir("full_failover");
  runtime::JobExecutionResult r = runJob(dir, StreamExecutionEnvironment::FailoverStrategy::kFull);
  ASSERT_TRUE(r.isOk()) << r.status.toString();
  EXPECT_EQ(r.number_of_restarts, 1);
  EXPECT_EQ(g_opens[0].load(), 2);
  EXPECT_EQ(g_opens[1].load(), 2);
  EXPECT_EQ(committedRows(dir / "out"), allRecords());
}

TEST(RegionFailover, ARegionOutOfRestartsFailsTheJob) {
  fs::path dir = api::testing::scratchDir("region_failover_no_restart");
  g_checkpoints = dir / "checkpoints";
  StreamExecutionEnvironment env;
  env.setParallelism(2);
  env.enableCheckpointing(20);
  env.getCheckpointConfig().setCheckpointStorage("file://" + g_checkpoints.string());
  env.fromSource<int64_t>(std::make_shared<GeneratorSource<int64_t>>([](int64_t i) { return i; }, 1000),
                          WatermarkStrategy<int64_t>::noWatermarks(), "numbers")
      .map([](const int64_t& v) -> int64_t {
        if (v == 700) throw std::runtime_error("always fails");
        return v;
      })
      .uid("map")
      .sinkTo(FileSink<int64_t>::forRowFormat((dir / "out").string(), SimpleStringEncoder<int64_t>()).build());
  runtime::JobExecutionResult r = env.execute("no restarts");  // Default: noRestart().
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.status.message().find("always fails"), std::string::npos) << r.status.toString();
  EXPECT_EQ(r.number_of_restarts, 0);
}

}  // namespace
}  // namespace eddy
