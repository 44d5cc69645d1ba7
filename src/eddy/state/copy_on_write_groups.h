#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace eddy::state {

/// The key groups of one piece of heap state (one hash map each), copy-on-write at key
/// group granularity, so a snapshot costs a reference per key group instead of a copy
/// or a serialization of the state (Flink's CopyOnWriteStateMap does the same per entry).
///
/// freeze() hands out read-only references to the groups as they are; the next change
/// of a group a snapshot still holds copies that group first and changes the copy. A
/// group the snapshot already let go of (its last reference dropped) changes in place.
///
/// Thread: the task thread owns this object and calls everything on it. A frozen group
/// is never changed again, so the holder of a frozen reference may read it on any
/// thread while the task goes on, and drop it from any thread.
template <typename G>
class CopyOnWriteGroups {
 public:
  explicit CopyOnWriteGroups(size_t n) : frozen_(n, 0) {
    groups_.reserve(n);
    for (size_t i = 0; i < n; ++i) groups_.push_back(std::make_shared<G>());
  }

  size_t size() const { return groups_.size(); }

  /// Group `i` for reading on the task thread.
  const G& read(size_t i) const { return *groups_[i]; }

  /// Group `i` for changing. When a snapshot still holds it, it is copied first: a
  /// reference or pointer into the group taken before this call is stale afterwards.
  G& write(size_t i) {
    if (frozen_count_ != 0 && frozen_[i] != 0) thaw(i);
    return *groups_[i];
  }

  /// True when the next write(i) may copy group `i` (so pointers into it may go stale).
  bool frozen(size_t i) const { return frozen_[i] != 0; }

  /// Every group as it is now, for a snapshot. Groups change only through copies until
  /// the returned references are dropped.
  std::vector<std::shared_ptr<const G>> freeze() {
    std::vector<std::shared_ptr<const G>> out(groups_.begin(), groups_.end());
    for (auto& f : frozen_) f = 1;
    frozen_count_ = frozen_.size();
    return out;
  }

  /// Groups copied because a snapshot held them, since construction (tests, metrics).
  uint64_t copies() const { return copies_; }

 private:
  void thaw(size_t i) {
    if (groups_[i].use_count() > 1) {
      groups_[i] = std::make_shared<G>(*groups_[i]);
      ++copies_;
    } else {
      // The snapshot dropped its reference: the reader's last access happened before
      // that release, and this fence makes the count we read acquire it, so the group
      // may change in place.
      std::atomic_thread_fence(std::memory_order_acquire);
    }
    frozen_[i] = 0;
    --frozen_count_;
  }

  std::vector<std::shared_ptr<G>> groups_;
  std::vector<uint8_t> frozen_;  // Per group: a snapshot may still hold it.
  size_t frozen_count_ = 0;
  uint64_t copies_ = 0;
};

}  // namespace eddy::state
