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

}  // namespace eddy::sql
