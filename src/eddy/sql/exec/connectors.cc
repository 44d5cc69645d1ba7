// The source connectors of SQL tables: values (tests), filesystem (csv, json), datagen
// (nexmark is in nexmark.cc).
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <random>

#include <nlohmann/json.hpp>

#include "eddy/operators/source/file_source.h"
#include "eddy/operators/source/rate_limiter.h"
#include "eddy/sql/exec/connector_options.h"
#include "eddy/sql/exec/decimal.h"
#include "eddy/sql/exec/file_sink_format.h"
#include "eddy/sql/exec/nested_value.h"
#include "eddy/sql/exec/nexmark.h"
#include "eddy/sql/exec/partitioned_file_sink.h"
#include "eddy/sql/exec/regex.h"
#include "eddy/sql/exec/table_source.h"
#include "eddy/sql/exec/utf8.h"
#include "eddy/sql/parser/sql_error.h"

namespace eddy::sql {

namespace {

using runtime::ReadStatus;
const LogicalType kString = LogicalType::string();

// Parses one text field into a column of type `t`; `null_literal` (if any) is NULL,
// and so is an empty field of a non-string type.
// `line` with each number that a double cannot hold exactly (more than 15 digits and a
// fraction, an exponent or more than 19 digits) in quotes: nlohmann::json would parse
// it as a double, and a DECIMAL column reads its text, as Flink's json format reads
// BigDecimal. A line without one comes back as it is.
std::string quoteLongNumbers(std::string_view line) {
  std::string out;
  size_t copied = 0;
  bool in_string = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
      continue;
    }
    if (c != '-' && (c < '0' || c > '9')) continue;
    size_t end = i, digits = 0;
    bool fraction = false;
    for (; end < line.size(); ++end) {
      const char d = line[end];
      if (d >= '0' && d <= '9') {
        ++digits;
      } else if (d == '.' || d == 'e' || d == 'E') {
        fraction = true;
      } else if (d != '-' && d != '+') {
        break;
      }
    }
    if (digits > 15 && (fraction || digits > 19)) {
      out.append(line.substr(copied, i - copied)).append("\"").append(line.substr(i, end - i)).append("\"");
      copied = end;
    }
    i = end - 1;
  }
  if (copied == 0) return std::string(line);
  out.append(line.substr(copied));
  return out;
}

Status appendField(Column& col, std::string_view text, bool quoted, const LogicalType& t, const std::string& null_literal,
                   bool file = false) {
  if ((!quoted && !null_literal.empty() && text == null_literal) || (text.empty() && !t.isString())) {
    col.appendNull();
    return Status::ok();
  }
  if (file && t.id == TypeId::kTimestampLtz) {
    // Flink's csv and json formats write an instant as its UTC time and a 'Z'.
    std::string_view utc = text;
    if (!utc.empty() && utc.back() == 'Z') utc.remove_suffix(1);
    int64_t v = 0;
    if (!hasTimeOfDay(utc) || !parseTimestamp(utc, v, t.precision)) {
      return Status::invalidArgument("not " + withArticle(t.plain().withNullable(true)) + ": \"" + std::string(text) + "\"");
    }
    appendValue(col, Value::ofInt(v));
    return Status::ok();
  }
  // As JSON: [1, 2], {"k": 1}; a ROW value (a table CREATE TABLE AS made from a query's
  // ROW column) as {"field": ...}.
  if (t.id == TypeId::kArray || t.id == TypeId::kMap || t.id == TypeId::kMultiset || t.id == TypeId::kRow) {
    Result<std::string> nested = nestedFromJson(text, t);
    if (!nested.isOk()) return Status::invalidArgument("not " + withArticle(t.plain().withNullable(true)) + ": " + nested.status().message());
    appendValue(col, Value::ofString(std::move(*nested)));
    return Status::ok();
  }
  Value out;
  std::string error;
  const std::string in(text);
  if (!(file ? parseFileText(in, t, out, &error) : castValue(Value::ofString(in), kString, t, out, &error))) {
    return Status::invalidArgument("not " + withArticle(t.plain().withNullable(true)) + ": \"" + std::string(text) + "\"");
  }
  appendValue(col, out);
  return Status::ok();
}

// ---- values: the golden tests' rows.
class ValuesReader final : public RowReader {
 public:
  ValuesReader(std::shared_ptr<const ValuesData> data, std::vector<LogicalType> types, std::vector<bool> markers,
               size_t next)
      : data_(std::move(data)), types_(std::move(types)), markers_(std::move(markers)), next_(next) {}
  Result<ReadStatus> read(RecordBatch& out, int max_rows) override {
    wm_.reset();
    int n = 0;
    while (next_ < data_->items.size() && n < max_rows) {
      const ValuesData::Item& item = data_->items[next_++];
      if (item.watermark) {
        wm_ = item.watermark;
        break;
      }
      // Field f of the row goes to column c; a ROW's null marker is no field (false).
      for (size_t c = 0, f = 0; c < types_.size(); ++c) {
        if (c < markers_.size() && markers_[c]) {
          appendValue(out.columns[c], Value::ofBool(false));
          continue;
        }
        const size_t field = f++;
        if (field < item.values.size()) {
          appendValue(out.columns[c], item.values[field]);
          continue;
        }
        if (field >= item.fields.size() || (field < item.nulls.size() && item.nulls[field])) {
          out.columns[c].appendNull();
          continue;
        }
        Status st = appendField(out.columns[c], item.fields[field], true, types_[c], "");
        if (!st.isOk()) return Status::invalidArgument("values row " + std::to_string(next_) + ", column " + std::to_string(field + 1) + ": " + st.message());
      }
      out.kinds.push_back(item.kind);
      ++n;
    }
    return next_ < data_->items.size() ? ReadStatus::kMoreAvailable : ReadStatus::kEndOfInput;
  }
  std::optional<Timestamp> watermarkAfterBatch() override { return wm_; }
  Result<operators::SplitState> snapshot() const override { return operators::SplitState{"values", std::to_string(next_)}; }

