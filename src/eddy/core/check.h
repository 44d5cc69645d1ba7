#pragma once

// Always-on invariant checks for Eddy's own bugs. Anything user input can reach returns a
// Status instead.

namespace eddy::internal {
[[noreturn]] void checkFailed(const char* file, int line, const char* expr, const char* detail);
}

#define EDDY_CHECK(cond)                                                           \
  do {                                                                             \
    if (!(cond)) [[unlikely]] ::eddy::internal::checkFailed(__FILE__, __LINE__, #cond, ""); \
  } while (0)

#ifdef NDEBUG
#define EDDY_DCHECK(cond) \
  do {                    \
  } while (0)
#else
#define EDDY_DCHECK(cond) EDDY_CHECK(cond)
#endif
