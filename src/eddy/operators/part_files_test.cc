#include "eddy/operators/part_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

namespace eddy::operators {
namespace {

namespace fs = std::filesystem;

class PartFilesLeftovers : public ::testing::Test {
 protected:
  fs::path dir = fs::temp_directory_path() / ("eddy_part_files_" + std::to_string(::getpid()));
  void SetUp() override {
    fs::remove_all(dir);
    fs::create_directories(dir);
    // An earlier attempt's hidden parts of subtasks 0 and 1 (prefix with a dash), and
    // a finished part, which is output and never touched.
    for (const char* name : {".my-part-0a1b-0-0.inprogress", ".my-part-0a1b-1-0.pending", ".my-part-0a1b-1-1.inprogress",
                             ".my-part-0a1b-0-3.pending", "my-part-0a1b-1-2"}) {
      std::ofstream(dir / name) << "x";
    }
  }
  void TearDown() override { fs::remove_all(dir); }
  std::set<std::string> files() const {
    std::set<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
    return out;
  }
  OutputFileConfig config() const {
    OutputFileConfig c;
    c.part_prefix = "my-part";
    return c;
  }
};

TEST_F(PartFilesLeftovers, AFullRestartRemovesEveryUnknownHiddenPartOfEarlierAttempts) {
  PartFileWriter w(dir.string(), config(), "ffff", 0, 0);
  FileTransaction known;
  known.parts.push_back("my-part-0a1b-0-3");
  w.removeLeftovers({known});
  EXPECT_EQ(files(), (std::set<std::string>{".my-part-0a1b-0-3.pending", "my-part-0a1b-1-2"}));
}

TEST_F(PartFilesLeftovers, ARegionRestartRemovesOnlyItsOwnSubtasksParts) {
  PartFileWriter w(dir.string(), config(), "ffff", 1, 0);
  w.removeLeftovers({}, /*only_this_subtask=*/true);
  // Subtask 0 is still running: its in-progress and pending parts stay.
  EXPECT_EQ(files(), (std::set<std::string>{".my-part-0a1b-0-0.inprogress", ".my-part-0a1b-0-3.pending", "my-part-0a1b-1-2"}));
}

// Time-based rolling: a part open for the rollover interval, or unwritten for the
// inactivity interval, is made pending before the next write, which starts another.
// INSERT OVERWRITE's writer deletes the directory's other visible files on its first
// commit, keeping hidden ones and its own.
TEST_F(PartFilesLeftovers, PartsRollByTimeAndOverwriteReplacesTheOthersOnCommit) {
  int64_t now = 1000;
  PartFileWriter w(dir.string(), config(), "beef", 0, 0);
  w.rollByTime(100, 30, [&] { return now; });
  w.replaceOnFirstCommit();
  FileTransaction txn;
  w.write(txn, "a\n");
  now += 20;
  w.write(txn, "b\n");  // Within both intervals: the same part.
  EXPECT_EQ(txn.parts.size(), 1u);
  now += 30;
  w.write(txn, "c\n");  // 30 ms unwritten: a new part.
  EXPECT_EQ(txn.parts.size(), 2u);
  for (int i = 0; i < 5; ++i) {
    now += 25;
    w.write(txn, "d\n");  // Written often, but open 100 ms at the fourth: a new part.
  }
  EXPECT_EQ(txn.parts.size(), 3u);
  w.preCommit(txn);
  w.commit(txn);
  std::set<std::string> left = files();
  EXPECT_FALSE(left.count("my-part-0a1b-1-2"));  // Replaced.
  EXPECT_TRUE(left.count(".my-part-0a1b-1-0.pending"));  // Hidden: not data, kept.
  for (const std::string& part : txn.parts) EXPECT_TRUE(left.count(part)) << part;
}

}  // namespace
}  // namespace eddy::operators
