#include "eddy/operators/operator_state.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "eddy/operators/simple_operators.h"
#include "eddy/operators/testing/operator_harness.h"

namespace eddy::operators {
namespace {

using testing::OperatorHarness;

/// Flink's BufferingSink idea as a process function: keeps what it saw in a member,
/// writes it to operator list state on every checkpoint, and reads it back on restore.
class Buffering final : public ProcessFunction<int, std::string>, public CheckpointedFunction {
 public:
  explicit Buffering(bool union_list) : union_list_(union_list) {}
  void initializeState(FunctionInitializationContext& ctx) override {
    state::ListStateDescriptor<int> d("buffer");
    list_ = union_list_ ? &ctx.getOperatorStateStore().getUnionListState(d)
                        : &ctx.getOperatorStateStore().getListState(d);
    if (ctx.isRestored()) buffered_ = list_->get();
  }
  void snapshotState(const FunctionSnapshotContext&) override { list_->update(buffered_); }
  void processElement(const int& v, Context&, Collector<std::string>& out) override {
    if (v < 0) {  // A probe: report what this subtask holds.
      std::vector<int> held = buffered_;
      std::sort(held.begin(), held.end());
      std::string s;
      for (int h : held) s += std::to_string(h) + " ";
      out.collect(s);
      return;
    }
    buffered_.push_back(v);
  }

 private:
  bool union_list_;
  state::ListState<int>* list_ = nullptr;
  std::vector<int> buffered_;
};

using Op = ProcessOperator<int, std::string, Buffering>;

std::vector<std::string> restoreInto(bool union_list, int parallelism) {
  std::vector<runtime::OperatorSnapshot> snaps;
  for (int i = 0; i < 2; ++i) {
    OperatorHarness<std::string> h(std::make_unique<Op>(Buffering(union_list)), i, 2);
    for (int v = 0; v < 5; ++v) h.as<Op>().processElement({i * 5 + v, 0});
    auto s = h.as<Op>().snapshotState(1);
    EXPECT_TRUE(s.isOk()) << s.status().toString();
    snaps.push_back(*s);
  }
  std::vector<std::string> held;
  for (int i = 0; i < parallelism; ++i) {
    OperatorHarness<std::string> h(std::make_unique<Op>(Buffering(union_list)), i, parallelism, snaps);
    h.as<Op>().processElement({-1, 0});
    held.push_back(h.values().at(0));
  }
  return held;
}

TEST(OperatorListState, EvenSplitSharesTheElementsOutOnceEach) {
  EXPECT_EQ(restoreInto(false, 3), (std::vector<std::string>{"0 1 2 3 ", "4 5 6 ", "7 8 9 "}));
  EXPECT_EQ(restoreInto(false, 1), (std::vector<std::string>{"0 1 2 3 4 5 6 7 8 9 "}));
}

TEST(OperatorListState, UnionGivesEverySubtaskEverything) {
  EXPECT_EQ(restoreInto(true, 2), (std::vector<std::string>{"0 1 2 3 4 5 6 7 8 9 ", "0 1 2 3 4 5 6 7 8 9 "}));
}

}  // namespace
}  // namespace eddy::operators
