#include "eddy/operators/two_phase_commit_sink.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "eddy/operators/simple_operators.h"
#include "eddy/operators/testing/operator_harness.h"

namespace eddy::operators {
namespace {

using testing::OperatorHarness;

/// What every RecordingSink instance did, as "commit <txn>" / "abort <txn>".
std::vector<std::string> g_log;

/// Transactions are numbers: subtask * 100 + how many this instance began.
class RecordingSink final : public TwoPhaseCommitSinkFunction<int, int64_t> {
 public:
  using TwoPhaseCommitSinkFunction::invoke;

 protected:
  int64_t beginTransaction() override { return getRuntimeContext().getIndexOfThisSubtask() * 100 + began_++; }
  void invoke(int64_t&, const int&, const Context&) override {}
  void preCommit(int64_t&) override {}
  void commit(int64_t& txn) override { g_log.push_back("commit " + std::to_string(txn)); }
  void abort(int64_t& txn) override { g_log.push_back("abort " + std::to_string(txn)); }
  void finishRecoveringContext(const std::vector<int64_t>& known) override {
    g_log.push_back("leftovers of " + std::to_string(getRuntimeContext().getIndexOfThisSubtask()) + " knowing " +
                    std::to_string(known.size()));
  }

 private:
  int64_t began_ = 0;
};

using Sink = StreamSink<int, RecordingSink>;

std::unique_ptr<runtime::StreamOperatorBase> sink() { return std::make_unique<Sink>(RecordingSink()); }

/// Both subtasks of a sink at parallelism 2, snapshotted once: each holds one
/// pre-committed transaction (subtask*100 + 0) and its open one (subtask*100 + 1).
std::vector<runtime::OperatorSnapshot> twoSubtasksSnapshotted() {
  std::vector<runtime::OperatorSnapshot> snaps;
  for (int i = 0; i < 2; ++i) {
    OperatorHarness<int> h(sink(), i, 2);
    auto snap = h.op().snapshotState(1);
    EXPECT_TRUE(snap.isOk());
    snaps.push_back(std::move(*snap));
  }
  g_log.clear();
  return snaps;
}

TEST(TwoPhaseCommitSink, ASubtaskRestartingWithItsRegionRecoversOnlyItsOwnTransactions) {
  auto snaps = twoSubtasksSnapshotted();
  OperatorHarness<int> alone(sink(), 1, 2, snaps, 0, /*region_restart=*/true);
  // Subtask 0 is still running with transactions 0 and 1: they are not this one's.
  EXPECT_EQ(g_log, (std::vector<std::string>{"commit 100", "abort 101", "leftovers of 1 knowing 4"}));
}

TEST(TwoPhaseCommitSink, AFullRestartSharesEveryTransactionOutOverTheSubtasks) {
  auto snaps = twoSubtasksSnapshotted();
  OperatorHarness<int> first(sink(), 0, 2, snaps);
  OperatorHarness<int> second(sink(), 1, 2, snaps);
  std::sort(g_log.begin(), g_log.end());
  EXPECT_EQ(g_log, (std::vector<std::string>{"abort 1", "abort 101", "commit 0", "commit 100",
                                              "leftovers of 0 knowing 4"}));
}

TEST(TwoPhaseCommitSink, AFreshStartLetsSubtaskZeroCleanUpWhatEarlierAttemptsLeft) {
  // A process killed before its first checkpoint completed left parts nobody knows.
  g_log.clear();
  OperatorHarness<int> first(sink(), 0, 2);
  OperatorHarness<int> second(sink(), 1, 2);
  EXPECT_EQ(g_log, (std::vector<std::string>{"leftovers of 0 knowing 0"}));
}

}  // namespace
}  // namespace eddy::operators
