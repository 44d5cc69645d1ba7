#include "eddy/operators/part_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <stdexcept>

namespace eddy::operators {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what, int err) {
  throw std::runtime_error(path + ": " + what + ": " + std::strerror(err));
}

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// A rename or unlink in a directory survives a crash of the machine only once the
// directory itself is synced.
void syncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) fail(dir, "cannot open the directory to sync it", errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) fail(dir, "cannot sync the directory", err);
}

// The subtask in a part's name `<prefix>-<attempt>-<subtask>-<counter><suffix>` (attempt
// ids are hex, without dashes); -1 when the name is not of that shape.
int subtaskOf(const std::string& name, const std::string& prefix) {
  if (name.size() <= prefix.size() + 1) return -1;
  const size_t attempt_end = name.find('-', prefix.size() + 1);
  if (attempt_end == std::string::npos) return -1;
  const size_t subtask_end = name.find('-', attempt_end + 1);
  if (subtask_end == std::string::npos || subtask_end == attempt_end + 1) return -1;
  int subtask = 0;
  for (size_t i = attempt_end + 1; i < subtask_end; ++i) {
    if (name[i] < '0' || name[i] > '9') return -1;
    subtask = subtask * 10 + (name[i] - '0');
  }
  return subtask;
}

}  // namespace

PartFileWriter::PartFileWriter(std::string dir, OutputFileConfig config, std::string attempt_id, int subtask,
                               uint64_t max_part_bytes)
    : dir_(std::move(dir)), config_(std::move(config)), attempt_id_(std::move(attempt_id)), subtask_(subtask),
      max_part_bytes_(max_part_bytes) {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) throw std::runtime_error(dir_ + ": cannot create the output directory: " + ec.message());
  if (!std::filesystem::is_directory(dir_)) throw std::runtime_error(dir_ + ": the output path is not a directory");
}

PartFileWriter::~PartFileWriter() {
  if (file_ != nullptr) std::fclose(file_);
}

std::string PartFileWriter::hidden(const std::string& name, const char* state) const {
  return dir_ + "/." + name + "." + state;
}

void PartFileWriter::write(FileTransaction& txn, std::string_view bytes) {
  const int64_t now = now_ ? now_() : 0;
  if (file_ != nullptr && now_ &&
      ((rollover_ms_ > 0 && now - opened_at_ >= rollover_ms_) ||
       (inactivity_ms_ > 0 && now - written_at_ >= inactivity_ms_))) {
    finishCurrent(txn.parts.back());
  }
  written_at_ = now;
  if (file_ == nullptr) {
    opened_at_ = now;
    std::string name = config_.part_prefix + "-" + attempt_id_ + "-" + std::to_string(subtask_) + "-" +
                       std::to_string(counter_++) + config_.part_suffix;
    std::string path = hidden(name, "inprogress");
    file_ = std::fopen(path.c_str(), "wb");
    if (file_ == nullptr) fail(path, "cannot open for writing", errno);
    txn.parts.push_back(std::move(name));
    file_bytes_ = 0;
  }
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
    fail(hidden(txn.parts.back(), "inprogress"), "write failed", errno);
  }
  file_bytes_ += bytes.size();
  if (max_part_bytes_ > 0 && file_bytes_ >= max_part_bytes_) finishCurrent(txn.parts.back());
}

void PartFileWriter::finishCurrent(const std::string& name) {
  std::FILE* f = file_;
  file_ = nullptr;
  const std::string in_progress = hidden(name, "inprogress");
  // Pending means durable: a crash after the checkpoint must not lose the part.
  bool ok = std::fflush(f) == 0 && ::fsync(::fileno(f)) == 0;
  int err = errno;
  if (std::fclose(f) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (!ok) fail(in_progress, "cannot write the in-progress part file", err);
  if (std::rename(in_progress.c_str(), hidden(name, "pending").c_str()) != 0) {
    fail(in_progress, "cannot rename to pending", errno);
  }
}

void PartFileWriter::preCommit(FileTransaction& txn) {
  if (file_ == nullptr) return;  // Nothing in progress: every part is pending already.
  finishCurrent(txn.parts.back());
}

void PartFileWriter::commit(const FileTransaction& txn) {
  if (txn.parts.empty()) return;
  if (replace_) {
    replace_ = false;
    removeOthers();
  }
  for (const std::string& name : txn.parts) {
    std::string pending = hidden(name, "pending");
    std::string finished = dir_ + "/" + name;
    if (std::rename(pending.c_str(), finished.c_str()) == 0) continue;
    int err = errno;
    if (err == ENOENT && std::filesystem::exists(finished)) continue;  // Committed before.
    fail(pending, "cannot commit the part file", err);
  }
  syncDirectory(dir_);
}

void PartFileWriter::removeOthers() {
  const std::string mine = "-" + attempt_id_ + "-";
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name[0] == '.' || name[0] == '_' || !entry.is_regular_file()) continue;
    if (name.find(mine) != std::string::npos) continue;
    if (std::remove(entry.path().c_str()) != 0 && errno != ENOENT) {
      fail(entry.path().string(), "cannot delete the file INSERT OVERWRITE replaces", errno);
    }
  }
  if (ec) fail(dir_, "cannot list the directory INSERT OVERWRITE replaces: " + ec.message(), 0);
}

void PartFileWriter::abort(FileTransaction& txn) {
  if (file_ != nullptr) {
    std::fclose(file_);
    file_ = nullptr;
  }
  for (const std::string& name : txn.parts) {
    std::remove(hidden(name, "inprogress").c_str());
    std::remove(hidden(name, "pending").c_str());
  }
  txn.parts.clear();
}

void PartFileWriter::removeLeftovers(const std::vector<FileTransaction>& known, bool only_this_subtask) {
  std::set<std::string> names;
  for (const FileTransaction& t : known) names.insert(t.parts.begin(), t.parts.end());
  const std::string mine = config_.part_prefix + "-" + attempt_id_ + "-";
  const std::string ours = "." + config_.part_prefix + "-";
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    std::string file = entry.path().filename().string();
    if (file.rfind(ours, 0) != 0) continue;
    std::string name;
    if (endsWith(file, ".inprogress")) {
      name = file.substr(1, file.size() - 1 - std::strlen(".inprogress"));
    } else if (endsWith(file, ".pending")) {
      name = file.substr(1, file.size() - 1 - std::strlen(".pending"));
    } else {
      continue;
    }
    if (names.count(name) != 0 || name.rfind(mine, 0) == 0) continue;
    if (only_this_subtask && subtaskOf(name, config_.part_prefix) != subtask_) continue;
    std::filesystem::remove(entry.path(), ec);
  }
}

}  // namespace eddy::operators
