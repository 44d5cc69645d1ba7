#pragma once

#include <cstdio>
#include <random>
#include <string>

namespace eddy {

/// `32 * words` random bits as lowercase hex (8 digits a word): ids that name what one
/// run creates (jobs, attempts, RocksDB instances, savepoint triggers).
/// Thread: any.
inline std::string randomHexId(int words) {
  std::random_device rd;
  std::string id;
  for (int i = 0; i < words; ++i) {
    char buf[9];
    std::snprintf(buf, sizeof buf, "%08x", rd());
    id += buf;
  }
  return id;
}

}  // namespace eddy
