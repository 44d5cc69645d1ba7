#pragma once

#include <bit>
#include <cstdint>

namespace eddy {

/// Division by a divisor fixed for a run, without the divide instruction (tens of
/// cycles, where a generator divides on every event): the quotient comes from the
/// double reciprocal and is corrected by one. Thread: a value.
class FixedDivisor {
 public:
  explicit FixedDivisor(int64_t d = 1) : d_(d), inverse_(1.0 / static_cast<double>(d)) {}
  /// n / d and n % d for n >= 0 and d >= 1, exactly: below 2^52, n converts to a double
  /// exactly and the product's error is under one; larger n take the divide instruction.
  void divide(int64_t n, int64_t& quotient, int64_t& remainder) const {
    if (n >= (int64_t{1} << 52)) {
      quotient = n / d_;
      remainder = n % d_;
      return;
    }
    // n as a double by its bits (exact below 2^52): cvtsi2sd would write half a vector
    // register and so wait for whatever last wrote it.
    const double x = std::bit_cast<double>(static_cast<uint64_t>(n) | 0x4330000000000000ULL) - 0x1p52;
    int64_t q = static_cast<int64_t>(x * inverse_);
    int64_t r = n - q * d_;
    if (r < 0) {
      --q;
      r += d_;
    } else if (r >= d_) {
      ++q;
      r -= d_;
    }
    quotient = q;
    remainder = r;
  }

 private:
  int64_t d_;
  double inverse_;
};

}  // namespace eddy
