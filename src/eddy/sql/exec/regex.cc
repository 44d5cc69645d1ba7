#include "eddy/sql/exec/regex.h"

#include <memory>
#include <regex>
#include <unordered_map>

namespace eddy::sql {
namespace {

// A bound keeps a query whose pattern column has unbounded distinct values from growing
// the cache without limit; clearing it all is crude but keeps the common case (a few
// patterns) at one compile each.
constexpr size_t kMaxCachedPatterns = 256;

// Compiled patterns of this thread; a null entry remembers a pattern that does not compile.
const std::regex* compiled(const std::string& pattern) {
  thread_local std::unordered_map<std::string, std::unique_ptr<std::regex>> cache;
  auto it = cache.find(pattern);
  if (it != cache.end()) return it->second.get();
  if (cache.size() >= kMaxCachedPatterns) cache.clear();
  std::unique_ptr<std::regex> re;
  try {
    re = std::make_unique<std::regex>(pattern);
  } catch (const std::regex_error&) {
  }
  return cache.emplace(pattern, std::move(re)).first->second.get();
}

std::string likeToRegex(const std::string& pattern, char escape) {
  static const std::string kSpecial = ".^$|()[]{}*+?\\";
  std::string r;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    bool escaped = escape && c == escape && i + 1 < pattern.size();
    if (escaped) c = pattern[++i];
    if (!escaped && c == '%') {
      r += "[\\s\\S]*";  // unlike '.', also matches a line break, as SQL's % does
    } else if (!escaped && c == '_') {
      r += "[\\s\\S]";
    } else {
      if (kSpecial.find(c) != std::string::npos) r += '\\';
      r += c;
    }
  }
  return r;
}

}  // namespace

std::optional<bool> regexFind(const std::string& text, const std::string& pattern) {
  const std::regex* re = compiled(pattern);
  if (!re) return std::nullopt;
  return std::regex_search(text, *re);
}

std::optional<int64_t> regexPosition(const std::string& text, const std::string& pattern) {
  const std::regex* re = compiled(pattern);
  if (!re) return std::nullopt;
  std::smatch m;
  if (!std::regex_search(text, m, *re)) return -1;
  return static_cast<int64_t>(m.position(0));
}

std::optional<std::string> regexExtract(const std::string& text, const std::string& pattern, size_t group) {
  const std::regex* re = compiled(pattern);
  if (!re) return std::nullopt;
  std::smatch m;
  if (!std::regex_search(text, m, *re) || group >= m.size() || !m[group].matched) return std::nullopt;
  return m[group].str();
}

std::optional<std::string> regexReplace(const std::string& text, const std::string& pattern,
                                        const std::string& replacement) {
  const std::regex* re = compiled(pattern);
  if (!re) return std::nullopt;
  return std::regex_replace(text, *re, replacement);
}

std::optional<std::vector<std::string>> regexExtractAll(const std::string& text, const std::string& pattern,
                                                        size_t group) {
  const std::regex* re = compiled(pattern);
  if (!re || group > re->mark_count()) return std::nullopt;
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), *re); it != std::sregex_iterator(); ++it) {
    out.push_back((*it)[group].matched ? (*it)[group].str() : std::string());
  }
  return out;
}

std::optional<std::vector<std::string>> regexSplit(const std::string& text, const std::string& pattern, int limit) {
  const std::regex* re = compiled(pattern);
  if (!re) return std::nullopt;
  std::vector<std::string> out;
  auto piece_start = text.begin();
  for (auto it = std::sregex_iterator(text.begin(), text.end(), *re); it != std::sregex_iterator(); ++it) {
    if (limit > 0 && static_cast<int>(out.size()) == limit - 1) break;
    const auto& m = *it;
    if (m.length(0) == 0 && m.position(0) == 0) continue;  // Java: no empty leading piece from an empty match.
    out.emplace_back(piece_start, m[0].first);
    piece_start = m[0].second;
  }
  out.emplace_back(piece_start, text.end());
  if (limit == 0) {
    while (!out.empty() && out.back().empty()) out.pop_back();
  }
  if (out.empty() && text.empty()) out.emplace_back();  // Java: "".split(x) is [""].
  return out;
}

bool likeMatch(const std::string& text, const std::string& pattern, char escape) {
  // The cache is keyed by the translated pattern, so LIKE 'a%' and REGEXP 'a.*' share it.
  const std::regex* re = compiled(likeToRegex(pattern, escape));
  return re && std::regex_match(text, *re);
}

}  // namespace eddy::sql
