#include "eddy/sql/exec/utf8.h"

#include <cctype>
#include <cstdint>
#include <locale>

namespace eddy::sql {

namespace {

bool isContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

constexpr char32_t kMalformed = 0xFFFFFFFF;

// The code point at s[i] (advancing i past it), or kMalformed for what Java's UTF-8
// decoder rejects: a byte that cannot start a character, an overlong form, a surrogate,
// a value past U+10FFFF, a sequence cut short. i then stands after the longest prefix of
// a valid sequence (Unicode's maximal subpart): the case mappings copy those bytes as
// they are, utf8Repair replaces them with one U+FFFD.
char32_t decode(std::string_view s, size_t& i) {
  const auto c = static_cast<unsigned char>(s[i++]);
  if (c < 0x80) return c;
  int extra = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // The second byte's range (Unicode's Table 3-7).
  if (c >= 0xC2 && c <= 0xDF) {
    extra = 1;
  } else if (c >= 0xE0 && c <= 0xEF) {
    extra = 2;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    extra = 3;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return kMalformed;
  }
  char32_t cp = c & (0x7F >> (extra + 1));
  for (int k = 0; k < extra; ++k) {
    if (i >= s.size()) return kMalformed;
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < (k == 0 ? lo : 0x80) || b > (k == 0 ? hi : 0xBF)) return kMalformed;
    cp = (cp << 6) | (b & 0x3F);
    ++i;
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

namespace eddy::sql {

namespace {

constexpr char32_t kReplacement = 0xFFFD;

enum class Charset { kUtf8, kAscii, kLatin1, kUtf16Be, kUtf16Le, kUtf16 };

bool charsetOf(std::string_view name, Charset& out) {
  std::string n;
  for (char c : name) n += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (n == "UTF-8" || n == "UTF8") {
    out = Charset::kUtf8;
  } else if (n == "US-ASCII" || n == "ASCII") {
    out = Charset::kAscii;
  } else if (n == "ISO-8859-1" || n == "LATIN1") {
    out = Charset::kLatin1;
  } else if (n == "UTF-16BE") {
    out = Charset::kUtf16Be;
  } else if (n == "UTF-16LE") {
    out = Charset::kUtf16Le;
  } else if (n == "UTF-16") {
    out = Charset::kUtf16;
  } else {
    return false;
  }
  return true;
}

void putUnit(uint16_t unit, bool big_endian, std::string& out) {
  const char hi = static_cast<char>(unit >> 8), lo = static_cast<char>(unit & 0xFF);
  out += big_endian ? hi : lo;
  out += big_endian ? lo : hi;
}

}  // namespace

std::string utf8Repair(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const size_t start = i;
    if (decode(s, i) == kMalformed) {
      encode(kReplacement, out);  // One U+FFFD for the malformed bytes read.
    } else {
      out.append(s.substr(start, i - start));
    }
  }
  return out;
}

bool isCharset(std::string_view name) {
  Charset c;
  return charsetOf(name, c);
}

bool encodeCharset(std::string_view text, std::string_view charset, std::string& result) {
  Charset cs;
  if (!charsetOf(charset, cs)) return false;
  std::string out;  // Apart from `result`: `text` may view it.
  if (cs == Charset::kUtf8) {
    result = utf8Repair(text);
    return true;
  }
  const bool big_endian = cs != Charset::kUtf16Le;
  if (cs == Charset::kUtf16) putUnit(0xFEFF, true, out);  // Java writes a byte-order mark.
  for (size_t i = 0; i < text.size();) {
    char32_t c = decode(text, i);
    if (c == kMalformed) c = kReplacement;
    switch (cs) {
      case Charset::kAscii: out += c < 0x80 ? static_cast<char>(c) : '?'; break;
      case Charset::kLatin1: out += c < 0x100 ? static_cast<char>(c) : '?'; break;
      default:
        if (c >= 0x10000) {  // A surrogate pair.
          putUnit(static_cast<uint16_t>(0xD800 + ((c - 0x10000) >> 10)), big_endian, out);
          putUnit(static_cast<uint16_t>(0xDC00 + ((c - 0x10000) & 0x3FF)), big_endian, out);
        } else {
          putUnit(static_cast<uint16_t>(c), big_endian, out);
        }
        break;
    }
  }
  result = std::move(out);
  return true;
}

bool decodeCharset(std::string_view bytes, std::string_view charset, std::string& result) {
  Charset cs;
  if (!charsetOf(charset, cs)) return false;
  std::string out;  // Apart from `result`: `bytes` may view it.
  switch (cs) {
    case Charset::kUtf8: result = utf8Repair(bytes); return true;
    case Charset::kAscii:
    case Charset::kLatin1:
      for (char b : bytes) {
        const auto u = static_cast<unsigned char>(b);
        encode(cs == Charset::kAscii && u >= 0x80 ? kReplacement : u, out);
      }
      result = std::move(out);
      return true;
    default: break;
  }
  bool big_endian = cs != Charset::kUtf16Le;
  size_t i = 0;
  if (cs == Charset::kUtf16 && bytes.size() >= 2) {  // A byte-order mark decides; none: big-endian.
    const auto b0 = static_cast<unsigned char>(bytes[0]), b1 = static_cast<unsigned char>(bytes[1]);
    if ((b0 == 0xFE && b1 == 0xFF) || (b0 == 0xFF && b1 == 0xFE)) {
      big_endian = b0 == 0xFE;
      i = 2;
    }
  }
  auto unitAt = [&](size_t k) {
    const auto a = static_cast<unsigned char>(bytes[k]), b = static_cast<unsigned char>(bytes[k + 1]);
    return static_cast<char32_t>(big_endian ? (a << 8) | b : (b << 8) | a);
  };
  for (; i + 1 < bytes.size(); i += 2) {
    char32_t u = unitAt(i);
    if (u >= 0xD800 && u <= 0xDBFF && i + 3 < bytes.size() && unitAt(i + 2) >= 0xDC00 && unitAt(i + 2) <= 0xDFFF) {
      u = 0x10000 + ((u - 0xD800) << 10) + (unitAt(i + 2) - 0xDC00);
      i += 2;
    } else if (u >= 0xD800 && u <= 0xDFFF) {
      u = kReplacement;  // An unpaired surrogate.
    }
    encode(u, out);
  }
  if (i < bytes.size()) encode(kReplacement, out);  // A last odd byte.
  result = std::move(out);
  return true;
}

}  // namespace eddy::sql
