#pragma once

#include <algorithm>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "eddy/operators/window/window_assigner.h"

namespace eddy::operators {

/// The windows of one key under a merging assigner, each mapped to the window whose
/// namespace holds its state (Flink's MergingWindowSet). When windows merge, the state
/// stays in one of the old state windows, so merging never copies more than it must.
/// Thread: the task thread only.
template <typename W>
class MergingWindowSet {
 public:
  /// Called when windows merge: (merge result, merged windows, state window of the
  /// result, state windows whose contents must fold into it).
  using MergeFunction = std::function<void(const W&, const std::vector<W>&, const W&, const std::vector<W>&)>;

  MergingWindowSet(const WindowAssigner<W>* assigner, std::vector<std::pair<W, W>> mapping)
      : assigner_(assigner), mapping_(std::move(mapping)) {}

  const std::vector<std::pair<W, W>>& mapping() const { return mapping_; }

  std::optional<W> getStateWindow(const W& window) const {
    for (const auto& [w, s] : mapping_) {
      if (w == window) return s;
    }
    return std::nullopt;
  }

  void retireWindow(const W& window) {
    auto it = std::find_if(mapping_.begin(), mapping_.end(), [&](const auto& e) { return e.first == window; });
    if (it == mapping_.end()) throw std::logic_error("Window is not in in-flight window set.");
    mapping_.erase(it);
  }

  /// Adds `new_window`, merging as the assigner says; returns the window it ended up in.
  W addWindow(const W& new_window, const MergeFunction& merge) {
    std::vector<W> windows;
    for (const auto& e : mapping_) windows.push_back(e.first);
    windows.push_back(new_window);

    std::vector<std::pair<W, std::vector<W>>> merge_results;
    assigner_->mergeWindows(windows, [&](const std::vector<W>& to_merge, const W& result) {
      merge_results.emplace_back(result, to_merge);
    });

    W result_window = new_window;
    bool merged_new_window = false;
    for (auto& [merge_result, merged_windows] : merge_results) {
      auto nw = std::find(merged_windows.begin(), merged_windows.end(), new_window);
      if (nw != merged_windows.end()) {
        merged_windows.erase(nw);
        merged_new_window = true;
        result_window = merge_result;
      }
      if (merged_windows.empty()) continue;  // Only the new window merged into itself.

      W merged_state_window = *getStateWindow(merged_windows.front());
      std::vector<W> merged_state_windows;
      for (const W& w : merged_windows) {
        auto it = std::find_if(mapping_.begin(), mapping_.end(), [&](const auto& e) { return e.first == w; });
        if (it != mapping_.end()) {
          merged_state_windows.push_back(it->second);
          mapping_.erase(it);
        }
      }
      mapping_.emplace_back(merge_result, merged_state_window);
      auto self = std::find(merged_state_windows.begin(), merged_state_windows.end(), merged_state_window);
      if (self != merged_state_windows.end()) merged_state_windows.erase(self);

      // Flink: no merge call when the result is the one existing window itself.
      bool trivial = merged_windows.size() == 1 && merged_windows.front() == merge_result;
      if (!trivial) merge(merge_result, merged_windows, merged_state_window, merged_state_windows);
    }
    if (merge_results.empty() || (result_window == new_window && !merged_new_window)) {
      mapping_.emplace_back(result_window, result_window);
    }
    return result_window;
  }

 private:
  const WindowAssigner<W>* assigner_;
  std::vector<std::pair<W, W>> mapping_;
};

}  // namespace eddy::operators
