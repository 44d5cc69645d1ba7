#include "eddy/operators/source/file_source.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace eddy::operators {

namespace {
constexpr size_t kChunk = 1 << 20;
constexpr size_t kCountChunk = 1 << 16;  // For counting the lines before a range.
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
  if (resume_) {
    // A checkpointed position: the start of a line, whose number is known.
    if (std::fseek(file_, static_cast<long>(start_), SEEK_SET) != 0) {
      return Status::unavailable(path_ + ": cannot seek to byte " + std::to_string(start_));
    }
    buffer_offset_ = start_;
    return Status::ok();
  }
  if (start_ == 0) return Status::ok();
  // Count the lines before the range, so errors name the line of the file; then keep
  // the byte before `start` in the buffer to tell whether a line starts at `start`.
  uint64_t newlines = 0;
  uint64_t read_so_far = 0;
  std::string chunk(std::min<uint64_t>(kCountChunk, start_), '\0');
  while (read_so_far < start_ - 1) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(chunk.size(), start_ - 1 - read_so_far));
    size_t got = std::fread(chunk.data(), 1, want, file_);
    newlines += static_cast<uint64_t>(std::count(chunk.data(), chunk.data() + got, '\n'));
    read_so_far += got;
    if (got < want) break;  // The file is shorter than the range start: nothing to read.
  }
  buffer_offset_ = read_so_far;
  EDDY_ASSIGN_OR_RETURN(bool more, fill());
  if (!more) return Status::ok();
  if (buffer_[0] == '\n') {
    ++newlines;
    pos_ = 1;  // A line starts exactly at `start`: it is ours.
  } else {
    // We start inside a line; it belongs to the previous range.
    std::string_view partial;
    line_number_ = static_cast<int64_t>(newlines);
    EDDY_RETURN_IF_ERROR(next(&partial).status());
    newlines = static_cast<uint64_t>(line_number_);
  }
  line_number_ = static_cast<int64_t>(newlines);
  return Status::ok();
}

Result<bool> LineReader::fill() {
  buffer_offset_ += pos_;
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
  return !buffer_.empty();
}

Result<bool> LineReader::next(std::string_view* line) {
  while (true) {
    // A line belongs to the range holding its first byte.
    if (buffer_offset_ + pos_ >= end_) return false;
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
    EDDY_RETURN_IF_ERROR(fill().status());
  }
}

Result<std::vector<FileSplit>> fileSplits(const std::vector<std::string>& files, uint64_t split_size) {
  std::vector<FileSplit> splits;
  for (const std::string& f : files) {
    std::error_code ec;
    uint64_t size = std::filesystem::file_size(f, ec);
    if (ec) return Status::notFound(f + ": cannot read its size: " + ec.message());
    if (size <= split_size) {
      splits.push_back(FileSplit{f, 0, LineReader::kToEnd});
      continue;
    }
    for (uint64_t start = 0; start < size; start += split_size) {
      uint64_t end = start + split_size >= size ? LineReader::kToEnd : start + split_size;
      splits.push_back(FileSplit{f, start, end});
    }
  }
  return splits;
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
