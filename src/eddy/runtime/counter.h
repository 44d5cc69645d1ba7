#pragma once

#include <atomic>
#include <cstdint>

namespace eddy::runtime {

/// A metric counter written by one thread (the task thread) and read by any.
/// Relaxed order is enough: readers want a recent value, not a synchronized one, and a
/// single writer never loses an increment.
class Counter {
 public:
  void inc(int64_t n = 1) { v_.store(v_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed); }
  void set(int64_t n) { v_.store(n, std::memory_order_relaxed); }
  int64_t get() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> v_{0};
};

}  // namespace eddy::runtime
