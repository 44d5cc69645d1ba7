#pragma once

#include <cstdint>

namespace eddy {

/// Flink's default maximum parallelism (number of key groups) when none is set.
inline constexpr int kDefaultMaxParallelism = 128;

/// Flink's MathUtils.murmurHash(int): a non-negative 31-bit mix of a 32-bit hash code.
/// Inline: it runs twice per record of a keyed exchange (channel, then key group).
inline int32_t murmurHash(int32_t code) {
  auto rotl = [](uint32_t v, int r) { return (v << r) | (v >> (32 - r)); };
  // Java int arithmetic wraps; unsigned arithmetic gives the same bits.
  uint32_t c = static_cast<uint32_t>(code);
  c *= 0xcc9e2d51u;
  c = rotl(c, 15);
  c *= 0x1b873593u;
  c = rotl(c, 13);
  c = c * 5 + 0xe6546b64u;
  c ^= 4;
  // fmix32
  c ^= c >> 16;
  c *= 0x85ebca6bu;
  c ^= c >> 13;
  c *= 0xc2b2ae35u;
  c ^= c >> 16;
  int32_t mixed = static_cast<int32_t>(c);
  if (mixed >= 0) return mixed;
  if (mixed != INT32_MIN) return -mixed;
  return 0;
}

/// The key group of a key hash code: murmurHash(hash) % maxParallelism (Flink's
/// KeyGroupRangeAssignment.computeKeyGroupForKeyHash).
inline int keyGroupForHash(int32_t key_hash, int max_parallelism) {
  return murmurHash(key_hash) % max_parallelism;
}

/// The subtask that owns a key group: keyGroup * parallelism / maxParallelism.
inline int operatorIndexForKeyGroup(int key_group, int max_parallelism, int parallelism) {
  return static_cast<int>(static_cast<int64_t>(key_group) * parallelism / max_parallelism);
}

/// A contiguous, inclusive range of key groups [start, end]; empty when end < start.
struct KeyGroupRange {
  int start = 0;
  int end = -1;

  int size() const { return end >= start ? end - start + 1 : 0; }
  bool contains(int key_group) const { return key_group >= start && key_group <= end; }

  /// The range a subtask owns, exactly as Flink's
  /// KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex.
  static KeyGroupRange forOperator(int max_parallelism, int parallelism, int operator_index);
};

}  // namespace eddy
