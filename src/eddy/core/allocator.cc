#include "eddy/core/allocator.h"

#include <cstdlib>  // Defines __GLIBC__ with glibc.

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace eddy {

void tuneAllocator() {
#if defined(__GLIBC__)
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
}

}  // namespace eddy
