// Savepoints of a running job through its JobClient (Flink's executeAsync): a savepoint
// taken while the job runs, stop-with-savepoint, starting a new job from either, and
// cancellation with the externalized-checkpoint cleanup.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <thread>

#include "eddy/api/eddy.h"
#include "eddy/api/testing_util.h"

namespace eddy {
namespace {

namespace fs = std::filesystem;
using KV = std::pair<int64_t, int64_t>;

fs::path scratch(const std::string& name) { return api::testing::scratchDir("savepoint_" + name); }

constexpr int64_t kRecords = 20000;

/// Sums per key of a paced source, with uids: 2 s of records, long enough for a savepoint
/// midway even when the first checkpoint of an incremental RocksDB backend under ASan on
/// a loaded machine takes most of a second (at 40000 records/s the job had ended first).
std::shared_ptr<operators::CollectSink<KV>::Results> sumJob(StreamExecutionEnvironment& env, const fs::path& dir,
                                                            bool rocksdb) {
  env.setParallelism(2);
  if (rocksdb) env.setStateBackend(EmbeddedRocksDBStateBackend(/*incremental=*/true).setCacheEntriesPerState(16));
  env.enableCheckpointing(20);
  env.getCheckpointConfig().setCheckpointStorage((dir / "checkpoints").string());
  auto sums = env.fromSource<KV>(std::make_shared<GeneratorSource<KV>>([](int64_t i) { return KV{i % 5, i}; }, kRecords, 10000),
                                 WatermarkStrategy<KV>::noWatermarks(), "numbers")
                  .uid("numbers")
                  .keyBy([](const KV& v) { return v.first; })
                  .reduce([](const KV& a, const KV& b) { return KV{a.first, a.second + b.second}; })
                  .uid("sums");
  return api::testing::collect(DataStream<KV>(sums));
}

/// Waits until the job completed a checkpoint: it has processed records by then.
void awaitCheckpoint(const fs::path& dir) {
  auto has = [&] {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir / "checkpoints", ec)) {
      if (fs::exists(e.path() / "_metadata")) return true;
    }
    return false;
  };
  while (!has()) std::this_thread::yield();
}

std::map<int64_t, int64_t> lastSums(const std::vector<KV>& out) {
  std::map<int64_t, int64_t> last;
  for (const KV& v : out) last[v.first] = std::max(last[v.first], v.second);
  return last;
}

std::map<int64_t, int64_t> expectedSums() {
  std::map<int64_t, int64_t> total;
  for (int64_t i = 0; i < kRecords; ++i) total[i % 5] += i;
  return total;
}

/// A new run of sumJob started from the savepoint at `path`; its sums go to `*out`.
JobExecutionResult runFrom(const std::string& path, const fs::path& dir, bool rocksdb,
                           std::shared_ptr<operators::CollectSink<KV>::Results>* out) {
  StreamExecutionEnvironment env;
  *out = sumJob(env, dir, rocksdb);
  env.setSavepointRestoreSettings(SavepointRestoreSettings::forPath(path));
  return env.execute("from savepoint");
}

class Savepoints : public ::testing::TestWithParam<bool> {};  // RocksDB (incremental)?

TEST_P(Savepoints, ASavepointOfARunningJobStartsANewJobWhereItWas) {
  fs::path dir = scratch(std::string("trigger") + (GetParam() ? "_rocks" : ""));
  StreamExecutionEnvironment env;
  auto out = sumJob(env, dir, GetParam());
  auto client = env.executeAsync("savepointed");
  awaitCheckpoint(dir);
  Result<std::string> path = client->triggerSavepoint((dir / "savepoints").string());
  ASSERT_TRUE(path.isOk()) << path.status().toString();
  EXPECT_TRUE(fs::exists(fs::path(*path) / "_metadata")) << *path;
  const JobExecutionResult& r = client->getJobExecutionResult();
  ASSERT_TRUE(r.isOk()) << r.status.toString();
  EXPECT_EQ(lastSums(out->values), expectedSums());

  // The savepoint is self-contained: a new job starts from it after the first one's
  // checkpoints are gone, and ends with the same sums.
  fs::remove_all(dir / "checkpoints");
  std::shared_ptr<operators::CollectSink<KV>::Results> out2;
  JobExecutionResult r2 = runFrom(*path, dir, GetParam(), &out2);
  ASSERT_TRUE(r2.isOk()) << r2.status.toString();
  EXPECT_GE(r2.restored_checkpoint_id, 1);
  EXPECT_EQ(lastSums(out2->values), expectedSums());
  EXPECT_LT(out2->values.size(), static_cast<size_t>(kRecords)) << "the new job started from the beginning";
  fs::remove_all(dir);
}

