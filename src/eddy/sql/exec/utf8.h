#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace eddy::sql {

// Strings are UTF-8 and string functions count characters (code points), as Flink's
// BinaryStringData does: SUBSTRING('héllo', 2, 3) is 'éll', not a split 'é'.

/// The number of characters of `s`.
size_t utf8Length(std::string_view s);
/// The byte offset of character `index` (0-based) of `s`; s.size() from its end on.
size_t utf8Offset(std::string_view s, size_t index);
/// The character index of byte offset `offset` (a character's first byte) of `s`.
size_t utf8Index(std::string_view s, size_t offset);
/// The characters of `s` from `from` (0-based), at most `count` of them.
std::string_view utf8Substr(std::string_view s, size_t from, size_t count = std::string_view::npos);
/// `s` with its characters in reverse order.
std::string utf8Reverse(std::string_view s);
/// Java's String.toUpperCase / toLowerCase (the root locale's case mapping per
/// character; 'ß' upper-cases to "SS").
std::string utf8Upper(std::string_view s);
std::string utf8Lower(std::string_view s);
/// Bytes as UTF-8 text, as Java's `new String(bytes, UTF_8)` decodes them: each
/// malformed sequence (a stray byte, a cut-off or overlong one, a surrogate) becomes
/// U+FFFD.
std::string utf8Repair(std::string_view s);

/// ENCODE / DECODE between text and the bytes of a charset Flink names: US-ASCII,
/// ISO-8859-1, UTF-8, UTF-16BE, UTF-16LE, UTF-16 (case-insensitive), as Java converts
/// (an unmappable character encodes as '?', undecodable bytes as U+FFFD; UTF-16 writes
/// a big-endian byte-order mark and reads one). False for another charset.
bool isCharset(std::string_view name);
bool encodeCharset(std::string_view text, std::string_view charset, std::string& result);
bool decodeCharset(std::string_view bytes, std::string_view charset, std::string& result);

}  // namespace eddy::sql
