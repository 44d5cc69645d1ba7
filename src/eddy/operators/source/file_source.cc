#include "eddy/operators/source/file_source.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace eddy::operators {

namespace {
constexpr size_t kChunk = 1 << 20;
}

LineReader::~LineReader() {
  if (file_ != nullptr) std::fclose(file_);
}

Status LineReader::open() {
  file_ = std::fopen(path_.c_str(), "rb");
  if (file_ == nullptr) {
    int err = errno;
    if (err == ENOENT) return Status::notFound(path_ + ": no such file");
    return Status::unavailable(path_ + ": cannot open: " + std::strerror(err));
  }
  return Status::ok();
}

Result<bool> LineReader::next(std::string_view* line) {
  while (true) {
    size_t nl = buffer_.find('\n', pos_);
    if (nl != std::string::npos || eof_) {
      if (nl == std::string::npos) {
        if (pos_ >= buffer_.size()) return false;
        nl = buffer_.size();
      }
      std::string_view l(buffer_.data() + pos_, nl - pos_);
      if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
      pos_ = nl + 1;
      ++line_number_;
      *line = l;
      return true;
    }
    buffer_.erase(0, pos_);
    pos_ = 0;
    size_t old = buffer_.size();
    buffer_.resize(old + kChunk);
    size_t got = std::fread(buffer_.data() + old, 1, kChunk, file_);
    buffer_.resize(old + got);
    if (got < kChunk) {
      if (std::ferror(file_)) return Status::unavailable(path_ + ": read error: " + std::strerror(errno));
      eof_ = true;
    }
  }
}

Result<std::vector<std::string>> listInputFiles(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> in_dir;
      for (const auto& entry : fs::directory_iterator(p, ec)) {
        std::string name = entry.path().filename().string();
        if (entry.is_regular_file() && !name.empty() && name[0] != '.' && name[0] != '_') {
          in_dir.push_back(entry.path().string());
        }
      }
      std::sort(in_dir.begin(), in_dir.end());
      files.insert(files.end(), in_dir.begin(), in_dir.end());
    } else if (fs::exists(p, ec)) {
      files.push_back(p);
    } else {
      return Status::notFound(p + ": no such file or directory");
    }
  }
  return files;
}

}  // namespace eddy::operators
