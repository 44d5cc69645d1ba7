// The partitioned filesystem sink across checkpoints: parts are hidden until their
// checkpoint completes, a restore commits what a completed checkpoint covered, and a
// failed attempt's hidden parts in any partition directory are removed.
#include "eddy/sql/exec/partitioned_file_sink.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <unistd.h>

#include "eddy/operators/simple_operators.h"
#include "eddy/operators/testing/operator_harness.h"

namespace eddy::sql {
namespace {

using Harness = operators::testing::OperatorHarness<RecordBatch>;
using Sink = operators::StreamSink<RecordBatch, PartitionedFileSink>;
namespace fs = std::filesystem;

// Rows (dt STRING, v BIGINT); the sink writes v under dt=<dt>/.
RecordBatch rows(const std::vector<std::pair<std::string, int64_t>>& values) {
  RecordBatch b = emptyBatch(std::vector<LogicalType>{LogicalType::string(), LogicalType::bigint()});
  for (const auto& [dt, v] : values) {
    appendValue(b.columns[0], Value::ofString(dt));
    appendValue(b.columns[1], Value::ofInt(v));
    b.kinds.push_back(RowKind::kInsert);
  }
  return b;
}

std::unique_ptr<runtime::StreamOperatorBase> sink(const fs::path& dir, PartitionCommit commit = {}) {
  BatchEncoder encode = [](const RecordBatch& b) {
    std::string s;
    for (size_t r = 0; r < b.size(); ++r) s += (r ? "\n" : "") + std::to_string(b.columns[0].i64[r]);
    return s;
  };
  return std::make_unique<Sink>(PartitionedFileSink(dir.string(), {0}, {"dt"},
                                                    {LogicalType::string(), LogicalType::bigint()}, encode,
                                                    commit));
}

// Visible files as "<partition>: <content>", hidden ones as "<partition>: hidden".
std::vector<std::string> listing(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::string part = fs::relative(e.path().parent_path(), dir).string();
    if (e.path().filename().string()[0] == '.') {
      out.push_back(part + ": hidden");
      continue;
    }
    std::ifstream in(e.path());
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    out.push_back(part + ": " + content);
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(PartitionedFileSink, PartsOfEveryPartitionCommitWithTheirCheckpointAndLeftoversGoOnRestore) {
  fs::path dir = fs::temp_directory_path() / ("eddy_psink_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  runtime::OperatorSnapshot snapshot;
  {
    Harness h(sink(dir));
    auto& op = h.as<Sink>();
    op.processElement({rows({{"a", 1}, {"b", 2}, {"a", 3}}), 0});
    EXPECT_EQ(listing(dir), (std::vector<std::string>{"dt=a: hidden", "dt=b: hidden"}));
    auto snap = h.op().snapshotState(1);
    ASSERT_TRUE(snap.isOk()) << snap.status().message();
    snapshot = *snap;
    h.op().notifyCheckpointComplete(1);
    EXPECT_EQ(listing(dir), (std::vector<std::string>{"dt=a: 1\n3\n", "dt=b: 2\n"}));
    // After checkpoint 1: a row for a new partition, snapshotted in checkpoint 2 (never
    // completed), then one more; then the attempt fails.
    op.processElement({rows({{"c", 4}})});
    ASSERT_TRUE(h.op().snapshotState(2).isOk());
    op.processElement({rows({{"a", 5}})});
  }
  // The restore from checkpoint 1 removes the failed attempt's hidden parts in dt=a
  // and dt=c; what checkpoint 1 committed stays.
  Harness restored(sink(dir), 0, 1, {snapshot});
  EXPECT_EQ(listing(dir), (std::vector<std::string>{"dt=a: 1\n3\n", "dt=b: 2\n"}));
  restored.as<Sink>().processElement({rows({{"c", 6}})});
  restored.op().finish();  // No checkpointing from here: the end of input commits.
  EXPECT_EQ(listing(dir), (std::vector<std::string>{"dt=a: 1\n3\n", "dt=b: 2\n", "dt=c: 6\n"}));
  fs::remove_all(dir);
}

TEST(PartitionedFileSink, PartitionPathsEscapeAndUnescapeAsFlinks) {
  std::vector<LogicalType> t{LogicalType::string(), LogicalType::integer()};
  EXPECT_EQ(partitionPath({"dt", "hr"}, {Value::ofString("2024/01:02"), Value::ofInt(7)}, t), "dt=2024%2F01%3A02/hr=7");
  EXPECT_EQ(partitionPath({"dt", "hr"}, {Value(), Value::ofInt(7)}, t), "dt=__DEFAULT_PARTITION__/hr=7");
  EXPECT_EQ(partitionPath({"dt"}, {Value::ofString("")}, t), "dt=__DEFAULT_PARTITION__");
  EXPECT_EQ(partitionValue("2024%2F01%3A02"), std::optional<std::string>("2024/01:02"));
  EXPECT_EQ(partitionValue("__DEFAULT_PARTITION__"), std::nullopt);
}

TEST(PartitionedFileSink, TheSuccessFilePolicyMarksAPartitionWhenItsPartsCommit) {
  fs::path dir = fs::temp_directory_path() / ("eddy_psink_success_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  {
    PartitionCommit done;
    done.success_file = "_DONE";
    Harness h(sink(dir, done));
    auto& op = h.as<Sink>();
    op.processElement({rows({{"a", 1}, {"b", 2}}), 0});
    ASSERT_TRUE(h.op().snapshotState(1).isOk());
    EXPECT_FALSE(fs::exists(dir / "dt=a" / "_DONE"));  // Not before the checkpoint completes.
    h.op().notifyCheckpointComplete(1);
    EXPECT_TRUE(fs::exists(dir / "dt=a" / "_DONE"));
    EXPECT_TRUE(fs::exists(dir / "dt=b" / "_DONE"));
    EXPECT_EQ(fs::file_size(dir / "dt=a" / "_DONE"), 0u);
    // Only partitions with parts in the checkpoint are marked.
    op.processElement({rows({{"c", 3}})});
    ASSERT_TRUE(h.op().snapshotState(2).isOk());
    EXPECT_FALSE(fs::exists(dir / "dt=c" / "_DONE"));
    h.op().notifyCheckpointComplete(2);
    EXPECT_TRUE(fs::exists(dir / "dt=c" / "_DONE"));
  }
  fs::remove_all(dir);
}

TEST(PartitionedFileSink, PartitionCommitOptionsAreFlinksOrFailNamingTheOption) {
  auto successFile = [](const std::map<std::string, std::string>& options) {
    auto r = partitionCommitOptions("t", options);
    return r.isOk() ? r->success_file : "error: " + r.status().message();
  };
  EXPECT_EQ(successFile({}), "");
  EXPECT_EQ(successFile({{"sink.partition-commit.policy.kind", "success-file"}}), "_SUCCESS");
  EXPECT_EQ(successFile({{"sink.partition-commit.policy.kind", "success-file"},
                         {"sink.partition-commit.success-file.name", "_OK"},
                         {"sink.partition-commit.delay", "0 s"}}),
            "_OK");
  auto metastore = partitionCommitOptions("t", {{"sink.partition-commit.policy.kind", "metastore,success-file"}});
  ASSERT_FALSE(metastore.isOk());
  EXPECT_NE(metastore.status().message().find("'metastore' is not supported"), std::string::npos);
  auto trigger = partitionCommitOptions("t", {{"sink.partition-commit.trigger", "event-time"}});
  ASSERT_FALSE(trigger.isOk());
  EXPECT_NE(trigger.status().message().find("option 'sink.partition-commit.trigger' = 'event-time'"),
            std::string::npos);
  EXPECT_FALSE(partitionCommitOptions("t", {{"sink.partition-commit.delay", "soon"}}).isOk());
  EXPECT_FALSE(partitionCommitOptions("t", {{"partition.time-extractor.kind", "custom"}}).isOk());
  EXPECT_FALSE(partitionCommitOptions("t", {{"sink.partition-commit.watermark-time-zone", "Mars/Base"}}).isOk());
  auto hourly = partitionCommitOptions("t", {{"sink.partition-commit.trigger", "partition-time"},
                                             {"sink.partition-commit.delay", "1 h"}});
  ASSERT_TRUE(hourly.isOk());
  EXPECT_TRUE(hourly->partition_time);
  EXPECT_EQ(hourly->delay_ms, 3600000);
}

// Flink's default extractor: the first value as a timestamp (or date), or a pattern of
// $key references read with a formatter, in the watermark's time zone.
TEST(PartitionedFileSink, PartitionTimesComeFromThePartitionValues) {
  const int64_t day = 19723LL * 86400000;  // 2024-01-01
  PartitionCommit c;
  auto at = [&](std::vector<std::string> keys, const std::string& dir) {
    Result<int64_t> t = c.partitionTime(keys, dir);
    return t.isOk() ? *t : INT64_MIN;
  };
  EXPECT_EQ(at({"dt"}, "dt=2024-01-01"), day);
  EXPECT_EQ(at({"dt"}, "dt=2024-01-01 05%3A00%3A00"), day + 5 * 3600000);
  c.timestamp_pattern = "$dt $hour:00:00";
  EXPECT_EQ(at({"dt", "hour"}, "dt=2024-01-01/hour=07"), day + 7 * 3600000);
  c.timestamp_pattern = "$dt";
  c.timestamp_formatter = "yyyyMMdd";
  EXPECT_EQ(at({"dt"}, "dt=20240101"), day);
  Result<TimeZone> shanghai = TimeZone::of("Asia/Shanghai");
  ASSERT_TRUE(shanghai.isOk());
  c.watermark_zone = *shanghai;
  EXPECT_EQ(at({"dt"}, "dt=20240101"), day - 8 * 3600000);
  auto bad = c.partitionTime({"dt"}, "dt=yesterday");
  ASSERT_FALSE(bad.isOk());
  EXPECT_NE(bad.status().message().find("partition 'dt=yesterday': its time 'yesterday' does not match the pattern "
                                        "'yyyyMMdd'"),
            std::string::npos);
}

// The partition-time trigger marks a committed partition once the watermark passes its
// time + the delay; the last watermark (the end of input) marks every one.
TEST(PartitionedFileSink, ThePartitionTimeTriggerWaitsForTheWatermark) {
  fs::path dir = fs::temp_directory_path() / ("eddy_psink_ptime_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  {
    PartitionCommit commit;
    commit.success_file = "_SUCCESS";
    commit.partition_time = true;
    commit.delay_ms = 3600000;
    Harness h(sink(dir, commit));
    auto& op = h.as<Sink>();
    const int64_t day = 19723LL * 86400000;
    op.processElement({rows({{"2024-01-01", 1}, {"2024-01-02", 2}}), 0});
    ASSERT_TRUE(h.op().snapshotState(1).isOk());
    h.op().notifyCheckpointComplete(1);
    EXPECT_FALSE(fs::exists(dir / "dt=2024-01-01" / "_SUCCESS"));  // No watermark yet.
    op.processWatermark(runtime::Watermark(day + 3600000));  // Not past: time + delay is not < it.
    EXPECT_FALSE(fs::exists(dir / "dt=2024-01-01" / "_SUCCESS"));
    op.processWatermark(runtime::Watermark(day + 3600001));
    EXPECT_TRUE(fs::exists(dir / "dt=2024-01-01" / "_SUCCESS"));
    EXPECT_FALSE(fs::exists(dir / "dt=2024-01-02" / "_SUCCESS"));
    op.processWatermark(runtime::Watermark::max());
    EXPECT_TRUE(fs::exists(dir / "dt=2024-01-02" / "_SUCCESS"));
  }
  fs::remove_all(dir);
}

TEST(PartitionedFileSink, RollingPolicyOptionsAreFlinks) {
  uint64_t bytes = 0;
  EXPECT_TRUE(parseMemoryBytes("128MB", &bytes));
  EXPECT_EQ(bytes, 128ull << 20);
  EXPECT_TRUE(parseMemoryBytes("64 kb", &bytes));
  EXPECT_EQ(bytes, 64ull << 10);
  EXPECT_TRUE(parseMemoryBytes("1000", &bytes));
  EXPECT_EQ(bytes, 1000u);
  EXPECT_FALSE(parseMemoryBytes("big", &bytes));
  EXPECT_FALSE(parseMemoryBytes("5 parsecs", &bytes));
  auto policy = fileRollingPolicy("t", {{"sink.rolling-policy.file-size", "1 gb"},
                                        {"sink.rolling-policy.rollover-interval", "10 min"},
                                        {"sink.rolling-policy.check-interval", "1 min"}});
  ASSERT_TRUE(policy.isOk());
  EXPECT_EQ(policy->file_size, 1ull << 30);
  EXPECT_EQ(policy->rollover_ms, 600000);
  EXPECT_EQ(policy->inactivity_ms, 1800000);  // Flink's default.
  auto bad = fileRollingPolicy("t", {{"sink.rolling-policy.inactivity-interval", "often"}});
  ASSERT_FALSE(bad.isOk());
  EXPECT_NE(bad.status().message().find("table 't': option 'sink.rolling-policy.inactivity-interval' is not a "
                                        "duration (such as '30 min'): 'often'"),
            std::string::npos)
      << bad.status().message();
}

}  // namespace
}  // namespace eddy::sql
