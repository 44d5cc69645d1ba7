// Flink's checkpoint knobs and restart strategies: tolerable failures, timeouts, the
// minimum pause, AT_LEAST_ONCE, and the restart decisions over a job's life.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "eddy/api/eddy.h"
#include "eddy/api/testing_util.h"
#include "eddy/runtime/checkpoint_storage.h"

namespace eddy {
namespace {

namespace fs = std::filesystem;
using api::RestartBackoff;

/// File storage whose first `failures` writes fail, as a full disk would.
class FailingStorage final : public runtime::CheckpointStorage {
 public:
  FailingStorage(std::unique_ptr<runtime::FileCheckpointStorage> inner, int failures)
      : inner_(std::move(inner)), failures_(failures) {}
  Status write(const runtime::CompletedCheckpoint& cp, runtime::CheckpointWriteStats* stats = nullptr) override {
    if (failures_.fetch_sub(1) > 0) return Status::unavailable("disk full writing checkpoint " + std::to_string(cp.id));
    return inner_->write(cp, stats);
  }
  Result<std::vector<int64_t>> completedIds() const override { return inner_->completedIds(); }
  Result<runtime::CompletedCheckpoint> read(int64_t id) const override { return inner_->read(id); }
  Status remove(int64_t id) override { return inner_->remove(id); }

