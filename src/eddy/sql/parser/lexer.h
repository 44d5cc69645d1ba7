#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "eddy/core/status.h"
#include "eddy/sql/parser/sql_error.h"

namespace eddy::sql {

enum class TokenKind {
  kIdentifier,        // Unquoted word (keywords too: the parser decides).
  kQuotedIdentifier,  // `name`
  kString,            // 'text' ('' is a quote)
  kBinaryString,      // X'0AFF': its hex digits
  kInteger,
  kDecimal,           // 1.5, .5
  kDouble,            // 1e3, 1.5E-2
  kSymbol,            // ( ) , . ; + - * / % = <> != < <= > >= || [ ]
  kEnd,
};

/// The value of an integer token's text; false when it does not fit in 64 bits (such a
/// literal is a DECIMAL, and no count, length or offset).
bool integerValue(std::string_view text, int64_t* out);

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;  // Identifier as written, string/quoted identifier unescaped.
  Pos pos;
  size_t offset = 0;  // Byte offset of the token in the text.

  /// True for an unquoted word equal to `keyword` ignoring case.
  bool isKeyword(std::string_view keyword) const;
  bool isSymbol(std::string_view s) const { return kind == TokenKind::kSymbol && text == s; }
  /// How an error names it: 'text', or "end of input".
  std::string describe() const;
};

/// Splits SQL text into tokens; `--` and `/* */` comments are skipped. Fails on an
/// unterminated string, quoted identifier or comment, or a stray character.
Result<std::vector<Token>> tokenize(std::string_view sql);

}  // namespace eddy::sql