 private:
  std::shared_ptr<const ValuesData> data_;
  std::vector<LogicalType> types_;
  std::vector<bool> markers_;  // Per column: a ROW's null marker (isRowNullMarker).
  size_t next_;
  std::optional<Timestamp> wm_;
};

class ValuesFactory final : public RowSourceFactory {
 public:
  ValuesFactory(std::shared_ptr<const ValuesData> data, const Schema& physical)
      : data_(std::move(data)), types_(typesOf(physical)) {
    for (const auto& c : physical) markers_.push_back(isRowNullMarker(c.name));
  }
  bool isBounded() const override { return true; }
  Result<std::vector<std::unique_ptr<RowReader>>> create(int subtask, int, const Clock&) override {
    std::vector<std::unique_ptr<RowReader>> r;
    if (subtask == 0) r.push_back(std::make_unique<ValuesReader>(data_, types_, markers_, 0));
    return r;
  }
  Result<std::vector<std::unique_ptr<RowReader>>> restore(const std::vector<operators::SplitState>& splits,
                                                           const Clock&) override {
    std::vector<std::unique_ptr<RowReader>> r;
    for (const auto& s : splits) {
      r.push_back(std::make_unique<ValuesReader>(data_, types_, markers_, std::stoull(s.position)));
    }
    return r;
  }
  // The test connector reads any metadata key, as NULL (a row has no fields for it).
  Status readMetadata(const std::vector<std::string>&, const std::vector<LogicalType>& types) override {
    types_.insert(types_.end(), types.begin(), types.end());
    return Status::ok();
  }

 private:
  std::shared_ptr<const ValuesData> data_;
  std::vector<LogicalType> types_;
  std::vector<bool> markers_;
};

// ---- filesystem: CSV (RFC 4180 quoting, no header) or JSON lines, one split per file.
// Flink's filesystem metadata: what a row can learn about the file it comes from.
const std::vector<std::pair<std::string, Storage>> kFileMetadata = {
    {"file.path", Storage::kString},
    {"file.name", Storage::kString},
    {"file.size", Storage::kInt64},
    {"file.modification-time", Storage::kInt64}};

struct FileFormat {
  bool json = false;
  bool raw = false;              // format 'raw': a line is the one column's value ...
  std::string raw_charset;       // ... in this charset (raw.charset), for a text column.
  char delimiter = ',';
  char quote = '"';
  char escape = '\0';  // csv.escape-character: the next character is taken as it is.
  bool ignore_parse_errors = false;
  bool allow_comments = false;  // csv.allow-comments: lines starting with '#' are skipped.
  bool fail_on_missing_field = false;  // json.fail-on-missing-field: a missing field fails the row.
  std::string null_literal;
  std::string array_delimiter = ";";  // csv.array-element-delimiter
};

// A file of a partitioned table: its partition columns' values (from its k=v/
// directories), by column of the table's physical row.
using PartitionValues = std::vector<std::pair<size_t, Value>>;

class FileReader final : public RowReader {
 public:
  /// `schema`: the table's physical columns; those in `partition` are not in the file.
  FileReader(std::string path, const Schema& schema, FileFormat format, uint64_t offset, int64_t lines,
             std::vector<std::string> metadata, PartitionValues partition = {})
      : lines_(std::move(path)), width_(schema.size()), format_(std::move(format)),
        metadata_keys_(std::move(metadata)), partition_(std::move(partition)) {
    for (size_t c = 0; c < schema.size(); ++c) {
      bool in_path = false;
      for (const auto& [col, v] : partition_) in_path = in_path || col == c;
      if (in_path) continue;
      if (isRowNullMarker(schema[c].name)) {  // Not in the file: whether the row is there.
        markers_.emplace_back(c, schema[c].name.substr(0, schema[c].name.size() - 1));
        continue;
      }
      schema_.push_back(schema[c]);
      out_column_.push_back(c);
    }
    if (offset > 0) lines_.resumeAt(offset, lines);
  }
  Status open() override {
    EDDY_RETURN_IF_ERROR(lines_.open());
    // The file's metadata, the same for each of its rows.
    std::error_code ec;
    const std::filesystem::path p(lines_.path());
    for (const std::string& key : metadata_keys_) {
      Value v;
      if (key == "file.path") v = Value::ofString(p.string());
      if (key == "file.name") v = Value::ofString(p.filename().string());
      if (key == "file.size") v = Value::ofInt(static_cast<int64_t>(std::filesystem::file_size(p, ec)));
      if (key == "file.modification-time") {
        auto t = std::filesystem::last_write_time(p, ec);
        auto since = std::chrono::file_clock::to_sys(t).time_since_epoch();
        v = Value::ofInt(std::chrono::duration_cast<std::chrono::milliseconds>(since).count());
      }
      if (ec) return Status::invalidArgument(lines_.path() + ": metadata '" + key + "': " + ec.message());
      metadata_.push_back(std::move(v));
    }
    return Status::ok();
  }
  Result<ReadStatus> read(RecordBatch& out, int max_rows) override {
    if (!failed_.isOk()) return failed_;
    std::string_view line;
    for (int n = 0; n < max_rows;) {
      EDDY_ASSIGN_OR_RETURN(bool more, lines_.next(&line));
      if (!more) return ReadStatus::kEndOfInput;
      if ((line.empty() && !format_.raw) || (format_.allow_comments && line[0] == '#')) continue;
      size_t before = out.size();
      Status st = format_.raw ? parseRaw(line, out) : format_.json ? parseJson(line, out) : parseCsv(line, out);
      if (st.isOk() && !format_.json) {
        for (const auto& [col, row] : markers_) appendValue(out.columns[col], Value::ofBool(false));
      }
      if (!st.isOk()) {
        // Roll back the columns this row reached.
        for (Column& c : out.columns) {
          while (c.size() > before) {
            c.null.pop_back();
            if (c.storage == Storage::kInt64) c.i64.pop_back();
            if (c.storage == Storage::kDouble) c.f64.pop_back();
            if (c.storage == Storage::kString) c.str.pop_back();
          }
        }
        if (format_.ignore_parse_errors) continue;
        failed_ = Status::invalidArgument(lines_.path() + ":" + std::to_string(lines_.lineNumber()) + ": " + st.message());
        // The rows before the bad one go out first (as row-at-a-time Flink would have
        // emitted them); the next read fails.
        if (n > 0) return ReadStatus::kMoreAvailable;
        return failed_;
      }
      for (const auto& [col, v] : partition_) appendValue(out.columns[col], v);
      for (size_t m = 0; m < metadata_.size(); ++m) appendValue(out.columns[width_ + m], metadata_[m]);
      out.kinds.push_back(RowKind::kInsert);
      ++n;
    }
    return ReadStatus::kMoreAvailable;
  }
  Result<operators::SplitState> snapshot() const override {
    return operators::SplitState{lines_.path(),
                                 std::to_string(lines_.nextLineOffset()) + ":" + std::to_string(lines_.lineNumber())};
  }

