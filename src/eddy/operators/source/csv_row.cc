#include "eddy/operators/source/csv_row.h"

#include <charconv>
#include <cmath>

namespace eddy::operators {
namespace {
std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }
}  // namespace

void CsvRow::reset(std::string_view line, char delimiter) {
  line_ = line;
  fields_.clear();
  size_t start = 0;
  while (true) {
    size_t pos = line.find(delimiter, start);
    if (pos == std::string_view::npos) {
      fields_.push_back(line.substr(start));
      break;
    }
    fields_.push_back(line.substr(start, pos - start));
    start = pos + 1;
  }
}

Status CsvRow::missing(size_t i, std::string_view column) const {
  (void)i;
  return Status::invalidArgument("column " + std::string(column) + ": missing: " + quoted(line_));
}

Result<std::string> CsvRow::getString(size_t i, std::string_view column) const {
  if (i >= fields_.size()) return missing(i, column);
  return std::string(fields_[i]);
}

Result<int64_t> CsvRow::getInt64(size_t i, std::string_view column) const {
  if (i >= fields_.size()) return missing(i, column);
  std::string_view f = fields_[i];
  int64_t v = 0;
  auto r = std::from_chars(f.data(), f.data() + f.size(), v);
  if (f.empty() || r.ec != std::errc() || r.ptr != f.data() + f.size()) {
    const char* why = r.ec == std::errc::result_out_of_range ? "integer out of range" : "not an integer";
    return Status::invalidArgument("column " + std::string(column) + ": " + why + ": " + quoted(f));
  }
  return v;
}

Result<double> CsvRow::getDouble(size_t i, std::string_view column) const {
  if (i >= fields_.size()) return missing(i, column);
  std::string_view f = fields_[i];
  double v = 0;
  auto r = std::from_chars(f.data(), f.data() + f.size(), v);
  if (f.empty() || r.ec != std::errc() || r.ptr != f.data() + f.size() || !std::isfinite(v)) {
    return Status::invalidArgument("column " + std::string(column) + ": not a number: " + quoted(f));
  }
  return v;
}

Status CsvRow::expectColumns(const std::vector<std::string>& names) const {
  if (fields_.size() < names.size()) return missing(fields_.size(), names[fields_.size()]);
  if (fields_.size() > names.size()) {
    return Status::invalidArgument("expected " + std::to_string(names.size()) + " columns, found " +
                                   std::to_string(fields_.size()) + ": " + quoted(line_));
  }
  return Status::ok();
}

}  // namespace eddy::operators
