#include "eddy/sql/exec/utf8.h"

#include <locale>

namespace eddy::sql {

namespace {

bool isContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

constexpr char32_t kMalformed = 0xFFFFFFFF;

// The code point starting at s[i] (advancing i past it), or kMalformed for bytes that
// are not one (which the callers copy as they are).
char32_t decode(std::string_view s, size_t& i) {
  const unsigned char c = static_cast<unsigned char>(s[i++]);
  if (c < 0x80) return c;
  if (isContinuation(c) || c >= 0xF8) return kMalformed;
  int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
  char32_t cp = extra == 3 ? c & 0x07 : extra == 2 ? c & 0x0F : c & 0x1F;
  for (; extra > 0; --extra) {
    if (i >= s.size() || !isContinuation(static_cast<unsigned char>(s[i]))) return kMalformed;
    cp = (cp << 6) | (static_cast<unsigned char>(s[i++]) & 0x3F);
  }
  return cp;
}

// Each character of `s` through `f` (appending to `out`); malformed bytes copied.
template <typename F>
std::string mapCharacters(std::string_view s, F f) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const size_t start = i;
    const char32_t c = decode(s, i);
    if (c == kMalformed) {
      out.append(s.substr(start, i - start));
    } else {
      f(c, out);
    }
  }
  return out;
}

void encode(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Unicode case mapping and classes: glibc's C.UTF-8 locale (built in since 2.35), or
// ASCII only where it is missing.
const std::ctype<wchar_t>* unicodeCtype() {
  static const std::ctype<wchar_t>* facet = []() -> const std::ctype<wchar_t>* {
    try {
      static const std::locale loc("C.UTF-8");
      return &std::use_facet<std::ctype<wchar_t>>(loc);
    } catch (const std::exception&) {
      return nullptr;
    }
  }();
  return facet;
}

char32_t toUpper(char32_t c) {
  if (c < 0x80) return c >= 'a' && c <= 'z' ? c - 32 : c;
  const auto* f = unicodeCtype();
  return f ? static_cast<char32_t>(f->toupper(static_cast<wchar_t>(c))) : c;
}

char32_t toLower(char32_t c) {
  if (c < 0x80) return c >= 'A' && c <= 'Z' ? c + 32 : c;
  const auto* f = unicodeCtype();
  return f ? static_cast<char32_t>(f->tolower(static_cast<wchar_t>(c))) : c;
}

// Upper-cases one character into `out`: 'ß' is "SS", as Java's String.toUpperCase.
void appendUpper(char32_t c, std::string& out) {
  if (c == U'ß') {
    out += "SS";
  } else {
    encode(toUpper(c), out);
  }
}

}  // namespace

size_t utf8Length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += !isContinuation(c);
  return n;
}

size_t utf8Offset(std::string_view s, size_t index) {
  size_t i = 0;
  for (; i < s.size(); ++i) {
    if (isContinuation(static_cast<unsigned char>(s[i]))) continue;
    if (index == 0) return i;
    --index;
  }
  return s.size();
}

size_t utf8Index(std::string_view s, size_t offset) { return utf8Length(s.substr(0, offset)); }

std::string_view utf8Substr(std::string_view s, size_t from, size_t count) {
  const size_t begin = utf8Offset(s, from);
  if (count == std::string_view::npos) return s.substr(begin);
  const std::string_view rest = s.substr(begin);
  return rest.substr(0, utf8Offset(rest, count));
}

std::string utf8Reverse(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t end = s.size();
  while (end > 0) {
    size_t begin = end - 1;
    while (begin > 0 && isContinuation(static_cast<unsigned char>(s[begin]))) --begin;
    out.append(s.substr(begin, end - begin));
    end = begin;
  }
  return out;
}

std::string utf8Upper(std::string_view s) { return mapCharacters(s, appendUpper); }

std::string utf8Lower(std::string_view s) {
  return mapCharacters(s, [](char32_t c, std::string& out) { encode(toLower(c), out); });
}

}  // namespace eddy::sql