 private:
  Status failed_;  // A bad row's error, reported by the read after the rows before it.

  Status parseCsv(std::string_view line, RecordBatch& out) {
    fields_.clear();
    quoted_.clear();
    size_t i = 0;
    while (true) {
      std::string field;
      bool quoted = false;
      if (i < line.size() && line[i] == format_.quote) {
        quoted = true;
        ++i;
        while (true) {
          if (i >= line.size()) return Status::invalidArgument("unterminated quoted field");
          if (format_.escape && line[i] == format_.escape && i + 1 < line.size()) {
            field += line[i + 1];
            i += 2;
            continue;
          }
          if (line[i] == format_.quote) {
            if (i + 1 < line.size() && line[i + 1] == format_.quote) {
              field += format_.quote;
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          field += line[i++];
        }
        if (i < line.size() && line[i] != format_.delimiter) return Status::invalidArgument("text after a quoted field");
      } else if (format_.escape) {
        for (; i < line.size() && line[i] != format_.delimiter; ++i) {
          if (line[i] == format_.escape && i + 1 < line.size()) ++i;
          field += line[i];
        }
      } else {
        size_t end = line.find(format_.delimiter, i);
        if (end == std::string_view::npos) end = line.size();
        field = std::string(line.substr(i, end - i));
        i = end;
      }
      fields_.push_back(std::move(field));
      quoted_.push_back(quoted);
      if (i >= line.size()) break;
      ++i;  // delimiter
    }
    if (fields_.size() != schema_.size()) {
      return Status::invalidArgument("expected " + std::to_string(schema_.size()) + " fields, found " +
                                     std::to_string(fields_.size()));
    }
    for (size_t c = 0; c < schema_.size(); ++c) {
      const LogicalType& t = schema_[c].type;
      const bool null = !quoted_[c] && (fields_[c] == format_.null_literal || fields_[c].empty());
      Column& col = out.columns[out_column_[c]];
      Status st;
      if (t.id == TypeId::kArray && !null) {
        Result<std::string> array = arrayFromCsv(fields_[c], t, format_.array_delimiter, format_.null_literal);
        if (array.isOk()) appendValue(col, Value::ofString(std::move(*array)));
        st = array.status();
      } else {
        st = appendField(col, fields_[c], quoted_[c], schema_[c].type, format_.null_literal, true);
      }
      if (!st.isOk() && !fieldError(col)) return Status::invalidArgument("column '" + schema_[c].name + "': " + st.message());
    }
    return Status::ok();
  }

  // A field that does not parse: with ignore-parse-errors it is NULL and the row stays
  // (Flink's csv and json converters catch the error per field); else the row fails.
  bool fieldError(Column& col) const {
    if (!format_.ignore_parse_errors) return false;
    col.appendNull();
    return true;
  }

  // The member `name` of `doc`; a ROW column's field (`row.field`, kept as a column of
  // its own) inside the row's nested object.
  static const nlohmann::json* jsonField(const nlohmann::json& doc, const std::string& name) {
    if (auto it = doc.find(name); it != doc.end()) return &*it;
    const nlohmann::json* at = &doc;
    for (size_t start = 0;;) {
      const size_t dot = name.find('.', start);
      if (!at->is_object()) return nullptr;
      auto it = at->find(name.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
      if (it == at->end()) return nullptr;
      at = &*it;
      if (dot == std::string::npos) return at;
      start = dot + 1;
    }
  }

  // The raw format: the line itself (text decoded from raw.charset; bytes as they are).
  Status parseRaw(std::string_view line, RecordBatch& out) {
    std::string value(line);
    if (schema_[0].type.isString() && !decodeCharset(line, format_.raw_charset, value)) {
      return Status::invalidArgument("unsupported raw.charset '" + format_.raw_charset + "'");
    }
    appendValue(out.columns[out_column_[0]], Value::ofString(std::move(value)));
    return Status::ok();
  }

  Status parseJson(std::string_view line, RecordBatch& out) {
    nlohmann::json doc = nlohmann::json::parse(quoteLongNumbers(line), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return Status::invalidArgument("not a JSON object");
    for (size_t c = 0; c < schema_.size(); ++c) {
      const nlohmann::json* it = jsonField(doc, schema_[c].name);
      Column& col = out.columns[out_column_[c]];
      if (it == nullptr && format_.fail_on_missing_field) {
        return Status::invalidArgument("Could not find field with name '" + schema_[c].name + "'");
      }
      if (it == nullptr || it->is_null()) {
        col.appendNull();
        continue;
      }
      std::string text = it->is_string() ? it->get<std::string>() : it->dump();
      if (schema_[c].type.id == TypeId::kBoolean && it->is_boolean()) text = it->get<bool>() ? "true" : "false";
      Status st = appendField(col, text, it->is_string(), schema_[c].type, "", true);
      if (!st.isOk() && !fieldError(col)) return Status::invalidArgument("field '" + schema_[c].name + "': " + st.message());
    }
    for (const auto& [col, row] : markers_) {  // A ROW missing or null is NULL, as Flink's json format reads it.
      const nlohmann::json* it = jsonField(doc, row);
      appendValue(out.columns[col], Value::ofBool(it == nullptr || it->is_null()));
    }
    return Status::ok();
  }

  operators::LineReader lines_;
  size_t width_;        // Physical columns of the table.
  Schema schema_;       // The file's: the physical columns but the partition ones ...
  std::vector<size_t> out_column_;  // ... and where each goes in the row.
  std::vector<std::pair<size_t, std::string>> markers_;  // rowNullMarker columns: (column, its ROW).
  FileFormat format_;
  std::vector<std::string> metadata_keys_;
  PartitionValues partition_;
  std::vector<Value> metadata_;  // Per key, this file's value.
  std::vector<std::string> fields_;
  std::vector<bool> quoted_;
};

class FileFactory final : public RowSourceFactory {
 public:
  FileFactory(std::vector<std::string> files, Schema schema, FileFormat format,
              std::map<std::string, PartitionValues> partitions = {})
      : files_(std::move(files)), schema_(std::move(schema)), format_(std::move(format)),
        partitions_(std::move(partitions)) {}
  bool isBounded() const override { return true; }
  Result<std::vector<std::unique_ptr<RowReader>>> create(int subtask, int parallelism, const Clock&) override {
    std::vector<std::unique_ptr<RowReader>> r;
    for (size_t i = 0; i < files_.size(); ++i) {
      if (static_cast<int>(i % static_cast<size_t>(parallelism)) == subtask) {
        r.push_back(std::make_unique<FileReader>(files_[i], schema_, format_, 0, 0, metadata_, partitionOf(files_[i])));
      }
    }
    return r;
  }
  Result<std::vector<std::unique_ptr<RowReader>>> restore(const std::vector<operators::SplitState>& splits,
                                                           const Clock&) override {
    std::vector<std::unique_ptr<RowReader>> r;
    for (const auto& s : splits) {
      size_t colon = s.position.find(':');
      if (colon == std::string::npos) return Status::invalidArgument("not a file position: " + s.position);
      r.push_back(std::make_unique<FileReader>(s.split, schema_, format_, std::stoull(s.position.substr(0, colon)),
                                               std::stoll(s.position.substr(colon + 1)), metadata_,
                                               partitionOf(s.split)));
    }
    return r;
  }
  void applyPartitionFilter(const std::function<bool(const PartitionValues&)>& keep) override {
    if (partitions_.empty()) return;
    std::erase_if(files_, [&](const std::string& file) { return !keep(partitionOf(file)); });
  }
  Status readMetadata(const std::vector<std::string>& keys, const std::vector<LogicalType>& types) override {
    std::string known;
    for (const auto& [k, storage] : kFileMetadata) known += (known.empty() ? "" : ", ") + k;
    for (size_t i = 0; i < keys.size(); ++i) {
      auto it = std::find_if(kFileMetadata.begin(), kFileMetadata.end(), [&](const auto& m) { return m.first == keys[i]; });
      if (it == kFileMetadata.end()) {
        return Status::invalidArgument("invalid metadata key '" + keys[i] +
                                       "': the filesystem connector supports the following metadata keys for "
                                       "reading: " + known);
      }
      if (types[i].storage() != it->second) {
        return Status::invalidArgument("metadata key '" + keys[i] + "' cannot be read as " + types[i].toString());
      }
    }
    metadata_ = keys;
    return Status::ok();
  }

 private:
  PartitionValues partitionOf(const std::string& file) const {
    auto it = partitions_.find(file);
    return it == partitions_.end() ? PartitionValues() : it->second;
  }

  std::vector<std::string> files_;
  Schema schema_;
  FileFormat format_;
  std::map<std::string, PartitionValues> partitions_;  // Of a partitioned table's files.
  std::vector<std::string> metadata_;
};

// The partition values of `file` under `base`: its directories' k=v names, each read as
// its column's type (the default partition is NULL). A file outside some key's
// directory is an error naming it.
Result<PartitionValues> partitionValuesOf(const std::string& table, const std::filesystem::path& base,
                                          const std::filesystem::path& file, const Schema& schema,
                                          const std::vector<std::string>& keys, const std::string& default_name) {
  std::map<std::string, std::string> found;
  std::map<std::string, bool> is_null;
  for (const auto& part : std::filesystem::relative(file.parent_path(), base)) {
    std::string seg = part.string();
    size_t eq = seg.find('=');
    if (eq == std::string::npos) continue;
    std::optional<std::string> v = partitionValue(std::string_view(seg).substr(eq + 1), default_name);
    std::string key = *partitionValue(std::string_view(seg).substr(0, eq));
    found[key] = v.value_or("");
    is_null[key] = !v.has_value();
  }
  PartitionValues values;
  for (const auto& k : keys) {
    size_t col = 0;
    while (col < schema.size() && schema[col].name != k) ++col;
    auto it = found.find(k);
    if (it == found.end()) {
      return Status::invalidArgument("table '" + table + "': file '" + file.string() +
                                     "' is not in a directory of partition column '" + k + "' (" + k + "=...)");
    }
    Column c(schema[col].type.storage());
    if (is_null[k]) {
      c.appendNull();
    } else {
      Status st = appendField(c, it->second, true, schema[col].type, "");
      if (!st.isOk()) {
        return Status::invalidArgument("table '" + table + "': partition directory " + k + "=" + it->second +
                                       " of '" + file.string() + "': " + st.message());
      }
    }
    values.emplace_back(col, valueAt(c, 0));
  }
  return values;
}

// ---- datagen: Flink's random / sequence generator.
struct FieldGen {
  bool sequence = false;
  int64_t start = 0, end = 0;  // sequence
  double min = 0, max = 0;     // random numbers
  int64_t length = 100;        // random strings; elements of a collection (3 by default)
  int64_t max_past = 0;        // random timestamps
  bool has_min = false, has_max = false;
  double null_rate = 0;
  bool var_len = false;  // var-len: a string's (bytes') length drawn from 1 to `length`.
  // An ARRAY's or MULTISET's elements, a MAP's values (`fields.c.element.*`,
  // `fields.c.value.*`) and a MAP's keys (`fields.c.key.*`), as Flink's datagen names them.
  std::shared_ptr<const FieldGen> element, key;
};

class DatagenReader final : public RowReader {
 public:
  DatagenReader(Schema schema, std::vector<FieldGen> gens, int64_t rows, double rate, const Clock& clock,
                int64_t emitted, uint64_t seed)
      : schema_(std::move(schema)), gens_(std::move(gens)), rows_(rows), limiter_(rate, &clock), clock_(&clock),
        emitted_(emitted), rng_(seed) {}
  Status open() override {
    limiter_.start();
    return Status::ok();
  }
  Result<ReadStatus> read(RecordBatch& out, int max_rows) override {
    int64_t want = max_rows;
    if (rows_ >= 0) want = std::min(want, rows_ - emitted_);
    for (const auto& g : gens_) {
      if (g.sequence) want = std::min(want, g.end - g.start + 1 - emitted_);
    }
    if (want <= 0) return ReadStatus::kEndOfInput;
    int64_t n = limiter_.allowance(want);
    if (n == 0) return ReadStatus::kNothingAvailable;
    for (int64_t k = 0; k < n; ++k) {
      for (size_t c = 0; c < schema_.size(); ++c) appendValue(out.columns[c], generate(c));
      out.kinds.push_back(RowKind::kInsert);
      ++emitted_;
    }
    limiter_.emitted(n);
    return ReadStatus::kMoreAvailable;
  }
  Timestamp nextAvailableTime() const override { return limiter_.nextAvailableTime(); }
  Result<operators::SplitState> snapshot() const override {
    return operators::SplitState{"datagen", std::to_string(emitted_)};
  }

 private:
  Value generate(size_t c) {
    if (isRowNullMarker(schema_[c].name)) return Value::ofBool(false);  // Rows are never NULL.
    const FieldGen& g = gens_[c];
    const LogicalType& t = schema_[c].type;
    if (g.sequence) {
      Value v = Value::ofInt(g.start + emitted_);
      if (t.storage() == Storage::kDouble) v = Value::ofDouble(static_cast<double>(g.start + emitted_));
      if (t.isString()) v = Value::ofString(std::to_string(g.start + emitted_));
      if (t.id == TypeId::kDecimal) v = decimalValue(static_cast<Int128>(g.start + emitted_) * powerOfTen128(t.scale), t);
      return v;
    }
    return random(g, t);
  }

  int64_t drawnLength(const FieldGen& g) {
    if (!g.var_len || g.length <= 1) return g.length;
    return std::uniform_int_distribution<int64_t>(1, g.length)(rng_);
  }

  // A random value of `t` under `g`'s options; an ARRAY, MAP or MULTISET gets `length`
  // elements (entries), each drawn by its element's (key's, value's) own options.
  Value random(const FieldGen& g, const LogicalType& t) {
    if (g.null_rate > 0 && std::uniform_real_distribution<double>(0, 1)(rng_) < g.null_rate) return Value();
    switch (t.id) {
      case TypeId::kArray: {
        std::vector<Value> elements;
        for (int64_t i = 0; i < g.length; ++i) elements.push_back(random(*g.element, *t.element));
        return Value::ofString(encodeArray(elements, *t.element));
      }
      case TypeId::kMap: {
        MapEntries m;
        for (int64_t i = 0; i < g.length; ++i) {
          m.keys.push_back(random(*g.key, *t.key));
          m.values.push_back(random(*g.element, *t.element));
        }
        return Value::ofString(encodeMap(m, t));
      }
      case TypeId::kMultiset: {  // `length` elements, each counted 0 to 10 times (Flink's generator).
        MapEntries m;
        for (int64_t i = 0; i < g.length; ++i) {
          m.keys.push_back(random(*g.element, *t.element));
          m.values.push_back(Value::ofInt(std::uniform_int_distribution<int64_t>(0, 10)(rng_)));
        }
        return Value::ofString(encodeMap(m, LogicalType::multisetMap(t)));
      }
      case TypeId::kBoolean: return Value::ofBool(rng_() & 1);
      case TypeId::kTinyInt:
      case TypeId::kSmallInt:
      case TypeId::kInt:
      case TypeId::kBigInt: {
        int64_t lo = g.has_min ? static_cast<int64_t>(g.min) : t.id == TypeId::kTinyInt ? -128 : t.id == TypeId::kSmallInt ? -32768 : t.id == TypeId::kInt ? INT32_MIN : INT64_MIN;
        int64_t hi = g.has_max ? static_cast<int64_t>(g.max) : t.id == TypeId::kTinyInt ? 127 : t.id == TypeId::kSmallInt ? 32767 : t.id == TypeId::kInt ? INT32_MAX : INT64_MAX;
        return Value::ofInt(std::uniform_int_distribution<int64_t>(lo, hi)(rng_));
      }
      case TypeId::kFloat:
      case TypeId::kDouble: {
        double lo = g.has_min ? g.min : -1e6, hi = g.has_max ? g.max : 1e6;
        return Value::ofDouble(std::uniform_real_distribution<double>(lo, hi)(rng_));
      }
      case TypeId::kDecimal: {
        double lo = g.has_min ? g.min : 0, hi = g.has_max ? g.max : 1e6;
        double d = std::uniform_real_distribution<double>(lo, hi)(rng_);
        Value v;
        castValue(Value::ofDouble(d), LogicalType::doubleType(), t, v, nullptr);
        return v;
      }
      case TypeId::kChar:
      case TypeId::kVarchar: {
        static const char kHex[] = "0123456789abcdef";
        std::string s(static_cast<size_t>(drawnLength(g)), ' ');
        for (char& ch : s) ch = kHex[rng_() & 15];
        return Value::ofString(std::move(s));
      }
      case TypeId::kBinary:
      case TypeId::kVarbinary: {  // BINARY(n) fills its n bytes.
        std::string s(static_cast<size_t>(t.id == TypeId::kBinary ? t.precision : drawnLength(g)), '\0');
        for (char& ch : s) ch = static_cast<char>(rng_() & 255);
        return Value::ofString(std::move(s));
      }
      case TypeId::kTimestamp:
      case TypeId::kTimestampLtz: {
        int64_t now = clock_->currentTimeMillis();
        int64_t past = g.max_past > 0 ? std::uniform_int_distribution<int64_t>(0, g.max_past)(rng_) : 0;
        return Value::ofInt(rescaleTimestamp(now - past, 3, t.precision));  // A clock reading: milliseconds.
      }
      case TypeId::kDate: return Value::ofInt(clock_->currentTimeMillis() / 86400000);
      default: return Value::ofInt(0);
    }
  }

  Schema schema_;
  std::vector<FieldGen> gens_;
  int64_t rows_;
  operators::RateLimiter limiter_;
  const Clock* clock_;
  int64_t emitted_;
  std::mt19937_64 rng_;
};

class DatagenFactory final : public RowSourceFactory {
 public:
  DatagenFactory(Schema schema, std::vector<FieldGen> gens, int64_t rows, double rate)
      : schema_(std::move(schema)), gens_(std::move(gens)), rows_(rows), rate_(rate) {}
  bool isBounded() const override {
    if (rows_ >= 0) return true;
    for (const auto& g : gens_) {
      if (g.sequence) return true;
    }
    return false;
  }
  Result<std::vector<std::unique_ptr<RowReader>>> create(int subtask, int parallelism, const Clock& clock) override {
    // Each subtask takes an even share of the rows and of each sequence.
    std::vector<FieldGen> gens = gens_;
    int64_t rows = rows_;
    if (rows >= 0) rows = rows / parallelism + (subtask < rows % parallelism ? 1 : 0);
    for (auto& g : gens) {
      if (!g.sequence) continue;
      int64_t total = g.end - g.start + 1;
      int64_t share = total / parallelism, extra = total % parallelism;
      g.start += subtask * share + std::min<int64_t>(subtask, extra);
      g.end = g.start + share + (subtask < extra ? 1 : 0) - 1;
    }
    std::vector<std::unique_ptr<RowReader>> r;
    r.push_back(std::make_unique<DatagenReader>(schema_, gens, rows, rate_ / parallelism, clock, 0,
                                                0x9e3779b97f4a7c15ULL * static_cast<uint64_t>(subtask + 1)));
    return r;
  }
  Result<std::vector<std::unique_ptr<RowReader>>> restore(const std::vector<operators::SplitState>&,
                                                           const Clock&) override {
    return Status::unimplemented("datagen tables cannot be restored from a checkpoint yet");
  }

 private:
  Schema schema_;
  std::vector<FieldGen> gens_;
  int64_t rows_;
  double rate_;
};

namespace {

// The random options of a value of `t` under prefix `p` (`fields.c.`, and for what a
// collection holds `fields.c.element.`, `fields.c.key.`, `fields.c.value.`), as Flink's
// RandomGeneratorVisitor reads them.
Result<FieldGen> randomField(const std::string& table, const Options& o, const std::string& p, const LogicalType& t) {
  FieldGen g;
  const bool collection = t.id == TypeId::kArray || t.id == TypeId::kMap || t.id == TypeId::kMultiset;
  if (collection) {
    for (const char* scalar : {"min", "max", "max-past"}) {
      if (o.count(p + scalar)) {
        const char* inner = t.id == TypeId::kMap ? "key.' or 'value." : "element.";
        return Status::invalidArgument("table '" + table + "': option '" + p + scalar + "' does not apply to " +
                                       t.plain().withNullable(true).toString() + ": its " +
                                       (t.id == TypeId::kMap ? "keys and values" : "elements") + " take '" + p +
                                       inner + scalar + "'");
      }
    }
  }
  g.has_min = o.count(p + "min") != 0;
  g.has_max = o.count(p + "max") != 0;
  EDDY_ASSIGN_OR_RETURN(g.min, doubleOption(table, o, p + "min", 0));
  EDDY_ASSIGN_OR_RETURN(g.max, doubleOption(table, o, p + "max", 0));
  EDDY_ASSIGN_OR_RETURN(g.length, intOption(table, o, p + "length", collection ? 3 : 100));
  if (o.count(p + "max-past")) {
    if (!parseDurationMillis(o.at(p + "max-past"), &g.max_past)) {
      return Status::invalidArgument("table '" + table + "': option '" + p + "max-past' is not a duration: '" +
                                     o.at(p + "max-past") + "'");
    }
  }
  EDDY_ASSIGN_OR_RETURN(g.null_rate, doubleOption(table, o, p + "null-rate", g.null_rate));
  const std::string var_len = option(o, p + "var-len", "false");
  if (var_len != "true" && var_len != "false") {
    return Status::invalidArgument("table '" + table + "': option '" + p + "var-len' must be 'true' or 'false', not '" +
                                   var_len + "'");
  }
  g.var_len = var_len == "true";
  if (g.var_len && t.id != TypeId::kVarchar && t.id != TypeId::kVarbinary) {
    return Status::invalidArgument("table '" + table + "': option '" + p +
                                   "var-len' applies to variable-length types only (VARCHAR, STRING, VARBINARY, "
                                   "BYTES), not " + t.plain().withNullable(true).toString());
  }
  if (t.id == TypeId::kArray || t.id == TypeId::kMultiset) {
    EDDY_ASSIGN_OR_RETURN(FieldGen element, randomField(table, o, p + "element.", *t.element));
    g.element = std::make_shared<const FieldGen>(std::move(element));
  }
  if (t.id == TypeId::kMap) {
    EDDY_ASSIGN_OR_RETURN(FieldGen key, randomField(table, o, p + "key.", *t.key));
    EDDY_ASSIGN_OR_RETURN(FieldGen value, randomField(table, o, p + "value.", *t.element));
    g.key = std::make_shared<const FieldGen>(std::move(key));
    g.element = std::make_shared<const FieldGen>(std::move(value));
  }
  return g;
}

}  // namespace

Result<std::shared_ptr<RowSourceFactory>> datagen(const std::string& table, const Options& o, const Schema& schema) {
  std::vector<FieldGen> gens;
  for (const auto& c : schema) {
    std::string p = "fields." + c.name + ".";
    std::string kind = option(o, p + "kind", "random");
    if (kind != "sequence" && kind != "random") {
      return Status::invalidArgument("table '" + table + "': option '" + p + "kind' must be 'random' or 'sequence', not '" + kind + "'");
    }
    if (kind == "sequence" && !c.type.isNumeric() && !c.type.isString()) {
      return Status::invalidArgument("table '" + table + "': datagen cannot make a sequence of " +
                                     c.type.toString() + " (field '" + c.name + "')");
    }
    EDDY_ASSIGN_OR_RETURN(FieldGen g, randomField(table, o, p, c.type));
    if (kind == "sequence") {
      g.sequence = true;
      if (!o.count(p + "start") || !o.count(p + "end")) {
        return Status::invalidArgument("table '" + table + "': datagen sequence field '" + c.name +
                                       "' needs options '" + p + "start' and '" + p + "end'");
      }
      EDDY_ASSIGN_OR_RETURN(g.start, intOption(table, o, p + "start", 0));
      EDDY_ASSIGN_OR_RETURN(g.end, intOption(table, o, p + "end", 0));
      for (const char* bound : {"start", "end"}) {  // Flink parses them as the field's type.
        const int64_t v = std::string(bound) == "start" ? g.start : g.end;
        if (c.type.isInteger() && wrapToWidth(v, c.type) != v) {
          return Status::invalidArgument("table '" + table + "': option '" + p + bound + "' is out of the range of " +
                                         c.type.plain().withNullable(true).toString() + ": " + std::to_string(v));
        }
      }
      if (g.start > g.end) {
        return Status::invalidArgument("table '" + table + "': datagen sequence field '" + c.name + "' has its '" + p +
                                       "start' after its '" + p + "end'");
      }
    }
    gens.push_back(g);
  }
  EDDY_ASSIGN_OR_RETURN(int64_t rows, intOption(table, o, "number-of-rows", -1));
  EDDY_ASSIGN_OR_RETURN(int64_t rate, intOption(table, o, "rows-per-second", 10000));
  return std::shared_ptr<RowSourceFactory>(std::make_shared<DatagenFactory>(schema, gens, rows, static_cast<double>(rate)));
}

Result<std::shared_ptr<RowSourceFactory>> filesystem(const std::string& table, const Options& o, const Schema& schema,
                                                      const std::vector<std::string>& partition_keys) {
  std::string path = option(o, "path");
  if (path.empty()) return Status::invalidArgument("table '" + table + "': the filesystem connector needs option 'path'");
  if (path.rfind("file://", 0) == 0) path = path.substr(7);
  std::string format = option(o, "format");
  if (format.empty()) return Status::invalidArgument("table '" + table + "': the filesystem connector needs option 'format' (csv, json or raw)");
  FileFormat f;
  if (format == "json") {
    f.json = true;
    f.ignore_parse_errors = option(o, "json.ignore-parse-errors") == "true";
    f.fail_on_missing_field = option(o, "json.fail-on-missing-field") == "true";
    if (f.ignore_parse_errors && f.fail_on_missing_field) {  // Flink's validation.
      return Status::invalidArgument("table '" + table + "': fail-on-missing-field and ignore-parse-errors shouldn't "
                                     "both be true.");
    }
    // Either standard reads: times are read with a ' ' or a 'T' between date and time.
    const std::string standard = option(o, "json.timestamp-format.standard", "SQL");
    if (standard != "SQL" && standard != "ISO-8601") {
      return Status::invalidArgument("table '" + table + "': Unsupported value '" + standard +
                                     "' for json.timestamp-format.standard. Supported values are [SQL, ISO-8601].");
    }
  } else if (format == "csv") {
    std::string d = option(o, "csv.field-delimiter", ",");
    if (d == "\\t") d = "\t";
    if (d.size() != 1) return Status::invalidArgument("table '" + table + "': option 'csv.field-delimiter' must be one character");
    f.delimiter = d[0];
    std::string q = option(o, "csv.quote-character", "\"");
    if (q.size() == 1) f.quote = q[0];
    if (option(o, "csv.disable-quote-character") == "true") f.quote = '\0';  // No field is quoted.
    if (o.count("csv.escape-character")) {
      const std::string e = o.at("csv.escape-character");
      if (e.size() != 1) {
        return Status::invalidArgument("table '" + table + "': option 'csv.escape-character' must be one character");
      }
      f.escape = e[0];
    }
    f.allow_comments = option(o, "csv.allow-comments") == "true";
    f.ignore_parse_errors = option(o, "csv.ignore-parse-errors") == "true";
    f.null_literal = option(o, "csv.null-literal");
    f.array_delimiter = option(o, "csv.array-element-delimiter", ";");
  } else if (format == "raw") {
    EDDY_RETURN_IF_ERROR(checkRawSchema(table, schema, partition_keys));
    f.raw = true;
    f.raw_charset = option(o, "raw.charset", "UTF-8");
  } else {
    return Status::invalidArgument("table '" + table + "': unsupported format '" + format + "'" +
                                   didYouMean(format, {"csv", "json", "raw"}) + " (supported: csv, json, raw)");
  }
  std::error_code ec;
  std::vector<std::string> files;
  if (std::filesystem::is_directory(path, ec)) {
    for (const auto& e : std::filesystem::recursive_directory_iterator(path, ec)) {
      std::string name = e.path().filename().string();
      if (e.is_regular_file() && !name.empty() && name[0] != '.' && name[0] != '_') files.push_back(e.path().string());
    }
    std::sort(files.begin(), files.end());
  } else if (std::filesystem::exists(path, ec)) {
    files.push_back(path);
  } else {
    return Status::notFound("table '" + table + "': path '" + path + "' does not exist");
  }
  if (o.count("source.path.regex-pattern")) {
    // Flink's filter: the files whose absolute path the pattern matches as a whole.
    const std::string pattern = "^(?:" + o.at("source.path.regex-pattern") + ")$";
    std::vector<std::string> kept;
    for (const std::string& file : files) {
      std::optional<bool> match = regexFind(std::filesystem::absolute(file, ec).string(), pattern);
      if (!match) {
        return Status::invalidArgument("table '" + table + "': option 'source.path.regex-pattern' is not a regular "
                                       "expression: '" + o.at("source.path.regex-pattern") + "'");
      }
      if (*match) kept.push_back(file);
    }
    files = std::move(kept);
  }
  std::map<std::string, PartitionValues> partitions;
  if (!partition_keys.empty()) {
    for (const auto& file : files) {
      EDDY_ASSIGN_OR_RETURN(partitions[file], partitionValuesOf(table, path, file, schema, partition_keys,
                                                                     option(o, "partition.default-name", kDefaultPartitionName)));
    }
  }
  return std::shared_ptr<RowSourceFactory>(std::make_shared<FileFactory>(files, schema, f, std::move(partitions)));
}

}  // namespace

Result<std::shared_ptr<RowSourceFactory>> createSourceFactory(const std::string& table, const Options& options,
                                                              const Schema& physical,
                                                              std::shared_ptr<const ValuesData> values,
                                                              const std::vector<std::string>& partition_keys) {
  std::string connector = option(options, "connector");
  if (connector == "values") {
    if (values == nullptr) values = std::make_shared<ValuesData>();
    return std::shared_ptr<RowSourceFactory>(std::make_shared<ValuesFactory>(values, physical));
  }
  if (connector == "filesystem") return filesystem(table, options, physical, partition_keys);
  if (connector == "datagen") return datagen(table, options, physical);
  if (connector == "nexmark") return nexmarkSource(table, options, physical);
  if (connector.empty()) return Status::invalidArgument("table '" + table + "' has no 'connector' option");
  return Status::invalidArgument("table '" + table + "': connector '" + connector +
                                 "' cannot be read (sources: filesystem, datagen, nexmark, values)");
}

}  // namespace eddy::sql
