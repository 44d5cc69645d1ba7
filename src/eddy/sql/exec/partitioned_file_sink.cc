#include "eddy/sql/exec/partitioned_file_sink.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "eddy/sql/exec/connector_options.h"

namespace eddy::sql {
namespace {


// Hive's escapePathName set: what cannot stand in a directory name as it is.
bool needsEscape(unsigned char c) {
  if (c < 0x20 || c == 0x7F) return true;
  switch (c) {
    case '"': case '#': case '%': case '\'': case '*': case '/': case ':': case '=': case '?': case '\\':
    case '{': case '[': case ']': case '^':
      return true;
    default: return false;
  }
}

std::string escape(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (!needsEscape(c)) {
      out += ch;
      continue;
    }
    out += '%';
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string partitionPath(const std::vector<std::string>& keys, const std::vector<Value>& values,
                          const std::vector<LogicalType>& types, const std::string& default_name) {
  std::string path;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i > 0) path += '/';
    path += escape(keys[i]) + "=";
    std::string text = values[i].null ? "" : formatValue(values[i], types[i]);
    path += text.empty() ? default_name : escape(text);  // Flink: NULL and '' alike.
  }
  return path;
}

std::optional<std::string> partitionValue(std::string_view escaped, const std::string& default_name) {
  if (escaped == default_name) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < escaped.size(); ++i) {
    if (escaped[i] == '%' && i + 2 < escaped.size()) {
      int hi = hexDigit(escaped[i + 1]), lo = hexDigit(escaped[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += escaped[i];
  }
  return out;
}

void PartitionedTransaction::serialize(DataOutputView& out) const {
  out.writeVarint(partitions.size());
  for (const auto& [dir, txn] : partitions) {
    out.writeString(dir);
    txn.serialize(out);
  }
}

Result<PartitionedTransaction> PartitionedTransaction::deserialize(DataInputView& in) {
  PartitionedTransaction t;
  EDDY_ASSIGN_OR_RETURN(uint64_t n, in.readVarint());
  for (uint64_t i = 0; i < n; ++i) {
    EDDY_ASSIGN_OR_RETURN(std::string dir, in.readString());
    EDDY_ASSIGN_OR_RETURN(operators::FileTransaction txn, operators::FileTransaction::deserialize(in));
    t.partitions.emplace(std::move(dir), std::move(txn));
  }
  return t;
}

Result<PartitionCommit> partitionCommitOptions(const std::string& table,
                                               const std::map<std::string, std::string>& options) {
  auto option = [&](const std::string& key, const std::string& otherwise) {
    auto it = options.find(key);
    return it == options.end() ? otherwise : it->second;
  };
  auto unsupported = [&](const std::string& key, const std::string& why) {
    return Status::invalidArgument("table '" + table + "': option '" + key + "' = '" + option(key, "") + "': " + why);
  };
  PartitionCommit commit;
  commit.default_name = option("partition.default-name", kDefaultPartitionName);
  if (commit.default_name.empty()) return unsupported("partition.default-name", "a name is needed");
  const std::string trigger = option("sink.partition-commit.trigger", "process-time");
  if (trigger != "process-time" && trigger != "partition-time") {
    return unsupported("sink.partition-commit.trigger", "one of 'process-time' and 'partition-time'");
  }
  commit.partition_time = trigger == "partition-time";
  if (!parseDurationMillis(option("sink.partition-commit.delay", "0 s"), &commit.delay_ms) || commit.delay_ms < 0) {
    return unsupported("sink.partition-commit.delay", "not a duration");
  }
  const std::string extractor = option("partition.time-extractor.kind", "default");
  if (extractor != "default") {
    return unsupported("partition.time-extractor.kind", "only 'default' is supported (no custom extractor class)");
  }
  commit.timestamp_pattern = option("partition.time-extractor.timestamp-pattern", "");
  commit.timestamp_formatter = option("partition.time-extractor.timestamp-formatter", commit.timestamp_formatter);
  auto zone = TimeZone::of(option("sink.partition-commit.watermark-time-zone", "UTC"));
  if (!zone.isOk()) return unsupported("sink.partition-commit.watermark-time-zone", zone.status().message());
  commit.watermark_zone = *zone;
  const std::string kinds = option("sink.partition-commit.policy.kind", "");
  bool success_file = false;
  for (size_t start = 0; !kinds.empty() && start <= kinds.size();) {
    const size_t comma = kinds.find(',', start);
    std::string kind = kinds.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    kind.erase(0, kind.find_first_not_of(' '));
    kind.erase(kind.find_last_not_of(' ') + 1);
    if (kind != "success-file") {
      return unsupported("sink.partition-commit.policy.kind",
                         "'" + kind + "' is not supported ('success-file' is; there is no Hive metastore)");
    }
    success_file = true;
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (!success_file) return commit;
  commit.success_file = option("sink.partition-commit.success-file.name", "_SUCCESS");
  if (commit.success_file.empty() || commit.success_file.find('/') != std::string::npos) {
    return unsupported("sink.partition-commit.success-file.name", "a file name is needed");
  }
  return commit;
}

namespace {

// `text` read with a java.time-style `pattern` of digit fields (yyyy, MM, dd, HH, mm,
// ss, SSS) and literal characters, as local milliseconds.
bool parseWithPattern(const std::string& text, const std::string& pattern, int64_t& millis) {
  int64_t year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, ms = 0;
  size_t t = 0;
  for (size_t p = 0; p < pattern.size();) {
    const char c = pattern[p];
    size_t run = 1;
    while (p + run < pattern.size() && pattern[p + run] == c) ++run;
    if (std::string("yMdHmsS").find(c) == std::string::npos) {
      for (size_t i = 0; i < run; ++i, ++t) {
        if (t >= text.size() || text[t] != c) return false;
      }
      p += run;
      continue;
    }
    int64_t v = 0;
    size_t digits = 0;
    while (digits < run && t < text.size() && std::isdigit(static_cast<unsigned char>(text[t]))) {
      v = v * 10 + (text[t++] - '0');
      ++digits;
    }
    if (digits == 0) return false;
    (c == 'y' ? year : c == 'M' ? month : c == 'd' ? day : c == 'H' ? hour : c == 'm' ? minute : c == 's' ? second : ms) = v;
    p += run;
  }
  if (t != text.size() || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    return false;
  }
  millis = daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400000 +
           ((hour * 60 + minute) * 60 + second) * 1000 + ms;
  return true;
}

}  // namespace

Result<int64_t> PartitionCommit::partitionTime(const std::vector<std::string>& keys, const std::string& dir) const {
  // The directory's values by key.
  std::map<std::string, std::string> values;
  for (size_t start = 0; start < dir.size();) {
    size_t slash = dir.find('/', start);
    if (slash == std::string::npos) slash = dir.size();
    const std::string part = dir.substr(start, slash - start);
    const size_t eq = part.find('=');
    if (eq != std::string::npos) values[part.substr(0, eq)] = partitionValue(part.substr(eq + 1), default_name).value_or("");
    start = slash + 1;
  }
  std::string text;
  if (timestamp_pattern.empty()) {
    text = keys.empty() ? "" : values[keys[0]];
  } else {
    text = timestamp_pattern;
    std::vector<std::string> by_length = keys;  // $hour before $h: longer names first.
    std::sort(by_length.begin(), by_length.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
    for (const std::string& k : by_length) {
      for (size_t at = text.find("$" + k); at != std::string::npos; at = text.find("$" + k, at)) {
        text.replace(at, k.size() + 1, values[k]);
        at += values[k].size();
      }
    }
  }
  int64_t local = 0;
  int64_t days = 0;
  bool ok = parseWithPattern(text, timestamp_formatter, local);
  if (!ok && timestamp_formatter == "yyyy-MM-dd HH:mm:ss") {
    ok = parseTimestamp(text, local);
    if (!ok && parseDate(text, days)) {
      local = days * 86400000;
      ok = true;
    }
  }
  if (!ok) {
    return Status::invalidArgument("partition '" + dir + "': its time '" + text + "' does not match the pattern '" +
                                   timestamp_formatter + "' (partition.time-extractor.timestamp-formatter)");
  }
  return watermark_zone.toUtc(local);
}

PartitionedFileSink::PartitionedFileSink(std::string path, std::vector<int> partition_columns,
                                         std::vector<std::string> partition_keys, std::vector<LogicalType> types,
                                         BatchEncoder encode, PartitionCommit commit, bool overwrite,
                                         RollingPolicy rolling)
    : path_(std::move(path)), partition_columns_(std::move(partition_columns)),
      partition_keys_(std::move(partition_keys)), types_(std::move(types)), encode_(std::move(encode)),
      commit_(std::move(commit)), overwrite_(overwrite), rolling_(rolling) {
  for (int c = 0; c < static_cast<int>(types_.size()); ++c) {
    if (std::find(partition_columns_.begin(), partition_columns_.end(), c) == partition_columns_.end()) {
      data_columns_.push_back(c);
    }
  }
}

// Each subtask gets its own copy before it starts; writers are made per subtask.
PartitionedFileSink::PartitionedFileSink(const PartitionedFileSink& o)
    : path_(o.path_), partition_columns_(o.partition_columns_), partition_keys_(o.partition_keys_), types_(o.types_),
      data_columns_(o.data_columns_), encode_(o.encode_), commit_(o.commit_), overwrite_(o.overwrite_),
      rolling_(o.rolling_) {}

void PartitionedFileSink::open() {
  std::error_code ec;
  std::filesystem::create_directories(path_, ec);  // The table exists even if no row comes.
  if (ec) throw std::runtime_error("filesystem sink '" + path_ + "': " + ec.message());
}

void PartitionedFileSink::invoke(PartitionedTransaction& txn, const RecordBatch& batch, const Context&) {
  // Rows by partition, each partition's rows in order.
  std::map<std::string, std::vector<uint32_t>> rows;
  std::vector<LogicalType> key_types;
  for (int c : partition_columns_) key_types.push_back(types_[static_cast<size_t>(c)]);
  std::vector<Value> key(partition_columns_.size());
  for (size_t r = 0; r < batch.size(); ++r) {
    for (size_t k = 0; k < partition_columns_.size(); ++k) {
      key[k] = valueAt(batch.columns[static_cast<size_t>(partition_columns_[k])], r);
    }
    rows[partitionPath(partition_keys_, key, key_types, commit_.default_name)].push_back(static_cast<uint32_t>(r));
  }
  std::string line;
  for (const auto& [dir, selected] : rows) {
    RecordBatch data;
    for (int c : data_columns_) data.columns.emplace_back(batch.columns[static_cast<size_t>(c)].storage);
    for (uint32_t r : selected) {
      for (size_t i = 0; i < data_columns_.size(); ++i) {
        data.columns[i].appendFrom(batch.columns[static_cast<size_t>(data_columns_[i])], r);
      }
      data.kinds.push_back(batch.kinds[r]);
    }
    line = encode_(data);
    line += '\n';
    writer(dir).write(txn.partitions[dir], line);
  }
}

void PartitionedFileSink::preCommit(PartitionedTransaction& txn) {
  for (auto& [dir, t] : txn.partitions) writer(dir).preCommit(t);
}

void PartitionedFileSink::commit(PartitionedTransaction& txn) {
  for (auto& [dir, t] : txn.partitions) {
    writer(dir).commit(t);
    if (commit_.success_file.empty() || unmarked_.count(dir)) continue;
    // When its trigger fires: past its partition time, or its first commit, + the delay.
    Timestamp since = 0;
    if (commit_.partition_time) {
      Result<int64_t> time = commit_.partitionTime(partition_keys_, dir);
      if (!time.isOk()) throw std::runtime_error("filesystem sink '" + path_ + "': " + time.status().message());
      since = *time;
    } else {
      since = getRuntimeContext().getCurrentProcessingTime();
    }
    unmarked_.emplace(dir, since + commit_.delay_ms);
  }
  markReady();
}

void PartitionedFileSink::writeWatermark(Timestamp watermark) {
  watermark_ = std::max(watermark_, watermark);
  markReady();
}

void PartitionedFileSink::markReady() {
  const Timestamp now = unmarked_.empty() ? 0 : getRuntimeContext().getCurrentProcessingTime();
  for (auto it = unmarked_.begin(); it != unmarked_.end();) {
    const std::string& dir = it->first;
    const Timestamp after = it->second;
    const bool ready = watermark_ == INT64_MAX  // The input ended: every partition is done.
                       || (commit_.partition_time ? watermark_ > after : commit_.delay_ms == 0 || now > after);
    if (!ready) {
      ++it;
      continue;
    }
    // The success-file policy: an empty file marks the partition as committed.
    const std::string marker = path_ + "/" + dir + "/" + commit_.success_file;
    std::FILE* f = std::fopen(marker.c_str(), "a");
    if (f == nullptr || std::fclose(f) != 0) {
      throw std::runtime_error("filesystem sink: cannot write the success file " + marker + ": " + std::strerror(errno));
    }
    it = unmarked_.erase(it);
  }
}

void PartitionedFileSink::abort(PartitionedTransaction& txn) {
  for (auto& [dir, t] : txn.partitions) writer(dir).abort(t);
}

void PartitionedFileSink::finishRecoveringContext(const std::vector<PartitionedTransaction>& known) {
  // Every partition directory may hold a failed attempt's hidden parts.
  std::map<std::string, std::vector<operators::FileTransaction>> by_dir;
  for (const auto& t : known) {
    for (const auto& [dir, txn] : t.partitions) by_dir[dir].push_back(txn);
  }
  std::error_code ec;
  std::vector<std::string> dirs;
  for (const auto& e : std::filesystem::recursive_directory_iterator(path_, ec)) {
    if (e.is_directory()) dirs.push_back(std::filesystem::relative(e.path(), path_).string());
  }
  const bool alone = this->getRuntimeContext().isRegionRestart();
  for (const auto& dir : dirs) writer(dir).removeLeftovers(by_dir[dir], alone);
}

operators::PartFileWriter& PartitionedFileSink::writer(const std::string& partition) {
  auto& w = writers_[partition];
  if (!w) {
    auto& rc = this->getRuntimeContext();
    w = std::make_unique<operators::PartFileWriter>(path_ + "/" + partition, operators::OutputFileConfig{},
                                                    rc.getAttemptId(), rc.getIndexOfThisSubtask(),
                                                    rolling_.file_size);
    if (overwrite_) w->replaceOnFirstCommit();
    w->rollByTime(rolling_.rollover_ms, rolling_.inactivity_ms, [&rc] { return rc.getCurrentProcessingTime(); });
  }
  return *w;
}

}  // namespace eddy::sql
