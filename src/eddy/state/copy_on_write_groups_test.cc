#include "eddy/state/copy_on_write_groups.h"

#include <gtest/gtest.h>

#include <vector>

namespace eddy::state {
namespace {

using Groups = CopyOnWriteGroups<std::vector<int>>;

TEST(CopyOnWriteGroups, AFrozenGroupKeepsItsContentsWhileTheLiveOneChanges) {
  Groups g(3);
  g.write(0).push_back(1);
  g.write(1).push_back(2);
  auto frozen = g.freeze();
  g.write(0).push_back(10);
  g.write(2).push_back(30);
  EXPECT_EQ(*frozen[0], std::vector<int>({1}));
  EXPECT_EQ(*frozen[1], std::vector<int>({2}));
  EXPECT_TRUE(frozen[2]->empty());
  EXPECT_EQ(g.read(0), std::vector<int>({1, 10}));
  EXPECT_EQ(g.read(2), std::vector<int>({30}));
  EXPECT_EQ(g.copies(), 2u);  // Only the groups changed while frozen.
}

TEST(CopyOnWriteGroups, AGroupIsCopiedOnceAndNotAtAllAfterTheSnapshotLetGo) {
  Groups g(2);
  g.write(0).push_back(1);
  auto frozen = g.freeze();
  g.write(0).push_back(2);
  g.write(0).push_back(3);
  EXPECT_EQ(g.copies(), 1u);
  frozen.clear();
  auto again = g.freeze();
  again.clear();  // Dropped before anything changed: the groups change in place.
  g.write(0).push_back(4);
  g.write(1).push_back(5);
  EXPECT_EQ(g.copies(), 1u);
  EXPECT_EQ(g.read(0), std::vector<int>({1, 2, 3, 4}));
}

TEST(CopyOnWriteGroups, ReadingNeverCopies) {
  Groups g(1);
  auto frozen = g.freeze();
  EXPECT_TRUE(g.read(0).empty());
  EXPECT_TRUE(g.frozen(0));
  EXPECT_EQ(g.copies(), 0u);
  g.write(0);
  EXPECT_FALSE(g.frozen(0));
  EXPECT_EQ(g.copies(), 1u);
}

}  // namespace
}  // namespace eddy::state
