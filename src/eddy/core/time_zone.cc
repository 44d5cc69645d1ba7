#include "eddy/core/time_zone.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>
#include <optional>

namespace eddy {
namespace {

constexpr const char* kZoneInfo = "/usr/share/zoneinfo/";

int64_t bigEndian(const std::string& bytes, size_t at, int width) {
  uint64_t v = 0;
  for (int i = 0; i < width; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + static_cast<size_t>(i)]);
  if (width == 4) return static_cast<int32_t>(static_cast<uint32_t>(v));
  return static_cast<int64_t>(v);
}

// "+8", "+08", "+0830", "+08:30" as seconds east of UTC; nothing if malformed or
// beyond Java's +-18:00.
std::optional<int64_t> parseOffset(const std::string& s) {
  if (s.size() < 2 || (s[0] != '+' && s[0] != '-')) return std::nullopt;
  std::string digits;
  for (size_t i = 1; i < s.size(); ++i) {
    if (s[i] == ':' && i == 3) continue;
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return std::nullopt;
    digits += s[i];
  }
  int hours = 0, minutes = 0;
  if (digits.size() == 1 || digits.size() == 2) {
    hours = std::stoi(digits);
  } else if (digits.size() == 4 && (s.size() == 5 || s[3] == ':')) {
    hours = std::stoi(digits.substr(0, 2));
    minutes = std::stoi(digits.substr(2));
  } else {
    return std::nullopt;
  }
  if (hours > 18 || minutes > 59 || (hours == 18 && minutes > 0)) return std::nullopt;
  return (s[0] == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
}

}  // namespace

TimeZone::TimeZone() : id_("UTC"), offsets_{0} {}

Result<TimeZone> TimeZone::of(const std::string& id) {
  TimeZone z;
  z.id_ = id;
  if (id == "UTC" || id == "GMT" || id == "UT" || id == "Z" || id == "Etc/UTC" || id == "Etc/GMT") return z;
  // Fixed offsets: +hh:mm, or UTC / GMT / UT followed by one.
  for (const char* prefix : {"", "UTC", "GMT", "UT"}) {
    const std::string p = prefix;
    if (id.size() > p.size() && id.compare(0, p.size(), p) == 0 && (id[p.size()] == '+' || id[p.size()] == '-')) {
      const std::optional<int64_t> seconds = parseOffset(id.substr(p.size()));
      if (!seconds) return Status::invalidArgument("invalid time zone offset '" + id + "'");
      z.offsets_ = {static_cast<int32_t>(*seconds)};
      return z;
    }
  }
  // A region: Area/Location from the tz database.
  const bool plausible = !id.empty() && id[0] != '/' && id.find("..") == std::string::npos &&
                         std::all_of(id.begin(), id.end(), [](char c) {
                           return std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' ||
                                  c == '+';
                         });
  if (!plausible) return Status::invalidArgument("invalid time zone '" + id + "'");
  std::ifstream in(kZoneInfo + id, std::ios::binary);
  if (!in) return Status::notFound("unknown time zone '" + id + "' (no " + kZoneInfo + id + ")");
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto bad = [&] { return Status::invalidArgument("time zone '" + id + "': " + kZoneInfo + id + " is not a TZif file"); };
  if (bytes.size() < 44 || bytes.compare(0, 4, "TZif") != 0) return bad();
  // RFC 8536: a version 1 block of 32-bit times, then (version 2 and later) the same
  // with 64-bit times, which is the one read here.
  auto counts = [&](size_t at, int64_t c[6]) {
    for (int i = 0; i < 6; ++i) c[i] = bigEndian(bytes, at + 20 + 4 * static_cast<size_t>(i), 4);
  };
  int64_t c[6];  // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
  counts(0, c);
  size_t at = 44;
  int width = 4;
  if (bytes[4] >= '2') {
    at += static_cast<size_t>(c[3] * 5 + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0]);
    if (bytes.size() < at + 44 || bytes.compare(at, 4, "TZif") != 0) return bad();
    counts(at, c);
    at += 44;
    width = 8;
  }
  const int64_t timecnt = c[3], typecnt = c[4];
  if (typecnt < 1 || bytes.size() < at + static_cast<size_t>(timecnt * (width + 1) + typecnt * 6)) return bad();
  std::vector<int32_t> type_offsets;
  const size_t types_at = at + static_cast<size_t>(timecnt * (width + 1));
  for (int64_t t = 0; t < typecnt; ++t) {
    type_offsets.push_back(static_cast<int32_t>(bigEndian(bytes, types_at + static_cast<size_t>(t) * 6, 4)));
  }
  // Before the first transition: the first type (RFC 8536 3.2), as zic writes it.
  z.offsets_ = {type_offsets[0]};
  for (int64_t i = 0; i < timecnt; ++i) {
    const size_t index = static_cast<unsigned char>(bytes[at + static_cast<size_t>(timecnt * width + i)]);
    if (index >= type_offsets.size()) return bad();
    z.transitions_.push_back(bigEndian(bytes, at + static_cast<size_t>(i * width), width));
    z.offsets_.push_back(type_offsets[index]);
  }
  return z;
}

int64_t TimeZone::offsetAt(int64_t utc_ms) const {
  // floor(utc_ms / 1000): the transition at second s covers [s * 1000, ...).
  const int64_t seconds = utc_ms >= 0 ? utc_ms / 1000 : -((-utc_ms + 999) / 1000);
  const auto it = std::upper_bound(transitions_.begin(), transitions_.end(), seconds);
  return int64_t{offsets_[static_cast<size_t>(it - transitions_.begin())]} * 1000;
}

int64_t TimeZone::toUtc(int64_t local_ms) const {
  if (transitions_.empty()) return local_ms - int64_t{offsets_[0]} * 1000;
  // The offsets a day either side: where they agree, no transition is near.
  constexpr int64_t kDay = 86'400'000;
  const int64_t before = offsetAt(local_ms - kDay), after = offsetAt(local_ms + kDay);
  if (before == after) return local_ms - before;
  const bool earlier_valid = offsetAt(local_ms - before) == before;
  const bool later_valid = offsetAt(local_ms - after) == after;
  if (earlier_valid || !later_valid) return local_ms - before;  // Overlap: the earlier offset; gap: moved later.
  return local_ms - after;
}

}  // namespace eddy
