#include "eddy/runtime/checkpoint_storage.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace eddy::runtime {
namespace {

namespace fs = std::filesystem;

class CheckpointStorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("eddy_ckp_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static CompletedCheckpoint sample(int64_t id) {
    CompletedCheckpoint cp;
    cp.id = id;
    cp.job_fingerprint = "job-a";
    cp.timestamp_ms = 1000 + id;
    for (int subtask = 0; subtask < 2; ++subtask) {
      OperatorSnapshot s;
      s.max_parallelism = 128;
      for (int kg = subtask * 64; kg < subtask * 64 + 3; ++kg) s.key_groups[kg] = "bytes of " + std::to_string(kg) + "@" + std::to_string(id);
      s.operator_state = "source position " + std::to_string(subtask);
      cp.operators["window-uid"].push_back(s);
    }
    cp.operators["Source: gen"].push_back(OperatorSnapshot{128, {}, "offset 42"});
    return cp;
  }
  fs::path dir_;
};

TEST_F(CheckpointStorageTest, WritesAndReadsBackEveryOperatorSubtask) {
  auto storage = FileCheckpointStorage::open("file://" + dir_.string(), /*create=*/true);
  ASSERT_TRUE(storage.isOk()) << storage.status().toString();
  ASSERT_TRUE((*storage)->write(sample(7)).isOk());
  EXPECT_TRUE(fs::exists(dir_ / "chk-7" / "_metadata"));
  auto back = (*storage)->read(7);
  ASSERT_TRUE(back.isOk()) << back.status().toString();
  EXPECT_EQ(back->job_fingerprint, "job-a");
  EXPECT_EQ(back->timestamp_ms, 1007);
  ASSERT_EQ(back->operators.size(), 2u);
  const auto& win = back->operators.at("window-uid");
  ASSERT_EQ(win.size(), 2u);
  EXPECT_EQ(win[1].key_groups.at(65), "bytes of 65@7");
  EXPECT_EQ(win[1].operator_state, "source position 1");
  EXPECT_EQ(back->operators.at("Source: gen")[0].operator_state, "offset 42");
}

TEST_F(CheckpointStorageTest, AMissingDirectoryIsAnErrorUnlessAskedToCreateIt) {
  auto storage = FileCheckpointStorage::open(dir_.string(), /*create=*/false);
  ASSERT_FALSE(storage.isOk());
  EXPECT_NE(storage.status().message().find("does not exist"), std::string::npos);
}

TEST_F(CheckpointStorageTest, CorruptOrUnfinishedCheckpointsFallBackToThePreviousOne) {
  auto storage = FileCheckpointStorage::open(dir_.string(), true).value();
  for (int64_t id : {1, 2, 3}) ASSERT_TRUE(storage->write(sample(id)).isOk());
  // 3: a state file truncated; 4: crashed before its metadata.
  fs::path victim = dir_ / "chk-3" / "op1-0";
  fs::resize_file(victim, fs::file_size(victim) - 3);
  fs::create_directories(dir_ / "chk-4");
  std::ofstream(dir_ / "chk-4" / "op0-0") << "partial";

  EXPECT_EQ(storage->completedIds().value(), (std::vector<int64_t>{1, 2, 3}));
  std::vector<std::string> skipped;
  auto latest = latestCheckpoint(*storage, &skipped);
  ASSERT_TRUE(latest.isOk()) << latest.status().toString();
  EXPECT_EQ(latest->id, 2);
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_NE(skipped[0].find(victim.string() + ": truncated"), std::string::npos) << skipped[0];

  // A flipped byte in the metadata is caught by its checksum.
  fs::path meta = dir_ / "chk-2" / "_metadata";
  std::fstream f(meta, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(12);
  f.put('\x7f');
  f.close();
  auto corrupt = storage->read(2);
  ASSERT_FALSE(corrupt.isOk());
  EXPECT_NE(corrupt.status().message().find(meta.string() + ": corrupt"), std::string::npos);
}

TEST_F(CheckpointStorageTest, SubsumedCheckpointsAreRemovedKeepingTheRetainedOnes) {
  auto storage = FileCheckpointStorage::open(dir_.string(), true).value();
  for (int64_t id = 1; id <= 5; ++id) ASSERT_TRUE(storage->write(sample(id)).isOk());
  ASSERT_TRUE(removeSubsumed(*storage, 2).isOk());
  EXPECT_EQ(storage->completedIds().value(), (std::vector<int64_t>{4, 5}));
  EXPECT_FALSE(fs::exists(dir_ / "chk-3"));
}

}  // namespace
}  // namespace eddy::runtime
