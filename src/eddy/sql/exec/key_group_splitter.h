#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "eddy/core/key_group.h"
#include "eddy/core/key_hash.h"
#include "eddy/runtime/channel_selector.h"
#include "eddy/sql/exec/group_key.h"

namespace eddy::sql {

/// The hash exchange in front of a keyed SQL operator (an aggregation, a join): cuts
/// each RecordBatch into one part per consumer subtask, each row going to the subtask
/// that owns the key group of its key bytes (encodeKey of `keys`), which is the key
/// the consumer's keyed state is addressed by. Row order within a part is the batch's.
/// Thread: the producing task thread.
class KeyGroupSplitter final : public runtime::ChannelSelector<RecordBatch> {
 public:
  KeyGroupSplitter(std::vector<int> keys, std::vector<LogicalType> key_types, int max_parallelism, int channels)
      : keys_(std::move(keys)), key_types_(std::move(key_types)), max_parallelism_(max_parallelism),
        channels_(channels), parts_(static_cast<size_t>(channels)) {}

  bool splits() const override { return true; }
  int selectChannel(const RecordBatch& b) override { return b.empty() ? 0 : channelOf(b, 0); }
  void split(const RecordBatch& b, std::vector<std::pair<int, RecordBatch>>& out) override {
    for (RecordBatch& p : parts_) {
      p.columns.resize(b.columns.size());
      for (size_t c = 0; c < b.columns.size(); ++c) {
        p.columns[c].storage = b.columns[c].storage;
        p.columns[c].clear();
      }
      p.kinds.clear();
    }
    for (size_t r = 0; r < b.size(); ++r) parts_[static_cast<size_t>(channelOf(b, r))].appendRow(b, r, b.kinds[r]);
    for (size_t c = 0; c < parts_.size(); ++c) {
      if (!parts_[c].empty()) out.emplace_back(static_cast<int>(c), std::move(parts_[c]));
    }
  }

 private:
  int channelOf(const RecordBatch& b, size_t row) {
    encodeKey(b, row, keys_, key_types_, key_);
    int group = keyGroupForHash(KeyHash<std::string>()(key_), max_parallelism_);
    return operatorIndexForKeyGroup(group, max_parallelism_, channels_);
  }

  std::vector<int> keys_;
  std::vector<LogicalType> key_types_;
  int max_parallelism_;
  int channels_;
  std::vector<RecordBatch> parts_;
  std::string key_;
};

}  // namespace eddy::sql
