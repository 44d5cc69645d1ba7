#include "eddy/sql/exec/partitioned_file_sink.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "eddy/sql/exec/connector_options.h"

namespace eddy::sql {
namespace {

constexpr const char* kDefaultPartition = "__DEFAULT_PARTITION__";

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
                          const std::vector<LogicalType>& types) {
  std::string path;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i > 0) path += '/';
    path += escape(keys[i]) + "=";
    std::string text = values[i].null ? "" : formatValue(values[i], types[i]);
    path += text.empty() ? kDefaultPartition : escape(text);  // Flink: NULL and '' alike.
  }
  return path;
}

std::optional<std::string> partitionValue(std::string_view escaped) {
  if (escaped == kDefaultPartition) return std::nullopt;
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

Result<std::string> partitionCommitSuccessFile(const std::string& table,
                                               const std::map<std::string, std::string>& options) {
  auto option = [&](const std::string& key, const std::string& otherwise) {
    auto it = options.find(key);
    return it == options.end() ? otherwise : it->second;
  };
  auto unsupported = [&](const std::string& key, const std::string& why) {
    return Status::invalidArgument("table '" + table + "': option '" + key + "' = '" + option(key, "") + "': " + why);
  };
  const std::string trigger = option("sink.partition-commit.trigger", "process-time");
  if (trigger != "process-time") {
    return unsupported("sink.partition-commit.trigger",
                       "only 'process-time' is supported (a partition commits with the checkpoint of its files)");
  }
  int64_t delay = 0;
  if (!parseDurationMillis(option("sink.partition-commit.delay", "0 s"), &delay)) {
    return unsupported("sink.partition-commit.delay", "not a duration");
  }
  if (delay != 0) {
    return unsupported("sink.partition-commit.delay",
                       "only 0 is supported (a partition commits with the checkpoint of its files)");
  }
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
  if (!success_file) return std::string();
  const std::string name = option("sink.partition-commit.success-file.name", "_SUCCESS");
  if (name.empty() || name.find('/') != std::string::npos) {
    return unsupported("sink.partition-commit.success-file.name", "a file name is needed");
  }
  return name;
}

PartitionedFileSink::PartitionedFileSink(std::string path, std::vector<int> partition_columns,
                                         std::vector<std::string> partition_keys, std::vector<LogicalType> types,
                                         BatchEncoder encode, std::string success_file, bool overwrite)
    : path_(std::move(path)), partition_columns_(std::move(partition_columns)),
      partition_keys_(std::move(partition_keys)), types_(std::move(types)), encode_(std::move(encode)),
      success_file_(std::move(success_file)), overwrite_(overwrite) {
  for (int c = 0; c < static_cast<int>(types_.size()); ++c) {
    if (std::find(partition_columns_.begin(), partition_columns_.end(), c) == partition_columns_.end()) {
      data_columns_.push_back(c);
    }
  }
}

// Each subtask gets its own copy before it starts; writers are made per subtask.
PartitionedFileSink::PartitionedFileSink(const PartitionedFileSink& o)
    : path_(o.path_), partition_columns_(o.partition_columns_), partition_keys_(o.partition_keys_), types_(o.types_),
      data_columns_(o.data_columns_), encode_(o.encode_), success_file_(o.success_file_), overwrite_(o.overwrite_) {}

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
    rows[partitionPath(partition_keys_, key, key_types)].push_back(static_cast<uint32_t>(r));
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
    if (success_file_.empty()) continue;
    // The success-file policy: an empty file marks the partition as committed.
    const std::string marker = path_ + "/" + dir + "/" + success_file_;
    std::FILE* f = std::fopen(marker.c_str(), "a");
    if (f == nullptr || std::fclose(f) != 0) {
      throw std::runtime_error("filesystem sink: cannot write the success file " + marker + ": " + std::strerror(errno));
    }
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
                                                    rc.getAttemptId(), rc.getIndexOfThisSubtask(), 128ull << 20);
    if (overwrite_) w->replaceOnFirstCommit();
  }
  return *w;
}

}  // namespace eddy::sql
