#pragma once

#include <string>
#include <vector>

#include "eddy/core/status.h"

namespace eddy::sql {

/// A place in the SQL text: 1-based line and column.
struct Pos {
  int line = 1;
  int col = 1;
};

/// The error every SQL phase reports: `SQL error at line L, column C: message`.
inline Status sqlError(Pos pos, const std::string& message) {
  return Status::invalidArgument("SQL error at line " + std::to_string(pos.line) + ", column " +
                                 std::to_string(pos.col) + ": " + message);
}

/// The closest of `candidates` to `name` (case-insensitive edit distance at most a
/// third of its length, at least 1), or "" when none is close: for "did you mean".
std::string closestName(const std::string& name, const std::vector<std::string>& candidates);

/// " (did you mean 'x'?)" or "".
inline std::string didYouMean(const std::string& name, const std::vector<std::string>& candidates) {
  std::string best = closestName(name, candidates);
  return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

}  // namespace eddy::sql
