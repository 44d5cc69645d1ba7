#include "eddy/sql/exec/file_sink_format.h"

#include <algorithm>
#include <memory>

#include <nlohmann/json.hpp>

#include "eddy/sql/exec/nested_value.h"
#include "eddy/sql/exec/utf8.h"

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

// The json format's writing options: `iso8601`, json.timestamp-format.standard =
// ISO-8601; `skip_nulls`, json.encode.ignore-null-fields (a NULL member is left out);
// `null_key`, json.map-null-key.*.
struct JsonWriting {
  bool skip_nulls = false;
  JsonEncoding encoding;
};

// A JSON object written from a row's columns: a member is a column, or a ROW column's
// nested object.
struct JsonObject {
  struct Member {
    std::string key;  // `"name":`
    int column = -1;  // A column's value, or ...
    std::unique_ptr<JsonObject> object;  // ... a nested ROW's object.
  };
  std::vector<Member> members;
  int marker = -1;  // A ROW's null marker column (true: write null).

  // The member object `name`, added if it is not the last member.
  JsonObject& child(const std::string& name) {
    const std::string key = nlohmann::json(name).dump() + ":";
    if (members.empty() || members.back().key != key || !members.back().object) {
      members.push_back({key, -1, std::make_unique<JsonObject>()});
    }
    return *members.back().object;
  }
  // Whether the object is NULL in row `r` (its ROW's null marker says so).
  bool isNull(const RecordBatch& b, size_t r) const {
    return marker >= 0 && b.columns[static_cast<size_t>(marker)].i64[r] != 0;
  }
  void write(const RecordBatch& b, size_t r, const std::vector<LogicalType>& types, const JsonWriting& how,
             std::string& out) const {
    if (isNull(b, r)) {
      out += "null";
      return;
    }
    out += '{';
    bool first = true;
    for (const Member& m : members) {
      const bool null = m.object ? m.object->isNull(b, r) : b.columns[static_cast<size_t>(m.column)].isNull(r);
      if (null && how.skip_nulls) continue;
      if (!first) out += ',';
      first = false;
      out += m.key;
      if (m.object) {
        m.object->write(b, r, types, how, out);
      } else {
        const size_t c = static_cast<size_t>(m.column);
        appendJson(out, valueAt(b.columns[c], r), types[c], how.encoding);
      }
    }
    out += '}';
  }
};

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
    std::vector<bool> markers;
    for (const auto& c : schema) markers.push_back(isRowNullMarker(c.name));
    return BatchEncoder([types, markers, delimiter, null_literal, array_delimiter](const RecordBatch& b) {
      std::string out;
      for (size_t r = 0; r < b.size(); ++r) {
        if (r > 0) out += '\n';
        bool first = true;
        for (size_t c = 0; c < b.columns.size(); ++c) {
          if (markers[c]) continue;  // A ROW's fields are written; whether it is NULL is not.
          if (!first) out += delimiter;
          first = false;
          Value v = valueAt(b.columns[c], r);
          if (v.null) {
            out += null_literal;
          } else if (types[c].id == TypeId::kArray) {
            out += csvField(arrayToCsv(v.s, types[c], array_delimiter, null_literal), delimiter);
          } else if (types[c].id == TypeId::kMap || types[c].id == TypeId::kMultiset) {
            // Flink's csv has no MAP or MULTISET: a JSON object (a multiset's element counts).
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
    // Written by hand rather than through a JSON value, so that a DECIMAL keeps its
    // exact digits as a JSON number (Flink writes BigDecimal as a number). A ROW
    // column's fields (kept as columns `row.field`) go into the row's nested object,
    // `null` where its null marker says the row is NULL.
    auto root = std::make_shared<JsonObject>();
    for (size_t c = 0; c < schema.size(); ++c) {
      const std::string& name = schema[c].name;
      JsonObject* at = root.get();
      size_t start = 0;
      for (size_t dot; (dot = name.find('.', start)) != std::string::npos; start = dot + 1) {
        at = &at->child(name.substr(start, dot - start));
      }
      if (start == name.size()) {
        at->marker = static_cast<int>(c);  // `row.`: the ROW `at` is NULL.
      } else {
        at->members.push_back({nlohmann::json(name.substr(start)).dump() + ":", static_cast<int>(c), nullptr});
      }
    }
    const std::string standard = option(o, "json.timestamp-format.standard", "SQL");
    if (standard != "SQL" && standard != "ISO-8601") {
      return Status::invalidArgument("table '" + table + "': Unsupported value '" + standard +
                                     "' for json.timestamp-format.standard. Supported values are [SQL, ISO-8601].");
    }
    JsonWriting how;
    how.encoding.iso8601 = standard == "ISO-8601";
    how.encoding.decimal_plain = option(o, "json.encode.decimal-as-plain-number") == "true";
    how.skip_nulls = option(o, "json.encode.ignore-null-fields") == "true";
    std::string mode = option(o, "json.map-null-key.mode", "FAIL");
    std::transform(mode.begin(), mode.end(), mode.begin(), ::toupper);
    if (mode != "FAIL" && mode != "DROP" && mode != "LITERAL") {
      return Status::invalidArgument("table '" + table + "': Unsupported value '" + option(o, "json.map-null-key.mode") +
                                     "' for option map-null-key.mode. Supported values are [FAIL, DROP, LITERAL].");
    }
    how.encoding.null_key.mode = mode == "FAIL"   ? JsonMapNullKey::Mode::kFail
                                 : mode == "DROP" ? JsonMapNullKey::Mode::kDrop
                                                  : JsonMapNullKey::Mode::kLiteral;
    how.encoding.null_key.literal = option(o, "json.map-null-key.literal", "null");
    return BatchEncoder([types, root, how](const RecordBatch& b) {
      std::string out;
      for (size_t r = 0; r < b.size(); ++r) {
        if (r > 0) out += '\n';
        root->write(b, r, types, how, out);
      }
      return out;
    });
  }
  if (format == "raw") {  // A line per row: the value's bytes (text in raw.charset), NULL an empty line.
    EDDY_RETURN_IF_ERROR(checkRawSchema(table, schema, {}));
    const std::string charset = option(o, "raw.charset", "UTF-8");
    if (!isCharset(charset)) return Status::invalidArgument("table '" + table + "': unsupported raw.charset '" + charset + "'");
    size_t column = 0;
    while (isRowNullMarker(schema[column].name)) ++column;
    const bool text = schema[column].type.isString();
    return BatchEncoder([column, text, charset](const RecordBatch& b) {
      std::string out, encoded;
      for (size_t r = 0; r < b.size(); ++r) {
        if (r > 0) out += '\n';
        const Column& c = b.columns[column];
        if (c.isNull(r)) continue;
        if (text) {
          encodeCharset(c.str[r], charset, encoded);
          out += encoded;
        } else {
          out += c.str[r];
        }
      }
      return out;
    });
  }
  if (format.empty()) {
    return Status::invalidArgument("table '" + table + "': the filesystem connector needs option 'format' (csv, json or raw)");
  }
  return Status::invalidArgument("table '" + table + "': unsupported format '" + format + "' (supported: csv, json, raw)");
}

Status checkRawSchema(const std::string& table, const Schema& schema, const std::vector<std::string>& partition_keys) {
  std::vector<const ColumnSchema*> physical;
  for (const auto& c : schema) {
    if (isRowNullMarker(c.name)) continue;
    if (std::find(partition_keys.begin(), partition_keys.end(), c.name) != partition_keys.end()) continue;
    physical.push_back(&c);
  }
  if (physical.size() != 1) {
    std::string names;
    for (const ColumnSchema* c : physical) names += (names.empty() ? "`" : ", `") + c->name + "` " + c->type.toString();
    return Status::invalidArgument("table '" + table + "': The 'raw' format only supports single physical column. "
                                   "However the defined schema contains multiple physical columns: [" + names + "]");
  }
  const LogicalType& t = physical[0]->type;
  if (!t.isString() && !t.isBinary()) {
    return Status::invalidArgument("table '" + table + "': the 'raw' format of the filesystem connector reads and "
                                   "writes a line per row, of a text or bytes column, not " + withArticle(t));
  }
  return Status::ok();
}


Result<RollingPolicy> fileRollingPolicy(const std::string& table, const Options& options) {
  RollingPolicy policy;
  auto bad = [&](const std::string& key, const char* what) {
    return Status::invalidArgument("table '" + table + "': option '" + key + "' is not " + what + ": '" +
                                   option(options, key) + "'");
  };
  const std::string size = option(options, "sink.rolling-policy.file-size");
  if (!size.empty() && (!parseMemoryBytes(size, &policy.file_size) || policy.file_size == 0)) {
    return bad("sink.rolling-policy.file-size", "a memory size (such as '128MB')");
  }
  for (auto [key, out] : {std::pair{"sink.rolling-policy.rollover-interval", &policy.rollover_ms},
                          std::pair{"sink.rolling-policy.inactivity-interval", &policy.inactivity_ms}}) {
    const std::string text = option(options, key);
    if (!text.empty() && (!parseDurationMillis(text, out) || *out <= 0)) return bad(key, "a duration (such as '30 min')");
  }
  int64_t check = 0;
  const std::string text = option(options, "sink.rolling-policy.check-interval");
  if (!text.empty() && !parseDurationMillis(text, &check)) {
    return bad("sink.rolling-policy.check-interval", "a duration (such as '1 min')");
  }
  return policy;
}

}  // namespace eddy::sql
