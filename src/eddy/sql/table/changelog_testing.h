#pragma once
// Test support: a SELECT's printed changelog applied to a table, for results whose
// intermediate changes depend on how inputs interleave.
#include <set>
#include <string>
#include <vector>

namespace eddy::sql {

/// Fills `rows` with the rows `changelog` (lines in Flink's print format) leaves: +I and
/// +U add a row, -U and -D remove one. Rows are their "[...]" text, sorted. False, with
/// `error` naming the line, when a change retracts a row that is not in the table.
inline bool materializeChangelog(const std::vector<std::string>& changelog, std::multiset<std::string>* rows,
                                 std::string* error) {
  rows->clear();
  for (const std::string& line : changelog) {
    if (line.size() < 3) continue;
    std::string kind = line.substr(0, 2), row = line.substr(2);
    if (kind == "+I" || kind == "+U") {
      rows->insert(row);
      continue;
    }
    auto it = rows->find(row);
    if (it == rows->end()) {
      *error = "the changelog retracts a row that is not in the result: " + line;
      return false;
    }
    rows->erase(it);
  }
  return true;
}

}  // namespace eddy::sql
