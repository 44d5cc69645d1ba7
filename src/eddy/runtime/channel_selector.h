#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "eddy/core/key_group.h"
#include "eddy/core/key_hash.h"

namespace eddy::runtime {

/// How records of one edge are spread over the consumer's subtasks (Flink's
/// StreamPartitioner kinds).
enum class PartitionKind {
  kForward,    // subtask i -> subtask i; chains when parallelism matches.
  kRebalance,  // round robin over all consumers.
  kRescale,    // round robin over a local subset of consumers.
  kShuffle,    // uniformly random.
  kHash,       // by key group of the key (keyBy).
  kBroadcast,  // every record to every consumer.
  kGlobal,     // everything to consumer 0.
  kCustom,     // a user Partitioner on the key.
};

const char* partitionKindName(PartitionKind kind);

/// Whether the edge connects every producer to every consumer (true) or pointwise.
inline bool isAllToAll(PartitionKind kind) {
  return kind != PartitionKind::kForward && kind != PartitionKind::kRescale;
}

/// Picks the output channel of a record among `numChannels` connected consumers.
/// Returns -1 to mean every channel. Thread: the producing task thread only.
template <typename T>
class ChannelSelector {
 public:
  virtual ~ChannelSelector() = default;
  virtual int selectChannel(const T& value) = 0;
  /// A record that holds many rows (SQL's RecordBatch) may belong to several channels:
  /// such a selector says so here, once, and split() then cuts each record into
  /// (channel, part) pairs in place of selectChannel.
  virtual bool splits() const { return false; }
  virtual void split(const T& value, std::vector<std::pair<int, T>>& parts) {
    parts.emplace_back(selectChannel(value), value);
  }
};

template <typename T>
class RoundRobinSelector final : public ChannelSelector<T> {
 public:
  RoundRobinSelector(int num_channels, int start) : n_(num_channels), next_(start % num_channels) {}
  int selectChannel(const T&) override {
    int c = next_;
    if (++next_ == n_) next_ = 0;
    return c;
  }

 private:
  int n_;
  int next_;
};

template <typename T>
class ConstantSelector final : public ChannelSelector<T> {
 public:
  explicit ConstantSelector(int channel) : channel_(channel) {}
  int selectChannel(const T&) override { return channel_; }

 private:
  int channel_;
};

template <typename T>
class RandomSelector final : public ChannelSelector<T> {
 public:
  RandomSelector(int num_channels, uint64_t seed) : n_(num_channels), state_(seed | 1) {}
  int selectChannel(const T&) override {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    return static_cast<int>(state_ % static_cast<uint64_t>(n_));
  }

 private:
  int n_;
  uint64_t state_;
};

/// keyBy: channel = owner of the key's key group (Flink's KeyGroupStreamPartitioner).
template <typename T, typename K, typename KeySelector>
class KeyGroupSelector final : public ChannelSelector<T> {
 public:
  KeyGroupSelector(KeySelector selector, int max_parallelism, int num_channels)
      : selector_(std::move(selector)), max_parallelism_(max_parallelism), channel_of_(max_parallelism) {
    // One division per key group now, instead of one per record.
    for (int kg = 0; kg < max_parallelism; ++kg) channel_of_[kg] = operatorIndexForKeyGroup(kg, max_parallelism, num_channels);
  }
  int selectChannel(const T& value) override {
    return channel_of_[keyGroupForHash(KeyHash<K>()(selector_(value)), max_parallelism_)];
  }

 private:
  KeySelector selector_;
  int max_parallelism_;
  std::vector<int> channel_of_;
};

/// Factory of a selector for one producer subtask: (num_channels, producer_subtask).
template <typename T>
using SelectorFactory = std::function<std::unique_ptr<ChannelSelector<T>>(int, int)>;

}  // namespace eddy::runtime
