// eddy-checkpoint-bench: what checkpoints of N keys cost with each state backend, through
// the real keyed state backend and file checkpoint storage. Fills N keys of a
// ValueState<std::string>, changes a share of the keys (the baseline), checkpoints while
// changing that share again (as a task goes on during the write), checkpoints again,
// and restores the second checkpoint at the same parallelism and at two subtasks.
// Prints one JSON line: the synchronous part (on the task thread) and the storage
// write (on another thread, as the coordinator's) of each checkpoint, the changes'
// time alone and during the write, the bytes each wrote and held, the restore times,
// and, as the plain baseline, the time to copy the checkpoint's bytes.
// Values are random bytes, so compression does not make the state smaller than it is.
//
// Usage: eddy-checkpoint-bench [--keys N] [--value-bytes B] [--changed-percent P]
//                              [--state-backend hashmap|rocksdb] [--incremental] [--dir D]
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <thread>

#include "eddy/runtime/checkpoint_storage.h"
#include "eddy/state/keyed_state_backend.h"

using namespace eddy;
namespace fs = std::filesystem;

namespace {

using Steady = std::chrono::steady_clock;
double msSince(Steady::time_point t) { return std::chrono::duration<double, std::milli>(Steady::now() - t).count(); }

struct Options {
  int64_t keys = 1'000'000;
  int value_bytes = 16;
  double changed_percent = 1.0;
  bool rocksdb = false;
  bool incremental = false;
  std::string dir;
};

int usage() {
  std::fprintf(stderr,
               "usage: eddy-checkpoint-bench [--keys N] [--value-bytes B] [--changed-percent P] "
               "[--state-backend hashmap|rocksdb] [--incremental] [--dir D]\n");
  return 2;
}

using Backend = state::KeyedStateBackend<int64_t>;
constexpr int kMaxParallelism = 128;

std::unique_ptr<Backend> makeBackend(const Options& o, KeyGroupRange range, const eddy::Clock* clock) {
  state::RocksDbOptions rocks;
  rocks.incremental = o.incremental;
  rocks.local_dir = o.dir + "/local";
  return std::make_unique<Backend>(range, kMaxParallelism, clock,
                                   o.rocksdb ? state::StateBackendKind::kRocksDb : state::StateBackendKind::kHashMap,
                                   rocks);
}

state::ValueStateDescriptor<std::string> valueDesc() { return state::ValueStateDescriptor<std::string>("v"); }

struct CheckpointCost {
  double sync_ms = 0;
  double write_ms = 0;
  double during_ms = 0;  // What `during` took while the write ran.
  runtime::CheckpointWriteStats stats;
};

/// Snapshots `b` (the synchronous part), then writes the snapshot to `storage` on
/// another thread, as the coordinator does, while this thread runs `during` (the task
/// going on: on the heap its changes copy frozen key groups).
template <typename During>
CheckpointCost checkpoint(Backend& b, int64_t id, runtime::CheckpointStorage& storage, During&& during) {
  CheckpointCost c;
  auto t = Steady::now();
  Result<state::KeyedStateSnapshot> snap = b.snapshot(id);
  c.sync_ms = msSince(t);
  if (!snap.isOk()) {
    std::fprintf(stderr, "snapshot: %s\n", snap.status().message().c_str());
    std::exit(1);
  }
  runtime::CompletedCheckpoint cp;
  cp.id = id;
  runtime::OperatorSnapshot op;
  op.max_parallelism = snap->max_parallelism;
  op.key_groups = std::move(snap->key_groups);
  op.deferred_key_groups = std::move(snap->deferred);
  op.rocksdb_handle = std::move(snap->rocksdb_handle);
  op.files = std::move(snap->files);
  cp.operators["keyed"].push_back(std::move(op));
  Status st;
  std::thread writer([&] {
    auto w = Steady::now();
    st = storage.write(cp, &c.stats);
    if (st.isOk()) st = runtime::removeSubsumed(storage, 1);
    cp.operators.clear();  // Lets go of frozen state, as the coordinator does.
    c.write_ms = msSince(w);
  });
  t = Steady::now();
  during();
  c.during_ms = msSince(t);
  writer.join();
  if (!st.isOk()) {
    std::fprintf(stderr, "write: %s\n", st.message().c_str());
    std::exit(1);
  }
  return c;
}

state::KeyedStateSnapshot toKeyed(const runtime::OperatorSnapshot& op) {
  state::KeyedStateSnapshot k;
  k.max_parallelism = op.max_parallelism;
  k.key_groups = op.key_groups;
  k.rocksdb_handle = op.rocksdb_handle;
  k.files = op.files;
  return k;
}

/// Restores `snaps` into `parallelism` backends and reads one key of each, so the state
/// is usable; returns the milliseconds.
double restore(const Options& o, const std::vector<state::KeyedStateSnapshot>& snaps, int parallelism,
               const eddy::Clock* clock) {
  auto t = Steady::now();
  std::vector<std::unique_ptr<Backend>> backends;
  for (int i = 0; i < parallelism; ++i) {
    backends.push_back(makeBackend(o, KeyGroupRange::forOperator(kMaxParallelism, parallelism, i), clock));
    Status st = backends.back()->restore(snaps);
    if (!st.isOk()) {
      std::fprintf(stderr, "restore: %s\n", st.message().c_str());
      std::exit(1);
    }
    auto* v = backends.back()->getState(valueDesc());
    (void)v;
  }
  double ms = msSince(t);
  // Spot check: key 1 is in exactly one backend and has its value.
  int found = 0;
  for (auto& b : backends) {
    int kg = keyGroupForHash(KeyHash<int64_t>()(1), kMaxParallelism);
    if (!b->keyContext().range.contains(kg)) continue;
    b->setCurrentKey(1);
    found += b->getState(valueDesc())->value().has_value() ? 1 : 0;
  }
  if (found != 1) {
    std::fprintf(stderr, "restore lost key 1\n");
    std::exit(1);
  }
  return ms;
}

int64_t directoryBytes(const fs::path& dir) {
  int64_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) n += static_cast<int64_t>(e.file_size());
  }
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (a == "--keys" && (v = next())) {
      o.keys = std::atoll(v);
    } else if (a == "--value-bytes" && (v = next())) {
      o.value_bytes = std::atoi(v);
    } else if (a == "--changed-percent" && (v = next())) {
      o.changed_percent = std::atof(v);
    } else if (a == "--state-backend" && (v = next())) {
      if (std::strcmp(v, "rocksdb") == 0) {
        o.rocksdb = true;
      } else if (std::strcmp(v, "hashmap") != 0) {
        return usage();
      }
    } else if (a == "--incremental") {
      o.incremental = true;
    } else if (a == "--dir" && (v = next())) {
      o.dir = v;
    } else {
      return usage();
    }
  }
  if (o.incremental && !o.rocksdb) return usage();
  if (o.dir.empty()) o.dir = (fs::temp_directory_path() / ("eddy-checkpoint-bench-" + std::to_string(::getpid()))).string();
  fs::remove_all(o.dir);
  fs::create_directories(o.dir + "/local");
  ManualClock clock(1'000'000);
  auto storage = runtime::FileCheckpointStorage::open(o.dir + "/checkpoints", /*create=*/true).value();

  auto backend = makeBackend(o, KeyGroupRange{0, kMaxParallelism - 1}, &clock);
  auto* value = backend->getState(valueDesc());
  // Random bytes: compression cannot shrink the state below its size.
  std::string payload(static_cast<size_t>(o.value_bytes), 'x');
  uint64_t noise = 0x9e3779b97f4a7c15ULL;
  auto randomize = [&] {
    for (char& c : payload) {
      noise ^= noise << 13;
      noise ^= noise >> 7;
      noise ^= noise << 17;
      c = static_cast<char>(noise);
    }
  };
  auto t = Steady::now();
  for (int64_t k = 0; k < o.keys; ++k) {
    backend->setCurrentKey(k);
    randomize();
    value->update(payload);
  }
  double fill_ms = msSince(t);

  // A share of the keys changes, chosen at random: once alone (the baseline), once while
  // the first checkpoint is written (on the heap, copy-on-write copies key groups then).
  std::mt19937_64 rng(42);
  const auto changed = static_cast<int64_t>(static_cast<double>(o.keys) * o.changed_percent / 100.0);
  auto change = [&] {
    for (int64_t i = 0; i < changed; ++i) {
      backend->setCurrentKey(static_cast<int64_t>(rng() % static_cast<uint64_t>(o.keys)));
      randomize();
      value->update(payload);
    }
  };
  t = Steady::now();
  change();
  double change_ms = msSince(t);
  CheckpointCost first = checkpoint(*backend, 1, *storage, change);
  CheckpointCost second = checkpoint(*backend, 2, *storage, [] {});
  backend.reset();

  auto cp = storage->read(2);
  if (!cp.isOk()) {
    std::fprintf(stderr, "read: %s\n", cp.status().message().c_str());
    return 1;
  }
  std::vector<state::KeyedStateSnapshot> snaps;
  for (const auto& op : cp->operators.at("keyed")) snaps.push_back(toKeyed(op));
  double restore_ms = restore(o, snaps, 1, &clock);
  double rescale_ms = restore(o, snaps, 2, &clock);

  // The plain baseline: copying the checkpoint's bytes once.
  t = Steady::now();
  fs::copy(o.dir + "/checkpoints", o.dir + "/copy", fs::copy_options::recursive);
  double copy_ms = msSince(t);
  int64_t stored = directoryBytes(o.dir + "/checkpoints");

  std::printf(
      "{\"keys\":%lld,\"value_bytes\":%d,\"backend\":\"%s\",\"fill_ms\":%.0f,\"change_ms\":%.1f,"
      "\"first\":{\"sync_ms\":%.1f,\"write_ms\":%.1f,\"change_during_write_ms\":%.1f,\"bytes_written\":%lld,"
      "\"full_size\":%lld},"
      "\"changed_percent\":%.2f,"
      "\"second\":{\"sync_ms\":%.1f,\"write_ms\":%.1f,\"bytes_written\":%lld,\"full_size\":%lld},"
      "\"second_written_of_full\":%.4f,\"restore_ms\":%.1f,\"restore_at_2_ms\":%.1f,"
      "\"stored_bytes\":%lld,\"plain_copy_ms\":%.1f}\n",
      static_cast<long long>(o.keys), o.value_bytes,
      o.rocksdb ? (o.incremental ? "rocksdb-incremental" : "rocksdb") : "hashmap", fill_ms, change_ms, first.sync_ms,
      first.write_ms, first.during_ms, static_cast<long long>(first.stats.bytes_written), static_cast<long long>(first.stats.full_size),
      o.changed_percent, second.sync_ms, second.write_ms, static_cast<long long>(second.stats.bytes_written),
      static_cast<long long>(second.stats.full_size),
      static_cast<double>(second.stats.bytes_written) / static_cast<double>(std::max<int64_t>(1, second.stats.full_size)),
      restore_ms, rescale_ms, static_cast<long long>(stored), copy_ms);
  fs::remove_all(o.dir);
  return 0;
}
