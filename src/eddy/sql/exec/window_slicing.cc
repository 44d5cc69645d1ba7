#include "eddy/sql/exec/window_slicing.h"

#include <numeric>

namespace eddy::sql {
namespace {

// The multiple of `unit` past `offset` at or before `t`.
int64_t floorTo(int64_t t, int64_t unit, int64_t offset) { return t - (((t - offset) % unit) + unit) % unit; }

}  // namespace

SliceAssigner::SliceAssigner(const WindowSpec& window, bool slicing) : window_(window), slicing_(slicing) {
  switch (window.kind) {
    case WindowSpec::Kind::kHop: slice_ = std::gcd(window.size, window.slide); break;
    case WindowSpec::Kind::kCumulate: slice_ = window.slide; break;
    default: slice_ = window.size; break;
  }
}

SliceAssigner SliceAssigner::sliced(const WindowSpec& window) { return SliceAssigner(window, true); }
SliceAssigner SliceAssigner::windowed(const WindowSpec& window) { return SliceAssigner(window, false); }

int64_t SliceAssigner::sliceEnd(int64_t ts) const { return floorTo(ts, slice_, window_.offset) + slice_; }

int64_t SliceAssigner::windowStart(int64_t window_end) const {
  if (window_.kind == WindowSpec::Kind::kCumulate) return floorTo(window_end - 1, window_.size, window_.offset);
  return window_end - window_.size;
}

int64_t SliceAssigner::firstWindowEnd(int64_t slice_end) const {
  if (!slicing_ || window_.kind != WindowSpec::Kind::kHop) return slice_end;
  // The earliest window start at or after slice_end - size.
  int64_t from = slice_end - window_.size;
  int64_t start = floorTo(from, window_.slide, window_.offset);
  if (start < from) start += window_.slide;
  return start + window_.size;
}

int64_t SliceAssigner::lastWindowEnd(int64_t slice_end) const {
  if (!slicing_) return slice_end;
  switch (window_.kind) {
    case WindowSpec::Kind::kHop:  // The latest window start at or before the slice's start.
      return floorTo(slice_end - slice_, window_.slide, window_.offset) + window_.size;
    case WindowSpec::Kind::kCumulate: return windowStart(slice_end) + window_.size;
    default: return slice_end;
  }
}

int64_t SliceAssigner::firstSliceEnd(int64_t window_end) const {
  if (!slicing_) return window_end;
  return windowStart(window_end) + slice_;
}

std::optional<int64_t> SliceAssigner::nextWindowEnd(int64_t window_end) const {
  if (!slicing_) return std::nullopt;
  switch (window_.kind) {
    case WindowSpec::Kind::kHop: return window_end + window_.slide;
    case WindowSpec::Kind::kCumulate:
      if (window_end < windowStart(window_end) + window_.size) return window_end + window_.slide;
      return std::nullopt;
    default: return std::nullopt;
  }
}

bool SliceAssigner::expiresWith(int64_t slice_end, int64_t window_end) const {
  if (!slicing_) return true;
  switch (window_.kind) {
    case WindowSpec::Kind::kHop: return slice_end <= windowStart(window_end) + window_.slide;
    case WindowSpec::Kind::kCumulate: return window_end == windowStart(window_end) + window_.size;
    default: return true;
  }
}

}  // namespace eddy::sql
