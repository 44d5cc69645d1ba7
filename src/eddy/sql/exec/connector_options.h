#pragma once
// Reading a table's WITH options, shared by the source connectors.
#include <cstdlib>
#include <map>
#include <string>

#include "eddy/core/status.h"

namespace eddy::sql {

using Options = std::map<std::string, std::string>;

/// The option's text, or `def` when it is not set.
inline std::string option(const Options& o, const std::string& key, const std::string& def = "") {
  auto it = o.find(key);
  return it == o.end() ? def : it->second;
}

/// The option as an integer, or `def` when it is not set; an error names the table and
/// the option when the text is not an integer.
inline Result<int64_t> intOption(const std::string& table, const Options& o, const std::string& key, int64_t def) {
  auto it = o.find(key);
  if (it == o.end()) return def;
  char* end = nullptr;
  long long v = std::strtoll(it->second.c_str(), &end, 10);
  if (it->second.empty() || *end != '\0') {
    return Status::invalidArgument("table '" + table + "': option '" + key + "' is not an integer: '" + it->second + "'");
  }
  return static_cast<int64_t>(v);
}

}  // namespace eddy::sql
