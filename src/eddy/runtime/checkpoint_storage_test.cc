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
    OperatorSnapshot source;
    source.operator_state = "offset 42";
    cp.operators["Source: gen"].push_back(source);
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

/// A checkpoint whose one snapshot refers to local files named `names` (contents: the
/// name repeated), as an incremental RocksDB snapshot does.
CompletedCheckpoint withFiles(int64_t id, const fs::path& local, const std::vector<std::string>& names) {
  CompletedCheckpoint cp;
  cp.id = id;
  OperatorSnapshot s;
  s.rocksdb_handle = "handle@" + std::to_string(id);
  fs::create_directories(local);
  for (const std::string& n : names) {
    fs::path p = local / n;
    if (!fs::exists(p)) std::ofstream(p) << n << n << n;
    s.files.push_back(state::StateFile{n, p.string(), static_cast<uint64_t>(fs::file_size(p))});
  }
  cp.operators["keyed"].push_back(s);
  return cp;
}

TEST_F(CheckpointStorageTest, SharedFilesAreWrittenOnceAndLeaveWithTheLastCheckpointListingThem) {
  auto storage = FileCheckpointStorage::open(dir_.string(), true).value();
  fs::path local = dir_.string() + "_local";
  CheckpointWriteStats first, second;
  ASSERT_TRUE(storage->write(withFiles(1, local, {"a.sst", "b.sst", "m1"}), &first).isOk());
  ASSERT_TRUE(storage->write(withFiles(2, local, {"b.sst", "c.sst", "m2"}), &second).isOk());
  // The second wrote c.sst and m2 only; b.sst is shared.
  const int64_t b = static_cast<int64_t>(fs::file_size(local / "b.sst"));
  EXPECT_EQ(second.full_size - second.bytes_written, b);
  EXPECT_GT(first.bytes_written, second.bytes_written);

  auto back = storage->read(2);
  ASSERT_TRUE(back.isOk()) << back.status().toString();
  const OperatorSnapshot& s = back->operators.at("keyed")[0];
  EXPECT_EQ(s.rocksdb_handle, "handle@2");
  ASSERT_EQ(s.files.size(), 3u);
  EXPECT_EQ(s.files[0].path, (dir_ / "shared" / "b.sst").string());

  ASSERT_TRUE(removeSubsumed(*storage, 1).isOk());  // Checkpoint 1 goes, with a.sst and m1.
  EXPECT_FALSE(fs::exists(dir_ / "shared" / "a.sst"));
  EXPECT_FALSE(fs::exists(dir_ / "shared" / "m1"));
  EXPECT_TRUE(fs::exists(dir_ / "shared" / "b.sst"));
  EXPECT_TRUE(fs::exists(dir_ / "shared" / "c.sst"));

  // A shared file gone missing makes the checkpoint unreadable, naming the file.
  fs::remove(dir_ / "shared" / "c.sst");
  auto broken = storage->read(2);
  ASSERT_FALSE(broken.isOk());
  EXPECT_NE(broken.status().message().find((dir_ / "shared" / "c.sst").string()), std::string::npos)
      << broken.status().toString();
  fs::remove_all(local);
}

}  // namespace
}  // namespace eddy::runtime