 private:
  std::unique_ptr<runtime::FileCheckpointStorage> inner_;
  std::atomic<int> failures_;
};

fs::path scratch(const std::string& name) { return api::testing::scratchDir("ckcfg_" + name); }

/// A paced job of `records` numbers summed per key, long enough for a few checkpoints.
std::shared_ptr<CollectSink<int64_t>::Results> pacedJob(StreamExecutionEnvironment& env, int64_t records, double rate) {
  auto sums = env.fromSource<int64_t>(std::make_shared<GeneratorSource<int64_t>>([](int64_t i) { return i; }, records, rate),
                                      WatermarkStrategy<int64_t>::noWatermarks(), "numbers")
                  .keyBy([](const int64_t& v) { return v % 3; })
                  .reduce([](const int64_t& a, const int64_t& b) { return a + b; });
  return api::testing::collect(DataStream<int64_t>(sums));
}

TEST(CheckpointConfigTest, AFailedCheckpointFailsTheJobByDefault) {
  fs::path dir = scratch("fail");
  StreamExecutionEnvironment env;
  env.enableCheckpointing(10);
  env.getCheckpointConfig().setCheckpointStorage(
      std::make_shared<FailingStorage>(std::move(runtime::FileCheckpointStorage::open(dir.string(), true)).value(), 1));
  pacedJob(env, 2000, 5000);
  JobExecutionResult r = env.execute("intolerant");
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.status.message().find("Exceeded checkpoint tolerable failure threshold"), std::string::npos)
      << r.status.message();
  EXPECT_NE(r.status.message().find("disk full writing checkpoint 1"), std::string::npos) << r.status.message();
  EXPECT_EQ(r.failed_operator, "checkpoint coordinator");
  fs::remove_all(dir);
}

TEST(CheckpointConfigTest, TolerableFailuresAreCountedAndSurvived) {
  fs::path dir = scratch("tolerate");
  StreamExecutionEnvironment env;
  env.enableCheckpointing(10);
  env.getCheckpointConfig()
      .setCheckpointStorage(
          std::make_shared<FailingStorage>(std::move(runtime::FileCheckpointStorage::open(dir.string(), true)).value(), 2))
      .setTolerableCheckpointFailureNumber(2);
  auto out = pacedJob(env, 3000, 10000);
  JobExecutionResult r = env.execute("tolerant");
  ASSERT_TRUE(r.isOk()) << r.status.toString();
  EXPECT_EQ(r.number_of_failed_checkpoints, 2);
  EXPECT_GE(r.number_of_completed_checkpoints, 1);  // The final one at least.
  EXPECT_EQ(out->values.size(), 3000u);
  fs::remove_all(dir);
}

TEST(CheckpointConfigTest, ACheckpointThatTakesTooLongExpires) {
  fs::path dir = scratch("timeout");
  StreamExecutionEnvironment env;
  env.enableCheckpointing(5);
  env.getCheckpointConfig().setCheckpointStorage(dir.string()).setCheckpointTimeout(5).setTolerableCheckpointFailureNumber(1000);
  // Each record takes 20 ms, so no barrier gets through in 5 ms.
  auto slow = env.fromSource<int64_t>(std::make_shared<GeneratorSource<int64_t>>([](int64_t i) { return i; }, 10),
                                      WatermarkStrategy<int64_t>::noWatermarks(), "numbers")
                  .map([](const int64_t& v) {
                    std::this_thread::sleep_for(std::chrono::milliseconds(20));
                    return v;
                  })
                  .setParallelism(1);
  slow.rebalance().map([](const int64_t& v) { return v; }).addSink(DiscardingSink<int64_t>());
  JobExecutionResult r = env.execute("slow");
  ASSERT_TRUE(r.isOk()) << r.status.toString();
  EXPECT_GE(r.number_of_failed_checkpoints, 1);
  fs::remove_all(dir);
}

TEST(CheckpointConfigTest, TheMinimumPauseSpacesCheckpoints) {
  fs::path dir = scratch("pause");
  StreamExecutionEnvironment env;
  env.enableCheckpointing(1);
  env.getCheckpointConfig().setCheckpointStorage(dir.string()).setMinPauseBetweenCheckpoints(100).setNumRetainedCheckpoints(1000);
  auto start = std::chrono::steady_clock::now();
  pacedJob(env, 2000, 5000);  // About 400 ms.
  JobExecutionResult r = env.execute("paused");
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(r.isOk()) << r.status.toString();
  // At most one checkpoint per 100 ms (plus the final one); without the pause, hundreds.
  EXPECT_LE(r.number_of_completed_checkpoints, ms / 100 + 2);
  EXPECT_GE(r.number_of_completed_checkpoints, 2);
  fs::remove_all(dir);
}

TEST(CheckpointConfigTest, AtLeastOnceCheckpointsRestoreAfterAFailure) {
  fs::path dir = scratch("alo");
  static std::atomic<bool> failed{false};
  failed = false;
  StreamExecutionEnvironment env;
  env.setParallelism(2);
  env.enableCheckpointing(10, CheckpointingMode::kAtLeastOnce);
  env.getCheckpointConfig().setCheckpointStorage(dir.string());
  env.setRestartStrategy(RestartStrategy::fixedDelayRestart(1, Duration(0)));
  using KV = std::pair<int64_t, int64_t>;
  auto sums = env.fromSource<KV>(std::make_shared<GeneratorSource<KV>>([](int64_t i) { return KV{i % 3, i}; }, 6000, 20000),
                                 WatermarkStrategy<KV>::noWatermarks(), "numbers")
                  .keyBy([](const KV& v) { return v.first; })
                  .reduce([](const KV& a, const KV& b) { return KV{a.first, a.second + b.second}; })
                  .map([](const KV& v) {
                    if (v.second > 1'000'000 && !failed.exchange(true)) throw std::runtime_error("injected");
                    return v;
                  });
  auto out = api::testing::collect(DataStream<KV>(sums));
  JobExecutionResult r = env.execute("at least once");
  ASSERT_TRUE(r.isOk()) << r.status.toString();
  EXPECT_EQ(r.number_of_restarts, 1);
  EXPECT_GE(r.restored_checkpoint_id, 1);
  // At least once: each key's last sum counts every record (a replay may count some
  // twice, never none).
  std::map<int64_t, int64_t> total, last;
  for (int64_t i = 0; i < 6000; ++i) total[i % 3] += i;
  for (const KV& v : out->values) last[v.first] = std::max(last[v.first], v.second);
  for (const auto& [k, t] : total) EXPECT_GE(last[k], t) << "key " << k;
  fs::remove_all(dir);
}

TEST(RestartBackoffTest, FixedDelayAllowsItsAttempts) {
  RestartBackoff b(RestartStrategy::fixedDelayRestart(2, Duration(50)));
  EXPECT_EQ(b.onFailure(0, 10), Duration(50));
  EXPECT_EQ(b.onFailure(60, 70), Duration(50));
  EXPECT_EQ(b.onFailure(120, 130), std::nullopt);
  RestartBackoff none(RestartStrategy::noRestart());
  EXPECT_EQ(none.onFailure(0, 1), std::nullopt);
}

TEST(RestartBackoffTest, ExponentialDelayGrowsToItsMaximumAndResetsAfterAQuietRun) {
  RestartBackoff b(RestartStrategy::exponentialDelayRestart(Duration(10), Duration(100), 2.0, Duration(1000)));
  EXPECT_EQ(b.onFailure(0, 5), Duration(10));
  EXPECT_EQ(b.onFailure(20, 25), Duration(20));
  EXPECT_EQ(b.onFailure(50, 55), Duration(40));
  EXPECT_EQ(b.onFailure(100, 105), Duration(80));
  EXPECT_EQ(b.onFailure(200, 205), Duration(100));
  EXPECT_EQ(b.onFailure(400, 405), Duration(100));
  EXPECT_EQ(b.onFailure(600, 5000), Duration(10));  // Ran 4.4 s without failing.
}

TEST(RestartBackoffTest, FailureRateCountsFailuresWithinTheInterval) {
  RestartBackoff b(RestartStrategy::failureRateRestart(2, Duration(1000), Duration(5)));
  EXPECT_EQ(b.onFailure(0, 100), Duration(5));
  EXPECT_EQ(b.onFailure(100, 600), Duration(5));
  EXPECT_EQ(b.onFailure(600, 1500), Duration(5));  // 100 fell out of the window.
  EXPECT_EQ(b.onFailure(1500, 1550), std::nullopt);  // 600, 1500, 1550 within 1 s.
}

}  // namespace
}  // namespace eddy
