#include "eddy/core/allocator.h"

#include <cstdlib>  // Defines __GLIBC__ with glibc.

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace eddy {

void tuneAllocator() {
#if defined(__GLIBC__)
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  // Setting the trim threshold freezes glibc's mmap threshold at 128 KiB: a batch's
  // string column above that would be mapped and faulted in afresh every time.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
}

}  // namespace eddy
