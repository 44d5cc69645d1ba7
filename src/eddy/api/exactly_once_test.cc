// Exactly-once end to end, by fault injection: a job with keyed event-time windows,
// ValueState and two FileSinks fails again and again at random records (deterministic
// seeds) and restarts from its latest checkpoint each time; afterwards the committed
// part files hold exactly the rows of a run that never failed — none lost, none twice.
// Also across "processes" and parallelism changes (2 -> 1, 1 -> 2). Bounded here;
// EDDY_SLOW_TESTS=1 runs more seeds over more records.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "eddy/api/eddy.h"
#include "eddy/api/testing_util.h"

namespace eddy {
namespace {

namespace fs = std::filesystem;
using Ev = std::pair<int64_t, int64_t>;  // (key, timestamp = index)

constexpr int64_t kKeys = 7;
constexpr int64_t kWindow = 1000;

bool slow() {
  const char* v = std::getenv("EDDY_SLOW_TESTS");
  return v != nullptr && std::string(v) == "1";
}

/// Throws when the number of records seen by all attempts reaches the next kill point.
struct Killer {
  std::atomic<int64_t> seen{0};
  std::vector<int64_t> kill_at;  // Ascending.
  std::atomic<size_t> next{0};
  /// When set, a kill point is also held back until this says yes (looked at every 64
  /// records), e.g. until a checkpoint exists, however slow the machine.
  std::function<bool()> ready;
};
Killer* g_killer = nullptr;

/// Fails at random moments of the two-phase commit protocol itself, where a mistake in
/// it would show: right after a pre-commit (the checkpoint is not complete yet), and
/// before and after a commit (the checkpoint is complete; its notification may be lost).
struct Chaos {
  std::mutex mu;
  std::mt19937_64 rng;
  int budget = 0;
  void maybeFail(const char* where) {
    std::lock_guard<std::mutex> lock(mu);
    if (budget > 0 && rng() % 4 == 0) {
      --budget;
      throw std::runtime_error(std::string("injected failure ") + where);
    }
  }
};
Chaos* g_chaos = nullptr;

/// The file sink's part files under a sink that fails per Chaos.
class FlakyFileSink final : public TwoPhaseCommitSinkFunction<std::string, FileTransaction> {
 public:
  using TwoPhaseCommitSinkFunction::invoke;
  explicit FlakyFileSink(std::string dir) : dir_(std::move(dir)) {}
  FlakyFileSink(const FlakyFileSink& o) : dir_(o.dir_) {}

 protected:
  FileTransaction beginTransaction() override { return {}; }
  void invoke(FileTransaction& txn, const std::string& value, const Context&) override {
    writer().write(txn, value + "\n");
  }
  void preCommit(FileTransaction& txn) override {
    writer().preCommit(txn);
    if (g_chaos != nullptr) g_chaos->maybeFail("after a pre-commit");
  }
  void commit(FileTransaction& txn) override {
    if (g_chaos != nullptr) g_chaos->maybeFail("before a commit");
    writer().commit(txn);
    if (g_chaos != nullptr) g_chaos->maybeFail("after a commit");
  }
  void abort(FileTransaction& txn) override {
    if (writer_) writer_->abort(txn);
  }
  void finishRecoveringContext(const std::vector<FileTransaction>& known) override { writer().removeLeftovers(known); }

 private:
  operators::PartFileWriter& writer() {
    if (!writer_) {
      auto& rc = getRuntimeContext();
      writer_ = std::make_unique<operators::PartFileWriter>(dir_, OutputFileConfig{}, rc.getAttemptId(),
                                                            rc.getIndexOfThisSubtask(), 0);
    }
    return *writer_;
  }
  std::string dir_;
  std::unique_ptr<operators::PartFileWriter> writer_;
};

/// Microseconds RunningSum spends per record: a slow consumer backpressures the source,
/// so barriers find data queued before them (what unaligned checkpoints store).
std::atomic<int> g_spin_us{0};

void spin(int us) {
  if (us <= 0) return;
  auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(us);
  while (std::chrono::steady_clock::now() < until) {
  }
}

class RunningSum final : public KeyedProcessFunction<int64_t, Ev, std::string> {
 public:
  void open() override { sum_ = &getRuntimeContext().getState(ValueStateDescriptor<int64_t>("sum")); }
  void processElement(const Ev& e, Context&, Collector<std::string>& out) override {
    spin(g_spin_us.load());
    int64_t s = sum_->value().value_or(0) + e.second;
    sum_->update(s);
    out.collect(std::to_string(e.first) + "," + std::to_string(e.second) + "," + std::to_string(s));
  }

