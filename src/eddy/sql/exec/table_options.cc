#include "eddy/sql/exec/table_options.h"

#include <cstring>
#include <set>

#include "eddy/sql/parser/sql_error.h"

namespace eddy::sql {
namespace {

const std::set<std::string> kFilesystem = {
    "connector", "path", "format", "partition.default-name", "source.monitor-interval",
    "source.path.regex-pattern", "source.report-statistics", "sink.parallelism", "sink.shuffle-by-partition.enable",
    "sink.rolling-policy.file-size", "sink.rolling-policy.rollover-interval", "sink.rolling-policy.check-interval",
    "sink.rolling-policy.inactivity-interval", "sink.partition-commit.trigger", "sink.partition-commit.delay",
    "sink.partition-commit.watermark-time-zone", "sink.partition-commit.policy.kind",
    "sink.partition-commit.policy.class", "sink.partition-commit.policy.class.parameters",
    "sink.partition-commit.success-file.name", "partition.time-extractor.kind", "partition.time-extractor.class",
    "partition.time-extractor.timestamp-pattern", "partition.time-extractor.timestamp-formatter", "auto-compaction",
    "compaction.file-size"};
const std::set<std::string> kCsv = {
    "csv.field-delimiter", "csv.disable-quote-character", "csv.quote-character", "csv.allow-comments",
    "csv.ignore-parse-errors", "csv.array-element-delimiter", "csv.escape-character", "csv.null-literal",
    "csv.write-bigdecimal-in-scientific-notation"};
const std::set<std::string> kJson = {
    "json.fail-on-missing-field", "json.ignore-parse-errors", "json.timestamp-format.standard",
    "json.map-null-key.mode", "json.map-null-key.literal", "json.encode.decimal-as-plain-number",
    "json.encode.ignore-null-fields", "json.decode.json-parser.enabled"};
const std::set<std::string> kRaw = {"raw.charset", "raw.endianness"};
const std::set<std::string> kDatagen = {"connector", "rows-per-second", "number-of-rows", "scan.parallelism"};
const std::set<std::string> kDatagenField = {"kind", "min", "max", "max-past", "length", "var-len", "start", "end",
                                             "null-rate"};
const std::set<std::string> kPrint = {"connector", "print-identifier", "standard-error", "sink.parallelism"};
const std::set<std::string> kBlackhole = {"connector"};

// `fields.c.element.length`, `fields.m.key.min`, `fields.m.value.element.max`, ...: an
// option of what column c's collection holds (the datagen factory checks it suits the
// column's type).
bool datagenNestedOption(const std::string& key, const std::vector<std::string>& columns) {
  for (const std::string& c : columns) {
    const std::string prefix = "fields." + c + ".";
    if (key.rfind(prefix, 0) != 0) continue;
    std::string rest = key.substr(prefix.size());
    bool nested = false;
    for (bool stripped = true; stripped;) {
      stripped = false;
      for (const char* part : {"element.", "key.", "value."}) {
        if (rest.rfind(part, 0) == 0) {
          rest = rest.substr(std::strlen(part));
          nested = stripped = true;
        }
      }
    }
    if (nested && rest != "kind" && rest != "start" && rest != "end" && kDatagenField.count(rest)) return true;
  }
  return false;
}

}  // namespace

Status validateTableOptions(const std::string& table, const std::map<std::string, std::string>& options,
                            const std::vector<std::string>& columns) {
  auto it = options.find("connector");
  const std::string connector = it == options.end() ? "" : it->second;
  std::set<std::string> known;
  if (connector == "filesystem") {
    known = kFilesystem;
    static const std::map<std::string, const std::set<std::string>*> kFormats = {
        {"csv", &kCsv}, {"json", &kJson}, {"raw", &kRaw}};
    auto format = options.find("format");
    if (format != options.end()) {
      auto f = kFormats.find(format->second);
      // An unknown format is reported as such when the table is used, not as its options.
      if (f == kFormats.end()) return Status::ok();
      known.insert(f->second->begin(), f->second->end());
    }
  } else if (connector == "datagen") {
    known = kDatagen;
    for (const std::string& c : columns) {
      for (const std::string& f : kDatagenField) known.insert("fields." + c + "." + f);
    }
  } else if (connector == "print") {
    known = kPrint;
  } else if (connector == "blackhole") {
    known = kBlackhole;
  } else {
    return Status::ok();  // values, nexmark, or a connector refused elsewhere.
  }
  if (options.count("datastream.id")) return Status::ok();  // A fromDataStream table's own.
  const std::vector<std::string> candidates(known.begin(), known.end());
  for (const auto& [key, value] : options) {
    if (known.count(key)) continue;
    if (connector == "datagen" && datagenNestedOption(key, columns)) continue;
    return Status::invalidArgument("Unsupported option '" + key + "' for table '" + table + "' (connector '" +
                                   connector + "')" + didYouMean(key, candidates));
  }
  return Status::ok();
}

}  // namespace eddy::sql
