#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <typeinfo>
#include <utility>
#include <vector>

#include "eddy/core/flat_hash_map.h"
#include "eddy/core/key_hash.h"
#include "eddy/core/serialization.h"
#include "eddy/core/time.h"
#include "eddy/state/state_table.h"

namespace eddy::operators {

/// Window contents stored window-major: per key group, one hash map of key -> contents
/// per live window, plus the ordered set of window ends still to fire.
///
/// Used by the WindowOperator when every window fires exactly once at its end and is
/// dropped then (event time, Flink's EventTimeTrigger, a non-merging assigner, no
/// allowed lateness). Then the end-of-window timers are implied by the contents: a
/// window's end is pending while any key holds contents for it. Firing a window walks
/// its maps front to back and drops them whole, instead of one timer, one lookup and
/// one erase per key: large state costs a sequential scan instead of random misses.
/// Thread: the task thread only.
template <typename K, typename W, typename Acc>
class WindowMajorContents {
 public:
  explicit WindowMajorContents(int num_key_groups) : groups_(static_cast<size_t>(num_key_groups)) {}

  /// The contents of (key, window) in key group `kg_index`, default-constructed when
  /// absent (`created` says which). The reference is valid until the next call.
  Acc& getOrCreate(int kg_index, const K& key, const W& window, bool* created) {
    return mapFor(kg_index, window).tryEmplace(key, created);
  }

  /// Removes every window ending at or before `time`, earliest end first, calling
  /// fire(window, key, contents) for each key of each; fire must not add contents (the
  /// maps are being walked).
  template <typename Fire>
  void fireUpTo(Timestamp time, Fire&& fire) {
    while (!pending_.empty() && pending_.begin()->first <= time) {
      std::vector<W> windows = std::move(pending_.begin()->second);
      pending_.erase(pending_.begin());
      for (const W& window : windows) {
        for (auto& slots : groups_) {
          for (size_t i = 0; i < slots.size(); ++i) {
            if (!(slots[i].window == window)) continue;
            Map map = std::move(slots[i].map);
            slots.erase(slots.begin() + static_cast<std::ptrdiff_t>(i));
            map.forEach([&](const K& key, Acc& acc) { fire(window, key, acc); });
            break;
          }
        }
      }
    }
  }

  /// Writes each key group's windows and contents (index = key group - range start).
  Status snapshot(std::vector<DataOutputView>& per_key_group) const {
    per_key_group.assign(groups_.size(), DataOutputView());
    if constexpr (Serializable<K> && Serializable<W> && Serializable<Acc>) {
      for (size_t g = 0; g < groups_.size(); ++g) {
        DataOutputView& out = per_key_group[g];
        out.writeVarint(groups_[g].size());
        for (const Slot& slot : groups_[g]) {
          serialize(slot.window, out);
          out.writeVarint(slot.map.size());
          slot.map.forEach([&](const K& key, const Acc& acc) {
            serialize(key, out);
            serialize(acc, out);
          });
        }
      }
      return Status::ok();
    } else {
      return Status::unimplemented(std::string("window contents of type ") + typeid(Acc).name() +
                                   " cannot be snapshotted: give the type serialize/deserialize");
    }
  }
  /// Calls add(window, key, contents) for every entry snapshot() wrote for one key group.
  template <typename Add>
  static Status readSnapshot(DataInputView& in, Add&& add) {
    if constexpr (Serializable<K> && Serializable<W> && Serializable<Acc>) {
      if (in.atEnd()) return Status::ok();  // Written without window-major contents.
      EDDY_ASSIGN_OR_RETURN(uint64_t slots, in.readVarint());
      for (uint64_t s = 0; s < slots; ++s) {
        EDDY_ASSIGN_OR_RETURN(W window, deserialize<W>(in));
        EDDY_ASSIGN_OR_RETURN(uint64_t n, in.readVarint());
        for (uint64_t i = 0; i < n; ++i) {
          EDDY_ASSIGN_OR_RETURN(K key, deserialize<K>(in));
          EDDY_ASSIGN_OR_RETURN(Acc acc, deserialize<Acc>(in));
          add(window, key, std::move(acc));
        }
      }
      return Status::ok();
    } else {
      return Status::unimplemented(std::string("window contents of type ") + typeid(Acc).name() + " cannot be restored");
    }
  }

 private:
  struct Hash {
    uint64_t operator()(const K& k) const { return state::spreadHash(static_cast<uint32_t>(KeyHash<K>()(k))); }
  };
  using Map = FlatHashMap<K, Acc, Hash>;
  struct Slot {
    W window;
    Map map;
  };

  Map& mapFor(int kg_index, const W& window) {
    std::vector<Slot>& slots = groups_[static_cast<size_t>(kg_index)];
    // Few windows are live at once (one for tumbling, size/slide for sliding), so a
    // linear search over the key group's windows beats any index.
    for (Slot& s : slots) {
      if (s.window == window) return s.map;
    }
    slots.push_back(Slot{window, Map{}});
    std::vector<W>& ending = pending_[window.maxTimestamp()];
    if (std::find(ending.begin(), ending.end(), window) == ending.end()) ending.push_back(window);
    return slots.back().map;
  }

  std::vector<std::vector<Slot>> groups_;
  std::map<Timestamp, std::vector<W>> pending_;  // Window end -> the windows ending there.
};

}  // namespace eddy::operators