 private:
  ValueState<int64_t>* sum_ = nullptr;
};

/// Sums per key and window, and running sums per key, into `dir`/windows and `dir`/sums.
/// `flaky`: the running sums go through FlakyFileSink. The windows see the events through
/// a rebalance over all subtasks, so their tasks align barriers of several channels.
void buildJob(StreamExecutionEnvironment& env, const fs::path& dir, int64_t records, double rate, bool flaky = false) {
  auto strategy = WatermarkStrategy<Ev>::forMonotonousTimestamps().withTimestampAssigner([](const Ev& e) { return e.second; });
  auto events = env.fromSource<Ev>(std::make_shared<GeneratorSource<Ev>>([](int64_t i) { return Ev{i % kKeys, i}; },
                                                                       records, rate),
                                   strategy, "events")
                    .uid("events")
                    .setParallelism(1)  // One producer: each key's records arrive in index order.
                    .map([](const Ev& e) {
                      Killer* k = g_killer;
                      if (k != nullptr) {
                        int64_t n = k->seen.fetch_add(1) + 1;
                        size_t i = k->next.load();
                        if (i < k->kill_at.size() && n >= k->kill_at[i] && (!k->ready || (n % 64 == 0 && k->ready())) &&
                            k->next.compare_exchange_strong(i, i + 1)) {
                          throw std::runtime_error("injected failure");
                        }
                      }
                      return e;
                    })
                    .setParallelism(1);
  DataStream<std::string> sums = events.keyBy([](const Ev& e) { return e.first; }).process(RunningSum()).uid("sums");
  if (flaky) {
    sums.addSink(FlakyFileSink((dir / "sums").string()), "flaky").uid("sums-sink");
  } else {
    sums.sinkTo(FileSink<std::string>::forRowFormat((dir / "sums").string(), SimpleStringEncoder<std::string>()).build())
        .uid("sums-sink");
  }
  DataStream<std::string> windows =
      events.rebalance()
          .map([](const Ev& e) { return e; })
          .keyBy([](const Ev& e) { return e.first; })
          .window(TumblingEventTimeWindows::of(Duration(kWindow)))
          .reduce([](const Ev& a, const Ev& b) { return Ev{a.first, a.second + b.second}; })
          .uid("windows")
          .map([](const Ev& e) { return std::to_string(e.first) + "," + std::to_string(e.second); });
  windows.sinkTo(FileSink<std::string>::forRowFormat((dir / "windows").string(), SimpleStringEncoder<std::string>()).build())
      .uid("windows-sink");
}

/// The rows a failure-free run must commit, computed without Eddy.
std::vector<std::string> expectedSums(int64_t records) {
  std::vector<std::string> rows;
  std::map<int64_t, int64_t> sum;
  for (int64_t i = 0; i < records; ++i) {
    int64_t k = i % kKeys;
    rows.push_back(std::to_string(k) + "," + std::to_string(i) + "," + std::to_string(sum[k] += i));
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}
std::vector<std::string> expectedWindows(int64_t records) {
  std::map<std::pair<int64_t, int64_t>, int64_t> sum;  // (key, window) -> sum
  for (int64_t i = 0; i < records; ++i) sum[{i % kKeys, i / kWindow}] += i;
  std::vector<std::string> rows;
  for (const auto& [kw, s] : sum) rows.push_back(std::to_string(kw.first) + "," + std::to_string(s));
  std::sort(rows.begin(), rows.end());
  return rows;
}

/// Every line of the committed part files (names not starting with '.'), sorted.
std::vector<std::string> committedRows(const fs::path& dir) {
  std::vector<std::string> rows;
  if (!fs::exists(dir)) return rows;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    EXPECT_EQ(name.rfind("part-", 0), 0u) << name;
    std::ifstream in(entry.path());
    for (std::string line; std::getline(in, line);) rows.push_back(line);
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

fs::path scratch(const std::string& name) { return api::testing::scratchDir("eo_" + name); }

enum class Backend { kHashMap, kRocksDb, kRocksDbIncremental };

const char* backendName(Backend b) {
  switch (b) {
    case Backend::kHashMap:
      return "_hashmap";
    case Backend::kRocksDb:
      return "_rocksdb";
    case Backend::kRocksDbIncremental:
      return "_rocksdb_incremental";
  }
  return "";
}

void useBackend(StreamExecutionEnvironment& env, Backend backend) {
  // RocksDB with a small cache, so state really travels through RocksDB.
  if (backend == Backend::kHashMap) return;
  env.setStateBackend(EmbeddedRocksDBStateBackend(backend == Backend::kRocksDbIncremental).setCacheEntriesPerState(16));
}

/// How barriers travel: aligned, unaligned from the start, or aligned until a 1 ms
/// alignment timeout switches a task to unaligned.
enum class Alignment { kAligned, kUnaligned, kTimeout };

const char* alignmentName(Alignment a) {
  switch (a) {
    case Alignment::kAligned:
      return "_aligned";
    case Alignment::kUnaligned:
      return "_unaligned";
    case Alignment::kTimeout:
      return "_alignment_timeout";
  }
  return "";
}

/// Unaligned checkpoints, with a consumer slow enough that barriers overtake data.
void useAlignment(StreamExecutionEnvironment& env, Alignment alignment) {
  g_spin_us = alignment == Alignment::kAligned ? 0 : 50;  // Below the source rate of 60k/s even at parallelism 2.
  if (alignment != Alignment::kAligned) env.getCheckpointConfig().enableUnalignedCheckpoints();
  if (alignment == Alignment::kTimeout) env.getCheckpointConfig().setAlignedCheckpointTimeout(Duration(1));
}

/// (parallelism, state backend, alignment)
class ExactlyOnce : public ::testing::TestWithParam<std::tuple<int, Backend, Alignment>> {};

TEST_P(ExactlyOnce, OutputOfAJobKilledManyTimesEqualsTheFailureFreeRun) {
  const int parallelism = std::get<0>(GetParam());
  const Backend backend = std::get<1>(GetParam());
  const Alignment alignment = std::get<2>(GetParam());
  const bool unaligned = alignment != Alignment::kAligned;
  const int seeds = slow() ? 12 : 2;
  const int64_t records = slow() ? 60000 : 12000;
  int64_t replayed = 0;
  for (int seed = 1; seed <= seeds; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    fs::path dir = scratch("kill_p" + std::to_string(parallelism) + backendName(backend) + "_a" +
                           std::to_string(static_cast<int>(alignment)) + "_s" + std::to_string(seed));
    Killer killer;
    std::mt19937_64 rng(static_cast<uint64_t>(seed));
    const int kills = 4;
    // The first kill within the first pass over the input, the next ones a random
    // stretch of (replayed or new) records later.
    int64_t at = 0;
    for (int i = 0; i < kills; ++i) {
      at += 1 + static_cast<int64_t>(rng() % static_cast<uint64_t>(i == 0 ? records - 1 : records / 2));
      killer.kill_at.push_back(at);
    }
    g_killer = &killer;
    Chaos chaos;
    chaos.rng.seed(static_cast<uint64_t>(seed) * 7919);
    chaos.budget = 3;
    g_chaos = &chaos;

    StreamExecutionEnvironment env;
    env.setParallelism(parallelism);
    useBackend(env, backend);
    useAlignment(env, alignment);
    env.enableCheckpointing(10);
    env.getCheckpointConfig().setCheckpointStorage((dir / "checkpoints").string());
    env.setRestartStrategy(RestartStrategy::fixedDelayRestart(kills + chaos.budget, Duration(0)));
    buildJob(env, dir, records, /*rate=*/records * 5.0, /*flaky=*/true);
    JobExecutionResult r = env.execute("exactly once");
    g_killer = nullptr;
    g_chaos = nullptr;
    ASSERT_TRUE(r.isOk()) << r.status.toString();
    EXPECT_GE(r.number_of_restarts, 1);
    EXPECT_EQ(committedRows(dir / "sums"), expectedSums(records));
    EXPECT_EQ(committedRows(dir / "windows"), expectedWindows(records));
    replayed += r.in_flight_records_restored;
    fs::remove_all(dir);
  }
  // Otherwise the unaligned runs proved nothing about in-flight data.
  if (unaligned) {
    EXPECT_GT(replayed, 0) << "no restore replayed in-flight records";
  } else {
    EXPECT_EQ(replayed, 0);
  }
}

INSTANTIATE_TEST_SUITE_P(ParallelismBackendAndAlignment, ExactlyOnce,
                         ::testing::Combine(::testing::Values(1, 2),
                                            ::testing::Values(Backend::kHashMap, Backend::kRocksDb,
                                                              Backend::kRocksDbIncremental),
                                            ::testing::Values(Alignment::kAligned, Alignment::kUnaligned,
                                                              Alignment::kTimeout)),
                         [](const auto& info) {
                           return "p" + std::to_string(std::get<0>(info.param)) +
                                  backendName(std::get<1>(info.param)) +
                                  alignmentName(std::get<2>(info.param));
                         });

/// A "process" that dies (no restart strategy) and a new one resuming from the retained
/// checkpoint at another parallelism: key groups and sink transactions are redistributed.
void killThenResume(int first_parallelism, int second_parallelism, Backend first_backend, Backend second_backend,
                    bool unaligned = false) {
  const int64_t records = 12000;
  fs::path dir = scratch("rescale_" + std::to_string(first_parallelism) + std::to_string(second_parallelism) +
                         (unaligned ? "_ua" : ""));
  // One "process": a fresh environment resuming from the newest checkpoint in `dir`.
  auto run = [&](int parallelism, Backend backend, double rate) {
    StreamExecutionEnvironment env;
    env.setParallelism(parallelism);
    useBackend(env, backend);
    useAlignment(env, unaligned ? Alignment::kUnaligned : Alignment::kAligned);
    // A backlog for certain even on a loaded machine: the kill's checkpoint holds it.
    if (unaligned) g_spin_us = 100;
    env.enableCheckpointing(10);
    env.getCheckpointConfig().setCheckpointStorage((dir / "checkpoints").string()).setResumeFromLatestCheckpoint(true);
    buildJob(env, dir, records, rate);
    return env.execute("rescaled");
  };
  Killer killer;
  killer.kill_at = {records / 2};
  killer.ready = [&] {  // The kill must find a checkpoint to resume from.
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir / "checkpoints", ec)) {
      if (fs::exists(e.path() / "_metadata")) return true;
    }
    return false;
  };
  g_killer = &killer;
  {
    // A second of input: long enough for a checkpoint to complete before the kill even
    // on a loaded machine under a sanitizer (the kill waits for one).
    JobExecutionResult r = run(first_parallelism, first_backend, records * 1.0);
    ASSERT_FALSE(r.isOk());
    ASSERT_GE(r.number_of_completed_checkpoints, 1) << "the kill came before any checkpoint";
    if (first_backend == Backend::kRocksDbIncremental) {
      // The keyed state went into the storage as RocksDB's files, shared by checkpoints.
      fs::path shared = dir / "checkpoints" / "shared";
      EXPECT_TRUE(fs::exists(shared) && !fs::is_empty(shared)) << "no shared state files";
    }
  }
  g_killer = nullptr;
  JobExecutionResult r = run(second_parallelism, second_backend, records * 5.0);
  ASSERT_TRUE(r.isOk()) << r.status.toString();
  EXPECT_GE(r.last_checkpoint_restore_timestamp, 0);
  // The slow consumer had a backlog: the checkpoint held in-flight records to spread.
  if (unaligned) {
    EXPECT_GT(r.in_flight_records_restored, 0);
  }
  EXPECT_EQ(committedRows(dir / "sums"), expectedSums(records));
  EXPECT_EQ(committedRows(dir / "windows"), expectedWindows(records));
  // A run after the job finished restores its final checkpoint and changes nothing.
  JobExecutionResult rerun = run(second_parallelism, second_backend, records * 5.0);
  ASSERT_TRUE(rerun.isOk()) << rerun.status.toString();
  EXPECT_EQ(committedRows(dir / "sums"), expectedSums(records));
  fs::remove_all(dir);
}

constexpr Backend kHeap = Backend::kHashMap;
constexpr Backend kRocks = Backend::kRocksDb;
constexpr Backend kIncremental = Backend::kRocksDbIncremental;

TEST(ExactlyOnceRescale, FromTwoToOne) { killThenResume(2, 1, kHeap, kHeap); }
TEST(ExactlyOnceRescale, FromOneToTwo) { killThenResume(1, 2, kHeap, kHeap); }
TEST(ExactlyOnceRescale, FromTwoToOneInRocksDb) { killThenResume(2, 1, kRocks, kRocks); }
TEST(ExactlyOnceRescale, FromHeapAtOneToRocksDbAtTwo) { killThenResume(1, 2, kHeap, kRocks); }
TEST(ExactlyOnceRescale, IncrementalFromTwoToOne) { killThenResume(2, 1, kIncremental, kIncremental); }
TEST(ExactlyOnceRescale, IncrementalFromOneToTwo) { killThenResume(1, 2, kIncremental, kIncremental); }
TEST(ExactlyOnceRescale, IncrementalAtTheSameParallelism) { killThenResume(2, 2, kIncremental, kIncremental); }
TEST(ExactlyOnceRescale, FromIncrementalRocksDbToHeap) { killThenResume(2, 2, kIncremental, kHeap); }
TEST(ExactlyOnceRescale, UnalignedFromTwoToOne) { killThenResume(2, 1, kHeap, kHeap, /*unaligned=*/true); }
TEST(ExactlyOnceRescale, UnalignedFromOneToTwo) { killThenResume(1, 2, kHeap, kRocks, /*unaligned=*/true); }
TEST(ExactlyOnceRescale, UnalignedAtTheSameParallelism) { killThenResume(2, 2, kIncremental, kIncremental, /*unaligned=*/true); }

TEST(FileSink, WithoutCheckpointingCommitsAtTheEndOfInput) {
  fs::path dir = scratch("plain");
  StreamExecutionEnvironment env;
  env.setParallelism(2);
  env.fromElements<std::string>({"a", "b", "c"})
      .sinkTo(FileSink<std::string>::forRowFormat(dir.string(), SimpleStringEncoder<std::string>()).build());
  JobExecutionResult r = env.execute("plain");
  ASSERT_TRUE(r.isOk()) << r.status.toString();
  EXPECT_EQ(committedRows(dir), (std::vector<std::string>{"a", "b", "c"}));
  for (const auto& entry : fs::directory_iterator(dir)) {
    EXPECT_NE(entry.path().filename().string()[0], '.') << "left behind: " << entry.path();
  }
  fs::remove_all(dir);
}

TEST(FileSink, PartsRollOverAtTheSizeLimit) {
  fs::path dir = scratch("roll");
  StreamExecutionEnvironment env;
  env.setParallelism(1);
  std::vector<std::string> values;
  for (int i = 0; i < 100; ++i) values.push_back("row-" + std::to_string(1000 + i));  // 9 bytes a line.
  env.fromCollection(values).sinkTo(
      FileSink<std::string>::forRowFormat(dir.string(), SimpleStringEncoder<std::string>()).withMaxPartSize(90).build());
  ASSERT_TRUE(env.execute("roll").isOk());
  std::sort(values.begin(), values.end());
  EXPECT_EQ(committedRows(dir), values);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 10);
  fs::remove_all(dir);
}

TEST(FileSink, AnUnwritableDirectoryFailsTheJobNamingIt) {
  fs::path file = scratch("not_a_dir");
  { std::ofstream(file) << "x"; }
  StreamExecutionEnvironment env;
  env.fromElements<std::string>({"a"}).sinkTo(
      FileSink<std::string>::forRowFormat(file.string(), SimpleStringEncoder<std::string>()).build());
  JobExecutionResult r = env.execute("bad dir");
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.status.message().find(file.string()), std::string::npos) << r.status.message();
  fs::remove_all(file);
}

}  // namespace
}  // namespace eddy
