#include "eddy/sql/exec/file_sink_format.h"

#include <nlohmann/json.hpp>

#include "eddy/sql/exec/nested_value.h"

namespace eddy::sql {
namespace {

std::string csvField(const std::string& v, char delimiter) {
  if (v.find(delimiter) == std::string::npos && v.find('"') == std::string::npos &&
      v.find('\n') == std::string::npos && v.find('\r') == std::string::npos) {
    return v;
  }
  std::string q = "\"";
  for (char c : v) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}

}  // namespace

Result<BatchEncoder> fileSinkEncoder(const std::string& table, const Options& o, const Schema& schema) {
  std::string format = option(o, "format");
  std::vector<LogicalType> types = typesOf(schema);
  if (format == "csv") {
    std::string d = option(o, "csv.field-delimiter", ",");
    if (d == "\\t") d = "\t";
    if (d.size() != 1) {
      return Status::invalidArgument("table '" + table + "': option 'csv.field-delimiter' must be one character");
    }
    char delimiter = d[0];
    std::string null_literal = option(o, "csv.null-literal");
    std::string array_delimiter = option(o, "csv.array-element-delimiter", ";");
    return BatchEncoder([types, delimiter, null_literal, array_delimiter](const RecordBatch& b) {
      std::string out;
      for (size_t r = 0; r < b.size(); ++r) {
        if (r > 0) out += '\n';
        for (size_t c = 0; c < b.columns.size(); ++c) {
          if (c > 0) out += delimiter;
          Value v = valueAt(b.columns[c], r);
          if (v.null) {
            out += null_literal;
          } else if (types[c].id == TypeId::kArray) {
            out += csvField(arrayToCsv(v.s, types[c], array_delimiter, null_literal), delimiter);
          } else if (types[c].id == TypeId::kMap) {  // Flink's csv has no MAP: a JSON object.
            std::string json;
            appendJson(json, v, types[c]);
            out += csvField(json, delimiter);
          } else {
            out += csvField(formatForFile(v, types[c]), delimiter);
          }
        }
      }
      return out;
    });
  }
  if (format == "json") {
    std::vector<std::string> names;
    for (const auto& c : schema) names.push_back(c.name);
    // Written by hand rather than through a JSON value, so that a DECIMAL keeps its
    // exact digits as a JSON number (Flink writes BigDecimal as a number).
    // What goes before each column's value: a ROW column's fields (kept as columns
    // `row.field`, one after the other) go into the row's nested object, opened before
    // its first field and closed after its last.
    std::vector<std::string> keys;
    std::vector<std::string> open;  // The nested objects the previous column is in.
    for (size_t c = 0; c < names.size(); ++c) {
      std::vector<std::string> path;
      for (size_t start = 0;;) {
        const size_t dot = names[c].find('.', start);
        path.push_back(names[c].substr(start, dot == std::string::npos ? std::string::npos : dot - start));
        if (dot == std::string::npos) break;
        start = dot + 1;
      }
      size_t common = 0;
      while (common < open.size() && common + 1 < path.size() && open[common] == path[common]) ++common;
      std::string key(open.size() - common, '}');
      if (c > 0) key += ',';
      for (size_t i = common; i + 1 < path.size(); ++i) key += nlohmann::json(path[i]).dump() + ":{";
      key += nlohmann::json(path.back()).dump() + ":";
      keys.push_back(std::move(key));
      open.assign(path.begin(), path.end() - 1);
    }
    const std::string end = std::string(open.size(), '}') + "}";
    return BatchEncoder([types, keys, end](const RecordBatch& b) {
      std::string out;
      for (size_t r = 0; r < b.size(); ++r) {
        if (r > 0) out += '\n';
        out += '{';
        for (size_t c = 0; c < b.columns.size(); ++c) {
          out += keys[c];
          appendJson(out, valueAt(b.columns[c], r), types[c]);
        }
        out += end;
      }
      return out;
    });
  }
  if (format.empty()) {
    return Status::invalidArgument("table '" + table + "': the filesystem connector needs option 'format' (csv or json)");
  }
  return Status::invalidArgument("table '" + table + "': unsupported format '" + format + "' (supported: csv, json)");
}

}  // namespace eddy::sql
