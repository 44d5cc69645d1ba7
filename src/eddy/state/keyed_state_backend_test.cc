#include "eddy/state/keyed_state_backend.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace eddy::state {
namespace {

/// RocksDB with a cache of four entries: nearly every access goes to RocksDB and back.
RocksDbOptions tinyCache() {
  RocksDbOptions o;
  o.cache_entries_per_state = 4;
  return o;
}

/// Every state behaviour, on the heap and in RocksDB.
class KeyedBackendTest : public ::testing::TestWithParam<StateBackendKind> {
 protected:
  ManualClock clock{1000};
  KeyedStateBackend<std::string> backend{KeyGroupRange{0, 127}, 128, &clock, GetParam(), tinyCache()};
  void key(const std::string& k) { backend.setCurrentKey(k); }
  StateTtlConfig ttl(int64_t ms) { return StateTtlConfig::newBuilder(Duration(ms)).build(); }
};

TEST_P(KeyedBackendTest, ValueStateIsScopedToTheCurrentKey) {
  auto* s = backend.getState(ValueStateDescriptor<int>("count"));
  key("a");
  EXPECT_EQ(s->value(), std::nullopt);
  s->update(3);
  key("b");
  EXPECT_EQ(s->value(), std::nullopt);
  s->update(7);
  key("a");
  EXPECT_EQ(s->value(), 3);
  s->clear();
  EXPECT_EQ(s->value(), std::nullopt);
  key("b");
  EXPECT_EQ(s->value(), 7);
}

TEST_P(KeyedBackendTest, SameNameGivesTheSameStateAndDefaultApplies) {
  auto* a = backend.getState(ValueStateDescriptor<int>("x", 42));
  auto* b = backend.getState(ValueStateDescriptor<int>("x", 42));
  EXPECT_EQ(a, b);
  key("k");
  EXPECT_EQ(a->value(), 42);
  EXPECT_THROW(backend.getState(ValueStateDescriptor<double>("x")), std::invalid_argument);
}

TEST_P(KeyedBackendTest, ListMapReducingAggregatingStates) {
  auto* list = backend.getListState(ListStateDescriptor<int>("l"));
  auto* map = backend.getMapState(MapStateDescriptor<std::string, int>("m"));
  auto* red = backend.getReducingState(
      ReducingStateDescriptor<int>("r", [](const int& a, const int& b) { return a + b; }));
  struct Avg : AggregateFunction<int, std::pair<long, long>, double> {
    std::pair<long, long> createAccumulator() const override { return {0, 0}; }
    std::pair<long, long> add(const int& v, std::pair<long, long> a) const override {
      return {a.first + v, a.second + 1};
    }
    double getResult(const std::pair<long, long>& a) const override {
      return static_cast<double>(a.first) / a.second;
    }
    std::pair<long, long> merge(std::pair<long, long> a, const std::pair<long, long>& b) const override {
      return {a.first + b.first, a.second + b.second};
    }
  };
  auto* agg = backend.getAggregatingState(
      AggregatingStateDescriptor<int, std::pair<long, long>, double>("a", std::make_shared<Avg>()));
  key("k");
  list->add(1);
  list->addAll({2, 3});
  EXPECT_EQ(list->get(), (std::vector<int>{1, 2, 3}));
  map->put("x", 1);
  map->put("y", 2);
  map->remove("x");
  EXPECT_FALSE(map->contains("x"));
  EXPECT_EQ(map->get("y"), 2);
  red->add(4);
  red->add(5);
  EXPECT_EQ(red->get(), 9);
  agg->add(1);
  agg->add(2);
  EXPECT_DOUBLE_EQ(*agg->get(), 1.5);
  key("other");
  EXPECT_TRUE(list->get().empty());
  EXPECT_TRUE(map->isEmpty());
  EXPECT_EQ(red->get(), std::nullopt);
}

TEST_P(KeyedBackendTest, TtlExpiresValueAfterLastWrite) {
  ValueStateDescriptor<int> d("v");
  d.enableTimeToLive(ttl(100));
  auto* s = backend.getState(d);
  key("k");
  s->update(1);
  clock.advance(Duration(99));
  EXPECT_EQ(s->value(), 1);  // Reading does not extend life under OnCreateAndWrite.
  clock.advance(Duration(1));
  EXPECT_EQ(s->value(), std::nullopt);  // Flink: expired iff lastAccess + ttl <= now.
  EXPECT_EQ(backend.numEntries(), 0u);  // Cleaned up on access.
}

TEST_P(KeyedBackendTest, TtlOnReadAndWriteExtendsLifeOnRead) {
  ValueStateDescriptor<int> d("v");
  d.enableTimeToLive(StateTtlConfig::newBuilder(Duration(100)).updateTtlOnReadAndWrite().build());
  auto* s = backend.getState(d);
  key("k");
  s->update(1);
  clock.advance(Duration(80));
  EXPECT_EQ(s->value(), 1);
  clock.advance(Duration(80));
  EXPECT_EQ(s->value(), 1);
  clock.advance(Duration(100));
  EXPECT_EQ(s->value(), std::nullopt);
}

TEST_P(KeyedBackendTest, TtlReturnExpiredIfNotCleanedUpReturnsItOnce) {
  ValueStateDescriptor<int> d("v");
  // Background cleanup (on by default, as in Flink) could remove it before the read.
  d.enableTimeToLive(
      StateTtlConfig::newBuilder(Duration(10)).returnExpiredIfNotCleanedUp().disableCleanupInBackground().build());
  auto* s = backend.getState(d);
  key("k");
  s->update(5);
  clock.advance(Duration(20));
  EXPECT_EQ(s->value(), 5);
  EXPECT_EQ(s->value(), std::nullopt);
}

TEST_P(KeyedBackendTest, TtlAppliesPerListElementAndPerMapEntry) {
  ListStateDescriptor<int> ld("l");
  ld.enableTimeToLive(ttl(100));
  MapStateDescriptor<int, int> md("m");
  md.enableTimeToLive(ttl(100));
  auto* list = backend.getListState(ld);
  auto* map = backend.getMapState(md);
  key("k");
  list->add(1);
  map->put(1, 10);
  clock.advance(Duration(60));
  list->add(2);
  map->put(2, 20);
  clock.advance(Duration(60));
  EXPECT_EQ(list->get(), (std::vector<int>{2}));
  EXPECT_EQ(map->keys(), (std::vector<int>{2}));
  clock.advance(Duration(60));
  EXPECT_TRUE(list->get().empty());
  EXPECT_TRUE(map->isEmpty());
  EXPECT_EQ(backend.numEntries(), 0u);
}

TEST_P(KeyedBackendTest, IncrementalCleanupRemovesExpiredStateOfOtherKeysOnAccess) {
  if (GetParam() == StateBackendKind::kRocksDb) {
    GTEST_SKIP() << "heap-only cleanup: in RocksDB it sees only cached entries (Flink uses compaction filters)";
  }
  ValueStateDescriptor<int> d("v");
  d.enableTimeToLive(StateTtlConfig::newBuilder(Duration(100)).cleanupIncrementally(10, false).build());
  auto* s = backend.getState(d);
  for (int i = 0; i < 50; ++i) {
    key("k" + std::to_string(i));
    s->update(i);
  }
  ASSERT_EQ(backend.numEntries(), 50u);
  clock.advance(Duration(100));  // All expired now; nothing removed yet.
  key("fresh");
  s->update(1);  // The access checks 10 entries in the background first.
  EXPECT_EQ(backend.numEntries(), 50u - 10u + 1u);
  for (int i = 0; i < 10; ++i) s->value();  // Each read: 10 more, until only `fresh` is left.
  EXPECT_EQ(backend.numEntries(), 1u);
  EXPECT_EQ(s->value(), 1);
}

TEST_P(KeyedBackendTest, WithoutBackgroundCleanupOnlyReadsRemoveExpiredState) {
  ValueStateDescriptor<int> d("v");
  d.enableTimeToLive(StateTtlConfig::newBuilder(Duration(100)).disableCleanupInBackground().build());
  auto* s = backend.getState(d);
  for (int i = 0; i < 20; ++i) {
    key("k" + std::to_string(i));
    s->update(i);
  }
  clock.advance(Duration(150));
  key("k3");
  EXPECT_EQ(s->value(), std::nullopt);
  EXPECT_EQ(backend.numEntries(), 19u);
}

TEST_P(KeyedBackendTest, CleanupForEveryRecordRunsWhenTheKeyChanges) {
  if (GetParam() == StateBackendKind::kRocksDb) {
    GTEST_SKIP() << "heap-only cleanup: in RocksDB it sees only cached entries (Flink uses compaction filters)";
  }
  ListStateDescriptor<int> d("l");
  d.enableTimeToLive(StateTtlConfig::newBuilder(Duration(100)).cleanupIncrementally(100, true).build());
  auto* s = backend.getListState(d);
  for (int i = 0; i < 30; ++i) {
    key("k" + std::to_string(i));
    s->add(i);
  }
  clock.advance(Duration(100));
  key("other");  // No state access at all: the per-record cleanup empties the table.
  EXPECT_EQ(backend.numEntries(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Backends, KeyedBackendTest,
                         ::testing::Values(StateBackendKind::kHashMap, StateBackendKind::kRocksDb),
                         [](const auto& info) {
                           return info.param == StateBackendKind::kHashMap ? std::string("hashmap")
                                                                            : std::string("rocksdb");
                         });

TEST(HashMapBackendMemoryTest, ValueStateCostsUnder64BytesPerKeyBeyondTheValue) {
  KeyedStateBackend<int64_t> backend{KeyGroupRange{0, 127}, 128, nullptr};
  auto* s = backend.getState(ValueStateDescriptor<int64_t>("sum"));
  constexpr int64_t kKeys = 1'000'000;
  for (int64_t k = 0; k < kKeys; ++k) {
    backend.setCurrentKey(k);
    s->update(k);
  }
  ASSERT_EQ(backend.numEntries(), static_cast<size_t>(kKeys));
  double per_key = static_cast<double>(backend.memoryBytes()) / kKeys - sizeof(int64_t);
  EXPECT_LT(per_key, 64.0);
  backend.setCurrentKey(123456);
  EXPECT_EQ(s->value(), 123456);
}

TEST(StateTableTest, RememberedEntryNeverOutlivesAnInsertOrRemove) {
  KeyContext<int64_t> ctx;
  ctx.range = KeyGroupRange{0, 127};
  StateTable<int64_t, int64_t, int64_t> table(&ctx);
  ctx.setCurrentKey(7);
  table.getOrCreate(0) = 100;
  ASSERT_NE(table.get(0), nullptr);  // Remembered now.
  for (int64_t ns = 1; ns < 5000; ++ns) table.getOrCreate(ns) = 100 + ns;  // Grows and moves entries.
  EXPECT_EQ(*table.get(0), 100);
  EXPECT_EQ(*table.get(4999), 5099);
  table.remove(4999);
  EXPECT_EQ(table.get(4999), nullptr);
  bool created = false;
  table.getOrCreate(4999, &created);
  EXPECT_TRUE(created);
  ctx.setCurrentKey(8);
  EXPECT_EQ(table.get(0), nullptr);  // Another key, same namespace.
}


TEST(StateTableTest, RocksDbBehindATinyCacheMatchesAPlainMapUnderRandomOperations) {
  auto store = RocksDbStore::open("");
  ASSERT_TRUE(store.isOk()) << store.status().toString();
  KeyContext<int64_t> ctx;
  ctx.range = KeyGroupRange{0, 15};
  ctx.max_parallelism = 16;
  StateTable<int64_t, int32_t, std::string> table(&ctx);
  table.attachStore(store->get(), 7, /*cache_entries=*/8);
  std::map<std::pair<int64_t, int32_t>, std::string> model;
  std::mt19937_64 rng(5);
  for (int op = 0; op < 20000; ++op) {
    int64_t key = static_cast<int64_t>(rng() % 200);
    auto ns = static_cast<int32_t>(rng() % 3);
    ctx.setCurrentKey(key);
    switch (rng() % 6) {
      case 0:
      case 1: {  // Write.
        std::string v = "v" + std::to_string(op);
        table.getOrCreate(ns) = v;
        model[{key, ns}] = v;
        break;
      }
      case 2: {  // Read-modify-write through get().
        std::string* v = table.get(ns);
        auto it = model.find({key, ns});
        ASSERT_EQ(v != nullptr, it != model.end()) << "key " << key << " ns " << ns << " op " << op;
        if (v != nullptr) {
          EXPECT_EQ(*v, it->second);
          *v += "+";
          it->second += "+";
        }
        break;
      }
      case 3:  // Remove.
        table.remove(ns);
        model.erase({key, ns});
        break;
      case 4: {  // Read.
        std::string* v = table.find(ctx.key_group_index, key, ns);
        auto it = model.find({key, ns});
        ASSERT_EQ(v != nullptr, it != model.end()) << "key " << key << " ns " << ns << " op " << op;
        if (v != nullptr) {
          EXPECT_EQ(*v, it->second);
        }
        break;
      }
      case 5:
        if (rng() % 50 == 0) {  // Now and then: a key group moves into memory and loses an entry.
          int g = static_cast<int>(rng() % 16);
          auto& m = table.keyGroup(g);
          int64_t victim = -1;
          int32_t victim_ns = 0;
          m.forEach([&](const StateKey<int64_t, int32_t>& k, const std::string&) {
            victim = k.key;
            victim_ns = k.ns;
          });
          if (victim >= 0) {
            m.erase(StateKey<int64_t, int32_t>{victim, victim_ns});
            model.erase({victim, victim_ns});
          }
        }
        break;
    }
  }
  EXPECT_EQ(table.size(), model.size());
  // A snapshot of RocksDB plus the cache restores into a heap table exactly.
  KeyContext<int64_t> heap_ctx = ctx;
  StateTable<int64_t, int32_t, std::string> heap(&heap_ctx);
  auto frozen = table.freeze();
  ASSERT_TRUE(frozen.isOk()) << frozen.status().toString();
  for (int g = 0; g < 16; ++g) {
    DataOutputView out;
    ASSERT_TRUE((*frozen)->writeKeyGroup(g, out).isOk());
    DataInputView in(out.data());
    ASSERT_TRUE(heap.restoreKeyGroup(g, in).isOk());
  }
  ASSERT_EQ(heap.size(), model.size());
  for (const auto& [kn, v] : model) {
    heap_ctx.setCurrentKey(kn.first);
    const std::string* got = heap.find(heap_ctx.key_group_index, kn.first, kn.second);
    ASSERT_NE(got, nullptr);
    EXPECT_EQ(*got, v);
  }
}

struct Padded {  // 3 bytes of padding after `tag`.
  char tag;
  int32_t id;
  bool operator==(const Padded& o) const { return tag == o.tag && id == o.id; }
  int32_t hashCode() const { return id; }
};

TEST(StateTableTest, RocksDbRefusesKeysWhosePaddingWouldMakeEqualKeysDiffer) {
  auto store = RocksDbStore::open("");
  ASSERT_TRUE(store.isOk());
  KeyContext<int64_t> ctx;
  ctx.range = KeyGroupRange{0, 1};
  ctx.max_parallelism = 2;
  StateTable<int64_t, Padded, int> padded(&ctx);
  try {
    padded.attachStore(store->get(), 1, 16);
    FAIL() << "expected the padding to be refused";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("has padding bytes"), std::string::npos) << e.what();
  }
  StateTable<int64_t, VoidNamespace, int> plain(&ctx);
  plain.attachStore(store->get(), 2, 16);  // No bytes at all: fine.
}

// ---- Snapshots by key group, and restoring them at another parallelism.

struct Backends {
  ManualClock clock{1000};
  std::vector<std::unique_ptr<KeyedStateBackend<std::string>>> subtasks;
  explicit Backends(int parallelism, int max_parallelism = 128, StateBackendKind kind = StateBackendKind::kHashMap,
                    bool incremental = false) {
    RocksDbOptions options = tinyCache();
    options.incremental = incremental;
    for (int i = 0; i < parallelism; ++i) {
      subtasks.push_back(std::make_unique<KeyedStateBackend<std::string>>(
          KeyGroupRange::forOperator(max_parallelism, parallelism, i), max_parallelism, &clock, kind, options));
    }
  }
  /// The subtask that owns `key`, with `key` current.
  KeyedStateBackend<std::string>& owner(const std::string& key) {
    int kg = keyGroupForHash(KeyHash<std::string>()(key), subtasks[0]->keyContext().max_parallelism);
    for (auto& b : subtasks) {
      if (b->keyContext().range.contains(kg)) {
        b->setCurrentKey(key);
        return *b;
      }
    }
    throw std::logic_error("no owner");
  }
};

ValueStateDescriptor<int64_t> countDesc() { return ValueStateDescriptor<int64_t>("count"); }
ListStateDescriptor<std::string> wordsDesc() { return ListStateDescriptor<std::string>("words"); }
MapStateDescriptor<std::string, double> pricesDesc() { return MapStateDescriptor<std::string, double>("prices"); }
ValueStateDescriptor<int> ttlDesc() {
  ValueStateDescriptor<int> d("ttl");
  d.enableTimeToLive(StateTtlConfig::newBuilder(Duration(100)).disableCleanupInBackground().build());
  return d;
}

void fill(Backends& b) {
  for (int i = 0; i < 200; ++i) {
    std::string key = "key-" + std::to_string(i);
    auto& owner = b.owner(key);
    owner.getState(countDesc())->update(i);
    owner.getListState(wordsDesc())->add("w" + std::to_string(i));
    owner.getListState(wordsDesc())->add("x");
    owner.getMapState(pricesDesc())->put("p", i * 0.5);
    if (i % 2 == 0) owner.getState(ttlDesc())->update(i);
  }
}

void check(Backends& b) {
  for (int i = 0; i < 200; ++i) {
    std::string key = "key-" + std::to_string(i);
    auto& owner = b.owner(key);
    EXPECT_EQ(owner.getState(countDesc())->value(), i) << key;
    EXPECT_EQ(owner.getListState(wordsDesc())->get(), (std::vector<std::string>{"w" + std::to_string(i), "x"}));
    EXPECT_EQ(owner.getMapState(pricesDesc())->get("p"), i * 0.5);
    if (i % 2 == 0) {
      EXPECT_EQ(owner.getState(ttlDesc())->value(), i) << key;
    }
  }
}

std::vector<KeyedStateSnapshot> snapshotAll(Backends& b) {
  std::vector<KeyedStateSnapshot> out;
  for (auto& s : b.subtasks) {
    auto snap = s->snapshot();
    EXPECT_TRUE(snap.isOk()) << snap.status().toString();
    out.push_back(std::move(*snap));
  }
  return out;
}

/// What fill() wrote comes back from `snaps` into either backend at parallelism 1, 2, 3.
void checkRestoresEverywhere(const std::vector<KeyedStateSnapshot>& snaps) {
  for (StateBackendKind to : {StateBackendKind::kHashMap, StateBackendKind::kRocksDb}) {
    for (int parallelism : {1, 2, 3}) {
      SCOPED_TRACE("to " + std::to_string(static_cast<int>(to)) + " at parallelism " + std::to_string(parallelism));
      Backends after(parallelism, 128, to);
      for (auto& s : after.subtasks) ASSERT_TRUE(s->restore(snaps).isOk());
      check(after);
      size_t entries = 0;
      for (auto& s : after.subtasks) entries += s->numEntries();
      EXPECT_EQ(entries, 200u * 3 + 100u);
    }
  }
}

TEST(KeyedSnapshot, RestoresEveryKeyAtAnyParallelismIntoEitherBackend) {
  for (StateBackendKind from : {StateBackendKind::kHashMap, StateBackendKind::kRocksDb}) {
    Backends before(2, 128, from);
    fill(before);
    std::vector<KeyedStateSnapshot> snaps = snapshotAll(before);
    ASSERT_EQ(snaps[0].key_groups.size() + snaps[1].key_groups.size(), 128u);
    SCOPED_TRACE("from " + std::to_string(static_cast<int>(from)));
    checkRestoresEverywhere(snaps);
  }
}

/// Changes every key fill() wrote, adds keys and clears some: none of it may reach a
/// snapshot taken before.
void changeEverything(Backends& b) {
  for (int i = 0; i < 400; ++i) {
    std::string key = "key-" + std::to_string(i);
    auto& owner = b.owner(key);
    owner.getState(countDesc())->update(-i);
    owner.getListState(wordsDesc())->add("later");
    if (i % 3 == 0) owner.getMapState(pricesDesc())->clear();
    if (i % 2 == 0) owner.getState(ttlDesc())->clear();
  }
}

TEST(KeyedSnapshot, AFullCheckpointIsFrozenAtItsMomentWhileTheBackendGoesOn) {
  for (StateBackendKind kind : {StateBackendKind::kHashMap, StateBackendKind::kRocksDb}) {
    SCOPED_TRACE(kind == StateBackendKind::kHashMap ? "hashmap" : "rocksdb");
    Backends before(2, 128, kind);
    fill(before);
    std::vector<KeyedStateSnapshot> snaps;
    for (auto& s : before.subtasks) {
      auto snap = s->snapshot(/*checkpoint_id=*/1);
      ASSERT_TRUE(snap.isOk()) << snap.status().toString();
      EXPECT_NE(snap->deferred, nullptr);  // Written later, not on the task thread.
      EXPECT_TRUE(snap->key_groups.empty());
      snaps.push_back(std::move(*snap));
    }
    changeEverything(before);
    EXPECT_EQ(before.owner("key-7").getState(countDesc())->value(), -7);
    EXPECT_EQ(before.owner("key-300").getState(countDesc())->value(), -300);
    checkRestoresEverywhere(snaps);
    // Written out, the frozen snapshot has the same bytes, also once the backend is gone.
    before.subtasks.clear();
    for (auto& snap : snaps) ASSERT_TRUE(snap.materialize().isOk());
    checkRestoresEverywhere(snaps);
  }
}

TEST(KeyedSnapshot, AFrozenSnapshotWrittenOnAnotherThreadEqualsOneWrittenAtOnce) {
  for (StateBackendKind kind : {StateBackendKind::kHashMap, StateBackendKind::kRocksDb}) {
    SCOPED_TRACE(kind == StateBackendKind::kHashMap ? "hashmap" : "rocksdb");
    Backends b(1, 128, kind);
    fill(b);
    auto eager = b.subtasks[0]->snapshot();
    auto frozen = b.subtasks[0]->snapshot(/*checkpoint_id=*/1);
    ASSERT_TRUE(eager.isOk() && frozen.isOk());
    Status written;
    std::thread writer([&] { written = frozen->materialize(); });
    for (int round = 0; round < 20; ++round) changeEverything(b);
    writer.join();
    ASSERT_TRUE(written.isOk()) << written.toString();
    EXPECT_EQ(frozen->key_groups, eager->key_groups);
  }
}

TEST(KeyedSnapshot, StateNotRegisteredAfterARestoreIsKeptByTheNextSnapshot) {
  for (int variant = 0; variant < 3; ++variant) {
    const StateBackendKind kind = variant == 0 ? StateBackendKind::kHashMap : StateBackendKind::kRocksDb;
    const bool incremental = variant == 2;  // Rescaled 2 -> 1: restored by key group.
    SCOPED_TRACE(variant == 0 ? "hashmap" : incremental ? "rocksdb incremental" : "rocksdb");
    Backends before(incremental ? 2 : 1, 128, kind, incremental);
    fill(before);
    Backends middle(1, 128, kind, incremental);
    ASSERT_TRUE(middle.subtasks[0]->restore(snapshotAll(before)).isOk());
    // Only one of the four states is registered before the next checkpoint.
    middle.owner("key-3").getState(countDesc())->update(3);
    auto snap = middle.subtasks[0]->snapshot(/*checkpoint_id=*/2);
    ASSERT_TRUE(snap.isOk()) << snap.status().toString();
    Backends after(2, 128, kind);
    for (auto& s : after.subtasks) ASSERT_TRUE(s->restore({*snap}).isOk());
    check(after);
  }
}

TEST(KeyedSnapshot, TtlKeepsCountingFromTheLastAccessBeforeTheSnapshot) {
  Backends before(1);
  fill(before);
  auto snaps = snapshotAll(before);
  Backends after(1);
  after.clock.set(before.clock.currentTimeMillis() + 100);  // Expired by then.
  ASSERT_TRUE(after.subtasks[0]->restore(snaps).isOk());
  EXPECT_EQ(after.owner("key-4").getState(ttlDesc())->value(), std::nullopt);
  EXPECT_EQ(after.owner("key-4").getState(countDesc())->value(), 4);
}

TEST(KeyedSnapshot, RefusesAnotherMaxParallelismAnotherTypeAndTruncatedData) {
  Backends before(1);
  fill(before);
  auto snaps = snapshotAll(before);

  Backends other_mp(1, 256);
  Status st = other_mp.subtasks[0]->restore(snaps);
  EXPECT_NE(st.message().find("max parallelism 128"), std::string::npos) << st.toString();

  Backends retyped(1);
  ASSERT_TRUE(retyped.subtasks[0]->restore(snaps).isOk());
  try {
    retyped.subtasks[0]->getState(ValueStateDescriptor<std::string>("count"));
    FAIL() << "expected a type error";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("state 'count' was snapshotted with another type"), std::string::npos)
        << e.what();
  }

  auto cut = snaps;
  auto& [kg, bytes] = *cut[0].key_groups.rbegin();
  bytes.resize(bytes.size() / 2);
  Backends truncated(1);
  st = truncated.subtasks[0]->restore(cut);
  if (st.isOk()) {
    // The cut fell inside a table's bytes: the error comes when that table registers.
    try {
      fill(truncated);
      check(truncated);
      FAIL() << "expected a truncation error";
    } catch (const std::exception& e) {
      EXPECT_NE(std::string(e.what()).find("key group " + std::to_string(kg)), std::string::npos) << e.what();
    }
  } else {
    EXPECT_NE(st.message().find("key group " + std::to_string(kg)), std::string::npos) << st.toString();
  }
}

// ---- Incremental RocksDB snapshots: the database's files, shared across checkpoints.

/// What a checkpoint storage does with the files of incremental snapshots: keeps one
/// copy per name, and points the snapshots at it.
struct SharedFiles {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("eddy_shared_" + std::to_string(::getpid()));
  SharedFiles() { std::filesystem::create_directories(dir); }
  ~SharedFiles() { std::filesystem::remove_all(dir); }
  /// The bytes of files it did not have yet.
  uint64_t upload(std::vector<KeyedStateSnapshot>& snaps) {
    uint64_t added = 0;
    for (auto& snap : snaps) {
      for (StateFile& f : snap.files) {
        auto target = dir / f.name;
        if (!std::filesystem::exists(target)) {
          std::filesystem::copy_file(f.path, target);
          added += f.size;
        }
        f.path = target.string();
      }
    }
    return added;
  }
};

std::vector<KeyedStateSnapshot> snapshotAllAt(Backends& b, int64_t checkpoint_id) {
  std::vector<KeyedStateSnapshot> out;
  for (auto& s : b.subtasks) {
    auto snap = s->snapshot(checkpoint_id);
    EXPECT_TRUE(snap.isOk()) << snap.status().toString();
    out.push_back(std::move(*snap));
  }
  return out;
}

uint64_t totalSize(const std::vector<KeyedStateSnapshot>& snaps) {
  uint64_t n = 0;
  for (const auto& s : snaps) {
    for (const StateFile& f : s.files) n += f.size;
  }
  return n;
}

TEST(IncrementalRocksDbSnapshot, ItsFilesRestoreIntoEitherBackendAtAnyParallelism) {
  SharedFiles storage;
  Backends before(2, 128, StateBackendKind::kRocksDb, /*incremental=*/true);
  fill(before);
  std::vector<KeyedStateSnapshot> snaps = snapshotAllAt(before, 1);
  for (const auto& s : snaps) {
    EXPECT_FALSE(s.rocksdb_handle.empty());
    EXPECT_FALSE(s.files.empty());
  }
  storage.upload(snaps);
  checkRestoresEverywhere(snaps);
}

TEST(IncrementalRocksDbSnapshot, ItsFilesOutliveTheBackendUntilTheSnapshotIsDropped) {
  // A task may end (and its backend go) before the storage has copied the files of its
  // last snapshot.
  std::vector<KeyedStateSnapshot> snaps;
  std::string dir;
  {
    Backends b(1, 128, StateBackendKind::kRocksDb, /*incremental=*/true);
    fill(b);
    snaps = snapshotAllAt(b, 1);
    ASSERT_FALSE(snaps[0].files.empty());
    dir = std::filesystem::path(snaps[0].files[0].path).parent_path().parent_path().string();
  }
  for (const StateFile& f : snaps[0].files) EXPECT_TRUE(std::filesystem::exists(f.path)) << f.path;
  snaps.clear();
  EXPECT_FALSE(std::filesystem::exists(dir)) << "the store's directory stayed after its last snapshot went";
}

TEST(IncrementalRocksDbSnapshot, ALaterSnapshotSharesTheUnchangedFilesAndAddsOnlyTheChange) {
  SharedFiles storage;
  Backends b(1, 128, StateBackendKind::kRocksDb, /*incremental=*/true);
  fill(b);
  auto first = snapshotAllAt(b, 1);
  uint64_t full = storage.upload(first);
  EXPECT_EQ(full, totalSize(first));
  // Two keys of 200 change.
  b.owner("key-3").getState(countDesc())->update(-3);
  b.owner("key-7").getState(countDesc())->update(-7);
  auto second = snapshotAllAt(b, 2);
  uint64_t added = storage.upload(second);
  std::set<std::string> first_ssts;
  for (const StateFile& f : first[0].files) {
    if (f.name.size() > 4 && f.name.ends_with(".sst")) first_ssts.insert(f.name);
  }
  ASSERT_FALSE(first_ssts.empty());
  for (const StateFile& f : second[0].files) first_ssts.erase(f.name);
  EXPECT_TRUE(first_ssts.empty()) << "an unchanged SST file was not shared";
  EXPECT_LT(added, full) << "the second snapshot wrote everything again";

  // A restore from the second snapshot at the same range opens its files as they are;
  // the next snapshot of the restored instance still shares them.
  Backends restored(1, 128, StateBackendKind::kRocksDb, /*incremental=*/true);
  ASSERT_TRUE(restored.subtasks[0]->restore(second).isOk());
  EXPECT_EQ(restored.owner("key-3").getState(countDesc())->value(), -3);
  EXPECT_EQ(restored.owner("key-8").getState(countDesc())->value(), 8);
  auto third = snapshotAllAt(restored, 3);
  std::set<std::string> second_ssts;
  for (const StateFile& f : second[0].files) {
    if (f.name.ends_with(".sst")) second_ssts.insert(f.name);
  }
  for (const StateFile& f : third[0].files) second_ssts.erase(f.name);
  EXPECT_TRUE(second_ssts.empty()) << "the restored instance wrote its restored files again";
}

TEST(IncrementalRocksDbSnapshot, AMissingFileIsAnErrorNamingIt) {
  SharedFiles storage;
  Backends b(1, 128, StateBackendKind::kRocksDb, /*incremental=*/true);
  fill(b);
  auto snaps = snapshotAllAt(b, 1);
  storage.upload(snaps);
  std::string gone = snaps[0].files[0].name;
  std::filesystem::remove(snaps[0].files[0].path);
  Backends after(2, 128, StateBackendKind::kRocksDb);
  Status st = after.subtasks[0]->restore(snaps);
  ASSERT_FALSE(st.isOk());
  EXPECT_NE(st.message().find(gone), std::string::npos) << st.toString();
}

}  // namespace
}  // namespace eddy::state

