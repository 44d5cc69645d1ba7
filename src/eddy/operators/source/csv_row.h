#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "eddy/core/status.h"

namespace eddy::operators {

/// One line of a CSV file, split on commas (no quoting), with typed accessors whose
/// errors read `column NAME: not an integer: "12x"`. The file source prefixes
/// `FILE:LINE: `.
class CsvRow {
 public:
  /// Splits `line` (without its line break) on `delimiter`.
  void reset(std::string_view line, char delimiter = ',');

  size_t size() const { return fields_.size(); }
  std::string_view line() const { return line_; }
  std::string_view field(size_t i) const { return fields_[i]; }

  Result<std::string> getString(size_t i, std::string_view column) const;
  Result<int64_t> getInt64(size_t i, std::string_view column) const;
  Result<double> getDouble(size_t i, std::string_view column) const;
  /// Fails unless the row has exactly `n` fields, naming the first missing or extra one.
  Status expectColumns(const std::vector<std::string>& names) const;

 private:
  Status missing(size_t i, std::string_view column) const;
  std::string_view line_;
  std::vector<std::string_view> fields_;
};

}  // namespace eddy::operators
