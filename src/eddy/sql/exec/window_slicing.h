#pragma once

#include <cstdint>
#include <optional>

#include "eddy/sql/exec/aggregates.h"

namespace eddy::sql {

/// How a window aggregation keeps its accumulators: per slice, a stretch of time that
/// lies wholly inside every window it meets (Flink's window slicing). A row goes to one
/// slice; a window, when it fires, merges its slices.
///  - `sliced`: rows are assigned by their time. TUMBLE: a slice is a window. HOP: slices
///    of gcd(size, slide), size / gcd of them per window, so a row is counted once and
///    not once per window. CUMULATE: slices of its step; a window is its cycle's slices
///    so far.
///  - `windowed`: rows already carry their window (window_end) from a window TVF or an
///    earlier window aggregation; each window is its own slice.
/// Windows start at multiples of the slide (HOP) or size (TUMBLE, CUMULATE) from the
/// offset, as the window TVFs assign them. Times are epoch milliseconds; a window or
/// slice is named by its end.
class SliceAssigner {
 public:
  static SliceAssigner sliced(const WindowSpec& window);
  static SliceAssigner windowed(const WindowSpec& window);

  bool slicing() const { return slicing_; }
  const WindowSpec& window() const { return window_; }
  /// The slice a row at `ts` belongs to (`sliced` only).
  int64_t sliceEnd(int64_t ts) const;
  /// The start of the window ending at `window_end`.
  int64_t windowStart(int64_t window_end) const;
  /// The first and the last window that hold slice `slice_end`; first > last when no
  /// window does (a HOP whose slide is larger than its size leaves gaps).
  int64_t firstWindowEnd(int64_t slice_end) const;
  int64_t lastWindowEnd(int64_t slice_end) const;
  /// The slices of the window ending at `window_end`: oldest first, `step` apart.
  int64_t firstSliceEnd(int64_t window_end) const;
  int64_t sliceStep() const { return slicing_ ? slice_ : 1; }
  /// The next window that shares slices with the window ending at `window_end`.
  std::optional<int64_t> nextWindowEnd(int64_t window_end) const;
  /// Whether slice `slice_end` of the window ending at `window_end` belongs to no later
  /// window, so that it can be dropped once that window has fired.
  bool expiresWith(int64_t slice_end, int64_t window_end) const;

 private:
  SliceAssigner(const WindowSpec& window, bool slicing);
  WindowSpec window_;
  bool slicing_;
  int64_t slice_;  // Slice length (sliced).
};

}  // namespace eddy::sql
