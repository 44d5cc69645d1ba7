#pragma once
// Regular expressions behind SQL's REGEXP, REGEXP_EXTRACT, REGEXP_REPLACE and LIKE.
//
// Each thread keeps the patterns it has compiled, so a pattern that comes from a column
// or a constant compiles once per task rather than once per row. std::regex stays in
// regex.cc: its templates are heavy to compile and trip a false GCC warning.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace eddy::sql {

// True when `text` contains a match of `pattern`; nullopt when the pattern is invalid
// (Flink returns NULL then).
std::optional<bool> regexFind(const std::string& text, const std::string& pattern);

// The byte offset of the first match, -1 when there is none; nullopt when the pattern
// is invalid.
std::optional<int64_t> regexPosition(const std::string& text, const std::string& pattern);

// Group `group` of the first match, nullopt when there is no match, no such group or the
// pattern is invalid.
std::optional<std::string> regexExtract(const std::string& text, const std::string& pattern, size_t group);

// Every match replaced by `replacement` ($1 refers to a group); nullopt for an invalid pattern.
std::optional<std::string> regexReplace(const std::string& text, const std::string& pattern,
                                        const std::string& replacement);

// Group `group` of every match, in order (an unmatched optional group as ""); nullopt
// for an invalid pattern or a group it does not have.
std::optional<std::vector<std::string>> regexExtractAll(const std::string& text, const std::string& pattern,
                                                        size_t group);

// `text` cut at each match of `pattern`, as Java's String#split(regex, limit): at most
// `limit` pieces when limit > 0, and without trailing empty pieces when limit == 0.
// nullopt for an invalid pattern.
std::optional<std::vector<std::string>> regexSplit(const std::string& text, const std::string& pattern, int limit);

// SQL LIKE: '%' any run, '_' one character, `escape` (0 for none) makes the next one literal.
bool likeMatch(const std::string& text, const std::string& pattern, char escape);

}  // namespace eddy::sql
