#include "eddy/core/fixed_divisor.h"

#include <gtest/gtest.h>

#include <random>

namespace eddy {
namespace {

void expectExact(const FixedDivisor& f, int64_t d, int64_t n) {
  int64_t q = -1, r = -1;
  f.divide(n, q, r);
  ASSERT_EQ(q, n / d) << n << " / " << d;
  ASSERT_EQ(r, n % d) << n << " % " << d;
}

TEST(FixedDivisorTest, QuotientAndRemainderAreExact) {
  std::mt19937_64 rng(7);
  for (int64_t d : {1, 2, 3, 7, 50, 100, 1000, 10'000'000, 1'000'000'007}) {
    FixedDivisor f(d);
    // Around multiples of d, where the reciprocal's rounding could land on the wrong side.
    for (int64_t k : {int64_t{0}, int64_t{1}, int64_t{12345}, (int64_t{1} << 40) / d, (int64_t{1} << 52) / d}) {
      for (int64_t delta = -2; delta <= 2; ++delta) {
        int64_t n = k * d + delta;
        if (n >= 0) expectExact(f, d, n);
      }
    }
    for (int i = 0; i < 10000; ++i) expectExact(f, d, static_cast<int64_t>(rng() >> 1));  // Above 2^52 too.
    for (int i = 0; i < 10000; ++i) expectExact(f, d, static_cast<int64_t>(rng() >> 12));
  }
}

}  // namespace
}  // namespace eddy
