#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

namespace eddy {

/// An open-addressing hash map with linear probing and values stored inline: the
/// container under keyed state and timers, where std::unordered_map's node per entry
/// costs a cache miss per lookup.
///
/// Each slot keeps 32 bits of the hash (0 = empty), so most probes that do not match
/// are rejected without touching the key, and growing never calls `Hash` again.
/// Erasing shifts later entries of the probe run back (no tombstones), so lookups stay
/// short under churn (windows are created and dropped all the time).
///
/// `Hash` must return a well-mixed 64-bit value (low bits pick the slot).
/// The table grows at 3/4 load, where linear probing still stays short.
/// Invalidation: any insert or erase may move entries; pointers and iterators are valid
/// only until the next insert or erase.
/// Thread: not synchronised.
template <typename K, typename V, typename Hash, typename Eq = std::equal_to<K>>
class FlatHashMap {
 public:
  using value_type = std::pair<K, V>;

  FlatHashMap() = default;
  FlatHashMap(const FlatHashMap& o) { copyFrom(o); }
  FlatHashMap& operator=(const FlatHashMap& o) {
    if (this != &o) {
      destroy();
      copyFrom(o);
    }
    return *this;
  }
  FlatHashMap(FlatHashMap&& o) noexcept { swap(o); }
  FlatHashMap& operator=(FlatHashMap&& o) noexcept {
    if (this != &o) {
      destroy();
      swap(o);
    }
    return *this;
  }
  ~FlatHashMap() { destroy(); }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  size_t capacity() const { return capacity_; }
  /// Bytes held by the table (slots and tags), not counting what values point to.
  size_t memoryBytes() const { return capacity_ * (sizeof(value_type) + sizeof(uint32_t)); }

  V* find(const K& key) {
    if (size_ == 0) return nullptr;
    uint64_t h = Hash()(key);
    uint32_t tag = tagOf(h);
    for (size_t i = h & mask(); tags_[i] != 0; i = (i + 1) & mask()) {
      if (tags_[i] == tag && Eq()(slots_[i].first, key)) return &slots_[i].second;
    }
    return nullptr;
  }
  const V* find(const K& key) const { return const_cast<FlatHashMap*>(this)->find(key); }
  bool contains(const K& key) const { return find(key) != nullptr; }

  /// The value of `key`, default-constructed and inserted when absent; `inserted` says
  /// which.
  V& tryEmplace(const K& key, bool* inserted = nullptr) {
    if ((size_ + 1) * 4 > capacity_ * 3) grow();
    uint64_t h = Hash()(key);
    uint32_t tag = tagOf(h);
    size_t i = h & mask();
    for (; tags_[i] != 0; i = (i + 1) & mask()) {
      if (tags_[i] == tag && Eq()(slots_[i].first, key)) {
        if (inserted) *inserted = false;
        return slots_[i].second;
      }
    }
    new (&slots_[i]) value_type(key, V{});
    tags_[i] = tag;
    ++size_;
    if (inserted) *inserted = true;
    return slots_[i].second;
  }
  V& operator[](const K& key) { return tryEmplace(key); }

  /// Inserts `key` unless present; returns whether it was inserted.
  bool insert(const K& key, V value) {
    bool inserted = false;
    V& v = tryEmplace(key, &inserted);
    if (inserted) v = std::move(value);
    return inserted;
  }

  bool erase(const K& key) {
    if (size_ == 0) return false;
    uint64_t h = Hash()(key);
    uint32_t tag = tagOf(h);
    for (size_t i = h & mask(); tags_[i] != 0; i = (i + 1) & mask()) {
      if (tags_[i] == tag && Eq()(slots_[i].first, key)) {
        eraseAt(i);
        return true;
      }
    }
    return false;
  }

  void clear() {
    for (size_t i = 0; i < capacity_; ++i) {
      if (tags_[i] != 0) {
        slots_[i].~value_type();
        tags_[i] = 0;
      }
    }
    size_ = 0;
  }

  /// Calls f(key, value) for every entry; f must not insert or erase.
  template <typename F>
  void forEach(F&& f) {
    for (size_t i = 0; i < capacity_; ++i) {
      if (tags_[i] != 0) f(std::as_const(slots_[i].first), slots_[i].second);
    }
  }
  template <typename F>
  void forEach(F&& f) const {
    for (size_t i = 0; i < capacity_; ++i) {
      if (tags_[i] != 0) f(slots_[i].first, std::as_const(slots_[i].second));
    }
  }

  /// Erases every entry for which pred(key, value) is true; returns how many.
  template <typename P>
  size_t eraseIf(P&& pred) {
    size_t erased = 0;
    // Walking backwards from an empty slot means a backward shift never moves an entry
    // we have yet to visit into a slot we already passed.
    if (size_ == 0) return 0;
    size_t start = 0;
    while (tags_[start] != 0) ++start;  // Exists: the load factor is below 1.
    for (size_t n = 0; n < capacity_; ++n) {
      size_t i = (start + capacity_ - n) & mask();
      while (tags_[i] != 0 && pred(std::as_const(slots_[i].first), slots_[i].second)) {
        eraseAt(i);
        ++erased;
      }
    }
    return erased;
  }