// ---- TTL cleanup by RocksDB's compaction filter.

namespace eddy::state {
namespace {

class RocksDbTtlCompaction : public ::testing::Test {
 protected:
  ManualClock clock{1000};
  KeyedStateBackend<int> backend{KeyGroupRange{0, 127}, 128, &clock, StateBackendKind::kRocksDb, tinyCache()};

  static StateTtlConfig ttl(bool background = true) {
    auto b = StateTtlConfig::newBuilder(Duration(100)).returnExpiredIfNotCleanedUp();
    if (!background) b.disableCleanupInBackground();
    return b.build();
  }
  template <typename D>
  D withTtl(D d, bool background = true) {
    d.enableTimeToLive(ttl(background));
    return d;
  }
  /// Writes values at 1000 (expired by 1150) and at 1080 (alive then); lists and maps
  /// get one element of each age for keys 0..49 and only old ones for keys 50..59.
  void fillAndExpire(bool background) {
    auto* value = backend.getState(withTtl(ValueStateDescriptor<int>("value"), background));
    auto* list = backend.getListState(withTtl(ListStateDescriptor<std::string>("list"), background));
    auto* map = backend.getMapState(withTtl(MapStateDescriptor<int, int>("map"), background));
    for (int k = 0; k < 200; ++k) {
      backend.setCurrentKey(k);
      value->update(k);
    }
    for (int k = 0; k < 60; ++k) {
      backend.setCurrentKey(k);
      list->add("old");
      map->put(1, k);
    }
    clock.set(1080);
    for (int k = 200; k < 300; ++k) {
      backend.setCurrentKey(k);
      value->update(k);
    }
    for (int k = 0; k < 50; ++k) {
      backend.setCurrentKey(k);
      list->add("new");
      map->put(2, k);
    }
    clock.set(1150);
  }
};

TEST_F(RocksDbTtlCompaction, DropsExpiredValuesAndTrimsListsAndMaps) {
  fillAndExpire(/*background=*/true);
  EXPECT_EQ(backend.numEntries(), 300u + 60u + 60u);
  ASSERT_TRUE(backend.TEST_compactRocksDb().isOk());
  // Values written at 1000 are gone; lists and maps of keys 0..49 keep their new part.
  EXPECT_EQ(backend.numEntries(), 100u + 50u + 50u);
  // What RocksDB holds for a list, read raw (no TTL on the way): only the new element.
  auto* raw = backend.table<VoidNamespace, std::vector<Stamped<std::string, true>>>("list");
  for (int k : {3, 17, 42}) {
    backend.setCurrentKey(k);
    auto* stored = raw->get({});
    ASSERT_NE(stored, nullptr) << k;
    ASSERT_EQ(stored->size(), 1u) << k;
    EXPECT_EQ((*stored)[0].value, "new");
  }
}

TEST_F(RocksDbTtlCompaction, IsOffWithoutBackgroundCleanup) {
  fillAndExpire(/*background=*/false);
  ASSERT_TRUE(backend.TEST_compactRocksDb().isOk());
  EXPECT_EQ(backend.numEntries(), 300u + 60u + 60u);
  backend.setCurrentKey(5);  // Still there, and returned once, as configured.
  EXPECT_EQ(backend.getState(withTtl(ValueStateDescriptor<int>("value"), false))->value(), 5);
}

TEST_F(RocksDbTtlCompaction, LeavesStateWithoutTtlAlone) {
  auto* plain = backend.getState(ValueStateDescriptor<int>("plain"));
  for (int k = 0; k < 100; ++k) {
    backend.setCurrentKey(k);
    plain->update(k);
  }
  clock.set(1'000'000);
  ASSERT_TRUE(backend.TEST_compactRocksDb().isOk());
  EXPECT_EQ(backend.numEntries(), 100u);
}

}  // namespace
}  // namespace eddy::state