TEST_P(Savepoints, StopWithSavepointEndsTheJobThereAndAResumedJobFinishesIt) {
  fs::path dir = scratch(std::string("stop") + (GetParam() ? "_rocks" : ""));
  StreamExecutionEnvironment env;
  auto out = sumJob(env, dir, GetParam());
  auto client = env.executeAsync("stopped");
  awaitCheckpoint(dir);
  Result<std::string> path = client->stopWithSavepoint((dir / "savepoints").string());
  ASSERT_TRUE(path.isOk()) << path.status().toString();
  const JobExecutionResult& r = client->getJobExecutionResult();
  ASSERT_TRUE(r.isOk()) << r.status.toString();  // Stopped is finished, not failed.
  const size_t before = out->values.size();
  EXPECT_LT(before, static_cast<size_t>(kRecords)) << "the job ran to its end instead of stopping";

  // Nothing after the savepoint was processed: the resumed job's updates and the
  // stopped job's together are one update per record.
  std::shared_ptr<operators::CollectSink<KV>::Results> out2;
  JobExecutionResult r2 = runFrom(*path, dir, GetParam(), &out2);
  ASSERT_TRUE(r2.isOk()) << r2.status.toString();
  EXPECT_EQ(before + out2->values.size(), static_cast<size_t>(kRecords));
  EXPECT_EQ(lastSums(out2->values), expectedSums());
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Backends, Savepoints, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "rocksdb_incremental" : "hashmap"; });

TEST(JobClientTest, CancelEndsTheJobWithoutRestartsAndDeletesItsCheckpointsByDefault) {
  for (auto cleanup : {ExternalizedCheckpointCleanup::kNoExternalizedCheckpoints,
                       ExternalizedCheckpointCleanup::kRetainOnCancellation}) {
    fs::path dir = scratch("cancel");
    StreamExecutionEnvironment env;
    auto out = sumJob(env, dir, false);
    env.setRestartStrategy(RestartStrategy::fixedDelayRestart(5, Duration(0)));
    env.getCheckpointConfig().setExternalizedCheckpointCleanup(cleanup);
    auto client = env.executeAsync("cancelled");
    awaitCheckpoint(dir);
    client->cancel();
    const JobExecutionResult& r = client->getJobExecutionResult();
    EXPECT_EQ(r.status.code(), StatusCode::kCancelled) << r.status.toString();
    EXPECT_EQ(r.number_of_restarts, 0);
    bool kept = false;
    for (const auto& e : fs::directory_iterator(dir / "checkpoints")) kept |= e.path().filename().string().rfind("chk-", 0) == 0;
    EXPECT_EQ(kept, cleanup == ExternalizedCheckpointCleanup::kRetainOnCancellation);
    fs::remove_all(dir);
  }
}

TEST(JobClientTest, SavepointsNeedCheckpointing) {
  StreamExecutionEnvironment env;
  auto out = api::testing::collect(
      env.fromSource<int64_t>(std::make_shared<GeneratorSource<int64_t>>([](int64_t i) { return i; }, 2000, 4000),
                              WatermarkStrategy<int64_t>::noWatermarks(), "numbers"));
  auto client = env.executeAsync("plain");
  Result<std::string> path = client->triggerSavepoint(scratch("none").string());
  ASSERT_FALSE(path.isOk());
  EXPECT_NE(path.status().message().find("enableCheckpointing"), std::string::npos) << path.status().toString();
  EXPECT_TRUE(client->getJobExecutionResult().isOk());
}

}  // namespace
}  // namespace eddy