  /// Looks at up to `max_entries` entries from slot `*cursor` on, erasing those for
  /// which pred(key, value) is true, and leaves `*cursor` where it stopped (capacity()
  /// when it reached the end). Returns how many entries it looked at. For background
  /// cleanup: an entry moved by an erase may be looked at twice or not until the next
  /// sweep.
  template <typename P>
  size_t scanEraseIf(size_t* cursor, size_t max_entries, P&& pred) {
    size_t seen = 0;
    size_t i = *cursor;
    while (i < capacity_ && seen < max_entries) {
      if (tags_[i] == 0) {
        ++i;
        continue;
      }
      ++seen;
      if (pred(std::as_const(slots_[i].first), slots_[i].second)) {
        eraseAt(i);  // Slot i may now hold a shifted entry: look at it again.
      } else {
        ++i;
      }
    }
    *cursor = i;
    return seen;
  }

 private:
  size_t mask() const { return capacity_ - 1; }
  static uint32_t tagOf(uint64_t h) { return static_cast<uint32_t>(h >> 32) | 1u; }
  size_t homeOf(size_t i) const {
    // The tag holds the high half of the hash; the home slot needs the low bits, so
    // recompute (only on erase, where the probe run is short).
    return Hash()(slots_[i].first) & mask();
  }

  void eraseAt(size_t i) {
    slots_[i].~value_type();
    tags_[i] = 0;
    --size_;
    // Backward shift: move later entries of the run into the hole when their home slot
    // does not lie cyclically in (hole, j].
    size_t hole = i;
    for (size_t j = (i + 1) & mask(); tags_[j] != 0; j = (j + 1) & mask()) {
      size_t home = homeOf(j);
      bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
      if (stays) continue;
      new (&slots_[hole]) value_type(std::move(slots_[j]));
      tags_[hole] = tags_[j];
      slots_[j].~value_type();
      tags_[j] = 0;
      hole = j;
    }
  }

  void grow() {
    size_t new_capacity = capacity_ == 0 ? 16 : capacity_ * 2;
    std::unique_ptr<uint32_t[]> old_tags = std::move(tags_);
    value_type* old_slots = slots_;
    size_t old_capacity = capacity_;
    allocate(new_capacity);
    for (size_t i = 0; i < old_capacity; ++i) {
      if (old_tags[i] == 0) continue;
      size_t j = Hash()(old_slots[i].first) & mask();
      while (tags_[j] != 0) j = (j + 1) & mask();
      new (&slots_[j]) value_type(std::move(old_slots[i]));
      tags_[j] = old_tags[i];
      old_slots[i].~value_type();
    }
    ::operator delete(old_slots, std::align_val_t(alignof(value_type)));
  }

  void allocate(size_t capacity) {
    capacity_ = capacity;
    tags_ = std::make_unique<uint32_t[]>(capacity);  // Zeroed: all empty.
    slots_ = static_cast<value_type*>(
        ::operator new(capacity * sizeof(value_type), std::align_val_t(alignof(value_type))));
  }

  void destroy() {
    if (slots_ == nullptr) return;
    clear();
    ::operator delete(slots_, std::align_val_t(alignof(value_type)));
    slots_ = nullptr;
    tags_.reset();
    capacity_ = 0;
  }

  void copyFrom(const FlatHashMap& o) {
    if (o.capacity_ == 0) return;
    allocate(o.capacity_);
    if constexpr (std::is_trivially_copy_constructible_v<value_type> && std::is_trivially_destructible_v<value_type>) {
      // Plain bytes (copy-on-write snapshots copy whole tables): one pass, not per slot.
      std::memcpy(static_cast<void*>(slots_), o.slots_, capacity_ * sizeof(value_type));
      std::memcpy(tags_.get(), o.tags_.get(), capacity_ * sizeof(uint32_t));
      size_ = o.size_;
      return;
    }
    for (size_t i = 0; i < capacity_; ++i) {
      if (o.tags_[i] == 0) continue;
      new (&slots_[i]) value_type(o.slots_[i]);
      tags_[i] = o.tags_[i];
    }
    size_ = o.size_;
  }

  void swap(FlatHashMap& o) noexcept {
    std::swap(tags_, o.tags_);
    std::swap(slots_, o.slots_);
    std::swap(capacity_, o.capacity_);
    std::swap(size_, o.size_);
  }

  std::unique_ptr<uint32_t[]> tags_;
  value_type* slots_ = nullptr;
  size_t capacity_ = 0;
  size_t size_ = 0;
};

}  // namespace eddy
