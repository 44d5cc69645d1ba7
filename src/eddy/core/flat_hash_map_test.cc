#include "eddy/core/flat_hash_map.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

namespace eddy {
namespace {

// A deliberately weak hash: every key in a residue class of 8 shares its low bits, so
// probe runs are long and the backward shift on erase is exercised across wrap-around.
struct ClusteringHash {
  uint64_t operator()(int64_t k) const { return static_cast<uint64_t>(k % 8) * 0x100000001ULL; }
};
struct MixHash {
  uint64_t operator()(int64_t k) const { return static_cast<uint64_t>(k) * 0x9e3779b97f4a7c15ULL; }
};
struct StringHash {
  uint64_t operator()(const std::string& s) const { return std::hash<std::string>()(s) * 0x9e3779b97f4a7c15ULL; }
};

template <typename Hash>
void checkAgainstStdMap(uint32_t seed, int64_t key_range) {
  FlatHashMap<int64_t, int64_t, Hash> m;
  std::map<int64_t, int64_t> expected;
  std::mt19937 rng(seed);
  for (int step = 0; step < 20000; ++step) {
    int64_t k = static_cast<int64_t>(rng() % key_range);
    switch (rng() % 3) {
      case 0:
        m[k] += step;
        expected[k] += step;
        break;
      case 1:
        ASSERT_EQ(m.erase(k), expected.erase(k) == 1) << "step " << step;
        break;
      default: {
        int64_t* v = m.find(k);
        auto it = expected.find(k);
        ASSERT_EQ(v != nullptr, it != expected.end()) << "step " << step << " key " << k;
        if (v) {
          ASSERT_EQ(*v, it->second);
        }
      }
    }
    ASSERT_EQ(m.size(), expected.size());
  }
  std::map<int64_t, int64_t> seen;
  m.forEach([&](int64_t k, int64_t v) { seen[k] = v; });
  EXPECT_EQ(seen, expected);
}

TEST(FlatHashMapTest, MatchesStdMapUnderRandomInsertEraseAndFind) {
  checkAgainstStdMap<MixHash>(1, 5000);
  checkAgainstStdMap<ClusteringHash>(2, 300);
}

TEST(FlatHashMapTest, TryEmplaceSaysWhetherItInserted) {
  FlatHashMap<std::string, int, StringHash> m;
  bool inserted = false;
  m.tryEmplace("a", &inserted) = 1;
  EXPECT_TRUE(inserted);
  EXPECT_EQ(m.tryEmplace("a", &inserted), 1);
  EXPECT_FALSE(inserted);
  EXPECT_FALSE(m.insert("a", 5));
  EXPECT_TRUE(m.insert("b", 5));
  EXPECT_EQ(*m.find("b"), 5);
  EXPECT_EQ(m.size(), 2u);
}

TEST(FlatHashMapTest, EraseIfVisitsEveryEntryOnceEvenWhenEntriesShift) {
  FlatHashMap<int64_t, int64_t, ClusteringHash> m;
  for (int64_t k = 0; k < 100; ++k) m[k] = k;
  size_t erased = m.eraseIf([](int64_t k, int64_t) { return k % 3 == 0; });
  EXPECT_EQ(erased, 34u);
  EXPECT_EQ(m.size(), 66u);
  for (int64_t k = 0; k < 100; ++k) EXPECT_EQ(m.contains(k), k % 3 != 0) << k;
}

TEST(FlatHashMapTest, CopiesAndMovesOwnTheirEntries) {
  FlatHashMap<std::string, std::string, StringHash> a;
  for (int i = 0; i < 50; ++i) a[std::to_string(i)] = std::string(40, static_cast<char>('a' + i % 26));
  FlatHashMap<std::string, std::string, StringHash> b = a;
  a.clear();
  EXPECT_EQ(a.size(), 0u);
  EXPECT_EQ(b.size(), 50u);
  EXPECT_EQ(*b.find("27"), std::string(40, 'b'));
  FlatHashMap<std::string, std::string, StringHash> c = std::move(b);
  EXPECT_EQ(c.size(), 50u);
  EXPECT_EQ(b.find("27"), nullptr);  // NOLINT(bugprone-use-after-move): moved-from is empty.
}

}  // namespace
}  // namespace eddy
