#include "eddy/core/key_group.h"

namespace eddy {

KeyGroupRange KeyGroupRange::forOperator(int max_parallelism, int parallelism,
                                         int operator_index) {
  int64_t mp = max_parallelism;
  int64_t p = parallelism;
  int64_t i = operator_index;
  return KeyGroupRange{static_cast<int>((i * mp + p - 1) / p),
                       static_cast<int>(((i + 1) * mp - 1) / p)};
}

}  // namespace eddy
