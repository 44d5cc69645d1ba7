#include "eddy/core/key_group.h"

#include <limits>

namespace eddy {
namespace {

uint32_t rotl(uint32_t v, int r) { return (v << r) | (v >> (32 - r)); }

uint32_t bitMix(uint32_t in) {
  in ^= in >> 16;
  in *= 0x85ebca6bu;
  in ^= in >> 13;
  in *= 0xc2b2ae35u;
  in ^= in >> 16;
  return in;
}

}  // namespace

int32_t murmurHash(int32_t code) {
  // Java int arithmetic wraps; unsigned arithmetic gives the same bits.
  uint32_t c = static_cast<uint32_t>(code);
  c *= 0xcc9e2d51u;
  c = rotl(c, 15);
  c *= 0x1b873593u;
  c = rotl(c, 13);
  c = c * 5 + 0xe6546b64u;
  c ^= 4;
  int32_t mixed = static_cast<int32_t>(bitMix(c));
  if (mixed >= 0) return mixed;
  if (mixed != std::numeric_limits<int32_t>::min()) return -mixed;
  return 0;
}

KeyGroupRange KeyGroupRange::forOperator(int max_parallelism, int parallelism,
                                         int operator_index) {
  int64_t mp = max_parallelism;
  int64_t p = parallelism;
  int64_t i = operator_index;
  return KeyGroupRange{static_cast<int>((i * mp + p - 1) / p),
                       static_cast<int>(((i + 1) * mp - 1) / p)};
}

}  // namespace eddy
