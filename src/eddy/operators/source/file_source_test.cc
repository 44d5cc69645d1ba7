#include "eddy/operators/source/file_source.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace eddy::operators {
namespace {

class FileSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("eddy_file_source_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  std::filesystem::path dir_;
};

/// Every (line number, line) that readers over consecutive ranges of `split` bytes see.
std::map<int64_t, std::string> readInRanges(const std::string& path, uint64_t size, uint64_t split) {
  std::map<int64_t, std::string> seen;
  for (uint64_t start = 0; start < size; start += split) {
    LineReader r(path, start, start + split >= size ? LineReader::kToEnd : start + split);
    EXPECT_TRUE(r.open().isOk());
    std::string_view line;
    while (r.next(&line).value()) {
      EXPECT_TRUE(seen.emplace(r.lineNumber(), std::string(line)).second)
          << "line " << r.lineNumber() << " read twice with split " << split << " at " << start;
    }
  }
  return seen;
}

TEST_F(FileSourceTest, ByteRangesTileAFileIntoEachLineOnceWithItsNumber) {
  std::string text;
  std::map<int64_t, std::string> expected;
  for (int i = 1; i <= 40; ++i) {
    std::string line = std::string(static_cast<size_t>(i % 7), 'x') + std::to_string(i);
    if (i == 13) line.clear();  // Empty lines count too.
    text += line + (i % 5 == 0 ? "\r\n" : "\n");
    expected[i] = line;
  }
  text += "last-without-newline";
  expected[41] = "last-without-newline";
  std::string path = write("lines.txt", text);
  std::vector<uint64_t> splits = {text.size() / 2, text.size() - 1, text.size(), text.size() + 1};
  for (uint64_t split = 1; split <= 64; ++split) splits.push_back(split);  // Every offset kind.
  for (uint64_t split : splits) {
    ASSERT_EQ(readInRanges(path, text.size(), split), expected) << "split size " << split;
  }
}

struct Row {
  std::string key;
  int64_t n;
  bool operator<(const Row& o) const { return n < o.n; }
};

TEST_F(FileSourceTest, SplitsOfLargeFilesAreSharedOverSubtasksAndErrorsNameTheFileLine) {
  std::string text = "key,n\n";
  for (int i = 0; i < 500; ++i) text += "k" + std::to_string(i % 9) + "," + std::to_string(i) + "\n";
  std::string good = write("good.csv", text);
  auto parse = [](CsvRow& row) -> Result<Row> {
    Row r;
    EDDY_ASSIGN_OR_RETURN(r.key, row.getString(0, "key"));
    EDDY_ASSIGN_OR_RETURN(r.n, row.getInt64(1, "n"));
    return r;
  };
  auto source = FileSource<Row>::forCsv({good}, parse, std::string("key,n"));
  source->setSplitSize(256);
  ManualClock clock;
  std::vector<int64_t> all;
  int splits = 0;
  for (int subtask = 0; subtask < 3; ++subtask) {
    auto readers = source->createReaders(subtask, 3, clock);
    ASSERT_TRUE(readers.isOk()) << readers.status().toString();
    for (auto& reader : *readers) {
      ++splits;
      ASSERT_TRUE(reader->open().isOk());
      struct Out final : ReaderOutput<Row> {
        std::vector<int64_t>* all;
        void collect(Row r) override { all->push_back(r.n); }
        void collect(Row r, Timestamp) override { all->push_back(r.n); }
      } out;
      out.all = &all;
      while (true) {
        auto st = reader->pollNext(out, 64);
        ASSERT_TRUE(st.isOk()) << st.status().toString();
        if (*st == ReadStatus::kEndOfInput) break;
      }
    }
  }
  EXPECT_GT(splits, 3);
  std::sort(all.begin(), all.end());
  ASSERT_EQ(all.size(), 500u);
  for (int i = 0; i < 500; ++i) EXPECT_EQ(all[static_cast<size_t>(i)], i);

  // A bad row deep in the file, read by a split that does not start at 0.
  text.replace(text.find("k1,451\n"), 7, "k1,4x1\n");
  std::string bad = write("bad.csv", text);
  auto bad_source = FileSource<Row>::forCsv({bad}, parse, std::string("key,n"));
  bad_source->setSplitSize(256);
  std::string error;
  for (int subtask = 0; subtask < 3 && error.empty(); ++subtask) {
    auto readers = bad_source->createReaders(subtask, 3, clock);
    for (auto& reader : *readers) {
      ASSERT_TRUE(reader->open().isOk());
      struct Drop final : ReaderOutput<Row> {
        void collect(Row) override {}
        void collect(Row, Timestamp) override {}
      } out;
      while (true) {
        auto st = reader->pollNext(out, 64);
        if (!st.isOk()) {
          error = st.status().message();
          break;
        }
        if (*st == ReadStatus::kEndOfInput) break;
      }
    }
  }
  // Line 1 is the header, so record i is on line i + 2.
  EXPECT_EQ(error.substr(0, bad.size() + 22), bad + ":453: column n: not an") << error;
}

/// Counts what a reader emits.
struct Count final : ReaderOutput<int> {
  int n = 0;
  void collect(int) override { ++n; }
  void collect(int, Timestamp) override { ++n; }
};

TEST_F(FileSourceTest, ARateLimitPacesReadingInProcessingTime) {
  std::string text;
  for (int i = 0; i < 100; ++i) text += std::to_string(i) + "\n";
  std::string path = write("numbers", text);
  FileSource<int> source({path}, [](std::string_view line, int64_t) -> Result<std::optional<int>> {
    return std::optional<int>(std::stoi(std::string(line)));
  });
  source.setRateLimit(20);  // 10 per second for each of two subtasks.
  ManualClock clock(1'000);
  auto readers = source.createReaders(0, 2, clock);
  ASSERT_TRUE(readers.isOk());
  ASSERT_EQ(readers->size(), 1u);
  SplitReader<int>& r = *readers->front();
  ASSERT_TRUE(r.open().isOk());
  Count out;
  EXPECT_EQ(r.pollNext(out, 1000).value(), ReadStatus::kMoreAvailable);
  EXPECT_EQ(out.n, 1);
  EXPECT_EQ(r.pollNext(out, 1000).value(), ReadStatus::kNothingAvailable);
  EXPECT_EQ(r.nextAvailableTime(), 1'100);  // The second record is due 100 ms after the first.
  clock.advance(Duration(999));
  EXPECT_EQ(r.pollNext(out, 1000).value(), ReadStatus::kMoreAvailable);
  EXPECT_EQ(out.n, 11);
  clock.advance(Duration(100000));
  EXPECT_EQ(r.pollNext(out, 1000).value(), ReadStatus::kEndOfInput);
  EXPECT_EQ(out.n, 100);
}

}  // namespace
}  // namespace eddy::operators