// ---- Flink's cleanupFullSnapshot: full snapshots leave expired state out.

namespace eddy::state {
namespace {

class FullSnapshotCleanup : public ::testing::TestWithParam<StateBackendKind> {
 protected:
  ManualClock clock{1000};
  std::unique_ptr<KeyedStateBackend<int>> make(ManualClock* c) {
    return std::make_unique<KeyedStateBackend<int>>(KeyGroupRange{0, 127}, 128, c, GetParam(), tinyCache());
  }
  template <typename D>
  static D withTtl(D d) {
    d.enableTimeToLive(
        StateTtlConfig::newBuilder(Duration(100)).cleanupFullSnapshot().disableCleanupInBackground().build());
    return d;
  }
};

TEST_P(FullSnapshotCleanup, LeavesOutWhatExpiredAndTrimsLists) {
  auto before = make(&clock);
  auto* value = before->getState(withTtl(ValueStateDescriptor<int>("value")));
  auto* list = before->getListState(withTtl(ListStateDescriptor<int>("list")));
  for (int k = 0; k < 100; ++k) {
    before->setCurrentKey(k);
    value->update(k);
    list->add(1);
  }
  clock.set(1080);
  for (int k = 100; k < 150; ++k) {
    before->setCurrentKey(k);
    value->update(k);
  }
  for (int k = 0; k < 10; ++k) {
    before->setCurrentKey(k);
    list->add(2);
  }
  clock.set(1150);  // Written at 1000: expired. At 1080: alive.
  auto snap = before->snapshot(/*checkpoint_id=*/1);
  ASSERT_TRUE(snap.isOk()) << snap.status().toString();
  // Restored where time stands at 1000, anything the snapshot kept would be alive.
  ManualClock early(1000);
  auto after = make(&early);
  ASSERT_TRUE(after->restore({*snap}).isOk());
  auto* value2 = after->getState(withTtl(ValueStateDescriptor<int>("value")));
  auto* list2 = after->getListState(withTtl(ListStateDescriptor<int>("list")));
  EXPECT_EQ(after->numEntries(), 50u + 10u);
  after->setCurrentKey(120);
  EXPECT_EQ(value2->value(), 120);
  after->setCurrentKey(7);
  EXPECT_EQ(value2->value(), std::nullopt);
  EXPECT_EQ(list2->get(), std::vector<int>({2}));
}

INSTANTIATE_TEST_SUITE_P(Backends, FullSnapshotCleanup,
                         ::testing::Values(StateBackendKind::kHashMap, StateBackendKind::kRocksDb),
                         [](const auto& info) { return info.param == StateBackendKind::kHashMap ? "hashmap" : "rocksdb"; });

}  // namespace
}  // namespace eddy::state
