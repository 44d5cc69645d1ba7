#pragma once

#include <cstdint>

namespace eddy {

/// Flink's default maximum parallelism (number of key groups) when none is set.
inline constexpr int kDefaultMaxParallelism = 128;

/// Flink's MathUtils.murmurHash(int): a non-negative 31-bit mix of a 32-bit hash code.
int32_t murmurHash(int32_t code);

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
