// Sources checkpoint the position of every unfinished split and continue from there,
// at any parallelism: every record is read exactly once across the restore.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "eddy/operators/source/collection_source.h"
#include "eddy/operators/source/file_source.h"
#include "eddy/operators/source/source_driver.h"

namespace eddy::operators {
namespace {

struct Recorder final : runtime::Output<int64_t> {
  std::vector<int64_t>* out;
  explicit Recorder(std::vector<int64_t>* o) : out(o) {}
  void collect(const runtime::StreamRecord<int64_t>& r) override { out->push_back(r.value); }
  void emitWatermark(runtime::Watermark) override {}
  void emitWatermarkStatus(runtime::WatermarkStatus) override {}
};

/// Reads `first` records per subtask at parallelism `before`, snapshots, then reads the
/// rest at parallelism `after`; returns everything read, sorted.
std::vector<int64_t> readAcrossRestore(std::shared_ptr<Source<int64_t>> source, int before, int after, int first) {
  ManualClock clock;
  std::vector<int64_t> seen;
  Recorder rec(&seen);
  auto strategy = WatermarkStrategy<int64_t>::noWatermarks();
  std::vector<std::string> states;
  for (int s = 0; s < before; ++s) {
    SourceDriver<int64_t> d(source, strategy, s, before, &clock, &rec);
    EXPECT_TRUE(d.open().isOk());
    EXPECT_TRUE(d.emitNext(first).isOk());
    auto st = d.snapshotState();
    EXPECT_TRUE(st.isOk()) << st.status().toString();
    states.push_back(*st);
  }
  for (int s = 0; s < after; ++s) {
    SourceDriver<int64_t> d(source, strategy, s, after, &clock, &rec);
    EXPECT_TRUE(d.initializeState(states).isOk());
    EXPECT_TRUE(d.open().isOk());
    while (true) {
      auto r = d.emitNext(7);
      EXPECT_TRUE(r.isOk()) << r.status().toString();
      if (!r.isOk() || *r == ReadStatus::kEndOfInput) break;
    }
  }
  std::sort(seen.begin(), seen.end());
  return seen;
}

std::vector<int64_t> range(int64_t n) {
  std::vector<int64_t> v(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) v[static_cast<size_t>(i)] = i;
  return v;
}

TEST(SourceSnapshot, GeneratorAndCollectionContinueWhereTheyStopped) {
  auto gen = std::make_shared<GeneratorSource<int64_t>>([](int64_t i) { return i; }, 1000);
  EXPECT_EQ(readAcrossRestore(gen, 3, 2, 50), range(1000));
  EXPECT_EQ(readAcrossRestore(gen, 1, 4, 999), range(1000));
  auto col = std::make_shared<CollectionSource<int64_t>>(range(100));
  EXPECT_EQ(readAcrossRestore(col, 1, 3, 40), range(100));
}

TEST(SourceSnapshot, FileSplitsContinueAtTheNextLineWithItsNumber) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("eddy_src_snap_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  for (int f = 0; f < 3; ++f) {
    std::ofstream out(dir / ("part-" + std::to_string(f)));
    for (int i = 0; i < 300; ++i) out << (f * 300 + i) << "\n";
  }
  auto parse = [](std::string_view line, int64_t n) -> Result<std::optional<int64_t>> {
    if (line == "450") return Status::invalidArgument("the bad line " + std::to_string(n));
    return std::optional<int64_t>(std::stoll(std::string(line)));
  };
  auto good = [](std::string_view line, int64_t) -> Result<std::optional<int64_t>> {
    return std::optional<int64_t>(std::stoll(std::string(line)));
  };
  auto files = std::make_shared<FileSource<int64_t>>(std::vector<std::string>{dir.string()}, good);
  files->setSplitSize(500);  // Several byte ranges per file.
  EXPECT_EQ(readAcrossRestore(files, 2, 3, 37), range(900));
  EXPECT_EQ(readAcrossRestore(files, 3, 1, 1), range(900));

  // After a restore, errors still name the line of the file.
  auto bad = std::make_shared<FileSource<int64_t>>(std::vector<std::string>{(dir / "part-1").string()}, parse);
  ManualClock clock;
  std::vector<int64_t> seen;
  Recorder rec(&seen);
  SourceDriver<int64_t> first(bad, WatermarkStrategy<int64_t>::noWatermarks(), 0, 1, &clock, &rec);
  ASSERT_TRUE(first.open().isOk());
  ASSERT_TRUE(first.emitNext(100).isOk());
  auto st = first.snapshotState();
  SourceDriver<int64_t> second(bad, WatermarkStrategy<int64_t>::noWatermarks(), 0, 1, &clock, &rec);
  ASSERT_TRUE(second.initializeState({*st}).isOk());
  ASSERT_TRUE(second.open().isOk());
  Result<ReadStatus> r = second.emitNext(1000);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().message(), (dir / "part-1").string() + ":151: the bad line 151");
  fs::remove_all(dir);
}

/// Records and watermarks, in order: "r<value>" and "w<timestamp>".
struct EventLog final : runtime::Output<int64_t> {
  std::vector<std::string> events;
  void collect(const runtime::StreamRecord<int64_t>& r) override { events.push_back("r" + std::to_string(r.value)); }
  void emitWatermark(runtime::Watermark w) override { events.push_back("w" + std::to_string(w.timestamp)); }
  void emitWatermarkStatus(runtime::WatermarkStatus) override {}
};

TEST(SourceSnapshot, TheWatermarkComesBackBeforeAnyRecord) {
  // Timestamps 10, 50, 20, 30, 60: with punctuated watermarks (out-of-orderness 0), a
  // restore after 50 must not let 20 and 30 pass for on time.
  auto source = std::make_shared<CollectionSource<int64_t>>(std::vector<int64_t>{10, 50, 20, 30, 60});
  auto strategy = WatermarkStrategy<int64_t>::forGenerator([] {
                    return std::make_unique<PunctuatedBoundedOutOfOrderness<int64_t>>(0);
                  }).withTimestampAssigner([](const int64_t& v) { return v; });
  ManualClock clock;
  EventLog before;
  SourceDriver<int64_t> first(source, strategy, 0, 1, &clock, &before);
  ASSERT_TRUE(first.open().isOk());
  ASSERT_TRUE(first.emitNext(2).isOk());
  EXPECT_EQ(before.events, (std::vector<std::string>{"r10", "w9", "r50", "w49"}));
  auto st = first.snapshotState();
  ASSERT_TRUE(st.isOk());

  EventLog after;
  SourceDriver<int64_t> second(source, strategy, 0, 1, &clock, &after);
  ASSERT_TRUE(second.initializeState({*st}).isOk());
  ASSERT_TRUE(second.open().isOk());
  Result<ReadStatus> r = second.emitNext(10);
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(*r, ReadStatus::kEndOfInput);
  EXPECT_EQ(after.events, (std::vector<std::string>{"w49", "r20", "r30", "r60", "w59"}));
}

}  // namespace
}  // namespace eddy::operators
