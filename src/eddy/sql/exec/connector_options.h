#pragma once
// Reading a table's WITH options, shared by the source connectors.
#include <cctype>
#include <cstdint>
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

/// The option as a number, or `def` when it is not set; an error names the table and
/// the option when the text is not a number.
inline Result<double> doubleOption(const std::string& table, const Options& o, const std::string& key, double def) {
  auto it = o.find(key);
  if (it == o.end()) return def;
  char* end = nullptr;
  const double v = std::strtod(it->second.c_str(), &end);
  if (it->second.empty() || *end != '\0') {
    return Status::invalidArgument("table '" + table + "': option '" + key + "' is not a number: '" + it->second + "'");
  }
  return v;
}

/// A duration as Flink's options write it: "5000" (ms), "5 s", "5s", "10 min", "1 h",
/// "2 d" (also "ms", "sec", "second(s)", "minute(s)", "hour(s)", "day(s)"); false when
/// the text is not one.
inline bool parseDurationMillis(const std::string& text, int64_t* millis) {
  char* end = nullptr;
  double n = std::strtod(text.c_str(), &end);
  if (end == text.c_str()) return false;
  std::string unit(end);
  unit.erase(0, unit.find_first_not_of(' '));
  unit.erase(unit.find_last_not_of(' ') + 1);
  double mult = unit.empty() || unit == "ms" || unit == "milli" || unit == "millis" ? 1
                : unit == "s" || unit == "sec" || unit == "second" || unit == "seconds"   ? 1000
                : unit == "min" || unit == "minute" || unit == "minutes"                  ? 60000
                : unit == "h" || unit == "hour" || unit == "hours"                        ? 3600000
                : unit == "d" || unit == "day" || unit == "days"                          ? 86400000
                                                                                          : 0;
  if (mult == 0 || n < 0) return false;
  *millis = static_cast<int64_t>(n * mult);
  return true;
}

/// A memory size as Flink's options write it: "1024" (bytes), "64 kb", "128mb", "1 gb"
/// (b/bytes, k/kb/kibibytes, m/mb/mebibytes, g/gb/gibibytes, t/tb; any case; 1024
/// multiples); false when the text is not one.
inline bool parseMemoryBytes(const std::string& text, uint64_t* bytes) {
  char* end = nullptr;
  const unsigned long long n = std::strtoull(text.c_str(), &end, 10);
  if (end == text.c_str() || text[0] == '-') return false;
  std::string unit(end);
  unit.erase(0, unit.find_first_not_of(' '));
  unit.erase(unit.find_last_not_of(' ') + 1);
  for (char& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const int shift = unit.empty() || unit == "b" || unit == "bytes"             ? 0
                    : unit == "k" || unit == "kb" || unit == "kibibytes"      ? 10
                    : unit == "m" || unit == "mb" || unit == "mebibytes"      ? 20
                    : unit == "g" || unit == "gb" || unit == "gibibytes"      ? 30
                    : unit == "t" || unit == "tb" || unit == "tebibytes"      ? 40
                                                                              : -1;
  if (shift < 0) return false;
  *bytes = static_cast<uint64_t>(n) << shift;
  return true;
}

}  // namespace eddy::sql
