#include "eddy/sql/parser/lexer.h"

#include <algorithm>
#include <charconv>
#include <cctype>

namespace eddy::sql {

bool integerValue(std::string_view text, int64_t* out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size();
}

bool Token::isKeyword(std::string_view keyword) const {
  if (kind != TokenKind::kIdentifier || text.size() != keyword.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(text[i])) != std::toupper(static_cast<unsigned char>(keyword[i]))) {
      return false;
    }
  }
  return true;
}

std::string Token::describe() const {
  switch (kind) {
    case TokenKind::kEnd:
      return "end of input";
    case TokenKind::kString:
      return "'" + text + "'";
    case TokenKind::kBinaryString:
      return "X'" + text + "'";
    case TokenKind::kQuotedIdentifier:
      return "`" + text + "`";
    default:
      return "'" + text + "'";
  }
}

namespace {

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  Result<std::vector<Token>> run() {
    std::vector<Token> out;
    while (true) {
      EDDY_RETURN_IF_ERROR(skipSpaceAndComments());
      Token t;
      t.pos = pos_;
      t.offset = i_;
      if (i_ >= s_.size()) {
        out.push_back(t);
        return out;
      }
      char c = s_[i_];
      if ((c == 'x' || c == 'X') && i_ + 1 < s_.size() && s_[i_ + 1] == '\'') {  // X'0AFF', a binary string.
        const Pos start = pos_;
        advance();
        EDDY_RETURN_IF_ERROR(lexQuoted('\'', "binary string literal", t));
        if (t.text.size() % 2 != 0 ||
            !std::all_of(t.text.begin(), t.text.end(), [](char h) { return std::isxdigit(static_cast<unsigned char>(h)) != 0; })) {
          return sqlError(start, "a binary string literal needs an even number of hex digits, not X'" + t.text + "'");
        }
        t.kind = TokenKind::kBinaryString;
      } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80) {
        size_t start = i_;
        while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_' || s_[i_] == '$' ||
                                  static_cast<unsigned char>(s_[i_]) >= 0x80)) {
          advance();
        }
        t.kind = TokenKind::kIdentifier;
        t.text = std::string(s_.substr(start, i_ - start));
      } else if (std::isdigit(static_cast<unsigned char>(c)) ||
                 (c == '.' && i_ + 1 < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_ + 1])))) {
        lexNumber(t);
      } else if (c == '\'') {
        EDDY_RETURN_IF_ERROR(lexQuoted('\'', "string literal", t));
        t.kind = TokenKind::kString;
      } else if (c == '`') {
        EDDY_RETURN_IF_ERROR(lexQuoted('`', "quoted identifier", t));
        t.kind = TokenKind::kQuotedIdentifier;
      } else {
        static const char* kTwo[] = {"<>", "!=", "<=", ">=", "||", "=>"};
        t.kind = TokenKind::kSymbol;
        bool two = false;
        if (s_.substr(i_, 3) == "/*+" || (in_hint_ && s_.substr(i_, 2) == "*/")) {  // A hint: /*+ NAME(...) */
          in_hint_ = !in_hint_;
          t.text = in_hint_ ? "/*+" : "*/";
          for (size_t k = 0; k < t.text.size(); ++k) advance();
          out.push_back(std::move(t));
          continue;
        }
        for (const char* op : kTwo) {
          if (s_.substr(i_, 2) == op) {
            t.text = op;
            advance();
            advance();
            two = true;
            break;
          }
        }
        if (!two) {
          if (std::string_view("(),.;+-*/%=<>[]?{}|^$").find(c) == std::string_view::npos) {
            return sqlError(pos_, std::string("unexpected character '") + c + "'");
          }
          t.text = std::string(1, c);
          advance();
        }
      }
      out.push_back(std::move(t));
    }
  }

 private:
  bool in_hint_ = false;  // Between /*+ and */.

  void advance() {
    if (s_[i_] == '\n') {
      ++pos_.line;
      pos_.col = 1;
    } else {
      ++pos_.col;
    }
    ++i_;
  }

  Status skipSpaceAndComments() {
    while (i_ < s_.size()) {
      if (std::isspace(static_cast<unsigned char>(s_[i_]))) {
        advance();
      } else if (s_.substr(i_, 2) == "--") {
        while (i_ < s_.size() && s_[i_] != '\n') advance();
      } else if (s_.substr(i_, 2) == "/*" && s_.substr(i_, 3) != "/*+") {  // `/*+` opens a hint: tokens.
        Pos start = pos_;
        advance();
        advance();
        while (i_ < s_.size() && s_.substr(i_, 2) != "*/") advance();
        if (i_ >= s_.size()) return sqlError(start, "unterminated comment");
        advance();
        advance();
      } else {
        break;
      }
    }
    return Status::ok();
  }

  void lexNumber(Token& t) {
    size_t start = i_;
    bool dot = false;
    bool exp = false;
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (std::isdigit(static_cast<unsigned char>(c))) {
        advance();
      } else if (c == '.' && !dot && !exp) {
        dot = true;
        advance();
      } else if ((c == 'e' || c == 'E') && !exp && i_ + 1 < s_.size() &&
                 (std::isdigit(static_cast<unsigned char>(s_[i_ + 1])) ||
                  ((s_[i_ + 1] == '-' || s_[i_ + 1] == '+') && i_ + 2 < s_.size() &&
                   std::isdigit(static_cast<unsigned char>(s_[i_ + 2]))))) {
        exp = true;
        advance();
        advance();
      } else {
        break;
      }
    }
    t.text = std::string(s_.substr(start, i_ - start));
    t.kind = exp ? TokenKind::kDouble : dot ? TokenKind::kDecimal : TokenKind::kInteger;
  }

  Status lexQuoted(char quote, const char* what, Token& t) {
    Pos start = pos_;
    advance();
    std::string text;
    while (true) {
      if (i_ >= s_.size()) return sqlError(start, std::string("unterminated ") + what);
      if (s_[i_] == quote) {
        if (i_ + 1 < s_.size() && s_[i_ + 1] == quote) {
          text += quote;
          advance();
          advance();
          continue;
        }
        advance();
        break;
      }
      text += s_[i_];
      advance();
    }
    t.text = std::move(text);
    return Status::ok();
  }

  std::string_view s_;
  size_t i_ = 0;
  Pos pos_;
};

}  // namespace

Result<std::vector<Token>> tokenize(std::string_view sql) { return Lexer(sql).run(); }

namespace {
std::string lower(const std::string& s) {
  std::string r = s;
  std::transform(r.begin(), r.end(), r.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return r;
}
size_t editDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}
}  // namespace

std::string closestName(const std::string& name, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_d = std::max<size_t>(1, name.size() / 3) + 1;
  std::string n = lower(name);
  for (const std::string& c : candidates) {
    size_t d = editDistance(n, lower(c));
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

}  // namespace eddy::sql
