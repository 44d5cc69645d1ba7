#pragma once

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "eddy/operators/source/csv_row.h"
#include "eddy/operators/source/rate_limiter.h"
#include "eddy/operators/source/source.h"

namespace eddy::operators {

/// Reads the lines of a file, or of a byte range of it, in large chunks; reports each
/// line with its number in the file.
///
/// A range [start, end) owns the lines whose first byte lies in it: a reader that
/// starts inside a line skips to the next one, and the last line it owns may run past
/// `end`. So ranges that tile a file read every line exactly once.
/// Thread: one reader per thread.
class LineReader {
 public:
  static constexpr uint64_t kToEnd = UINT64_MAX;

  explicit LineReader(std::string path, uint64_t start = 0, uint64_t end = kToEnd)
      : path_(std::move(path)), start_(start), end_(end) {}
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  /// Before open(): continue at `offset`, the start of line `lines_before + 1` (a
  /// checkpointed position), instead of finding the range's first line.
  void resumeAt(uint64_t offset, int64_t lines_before) {
    resume_ = true;
    start_ = offset;
    line_number_ = lines_before;
  }
  /// Fails with NotFound naming the path when it cannot be opened.
  Status open();
  /// The file offset of the next line (valid after open()).
  uint64_t nextLineOffset() const { return buffer_offset_ + pos_; }
  bool isOpen() const { return file_ != nullptr; }
  /// The next line without its line break ("\n" or "\r\n"); false at the end.
  Result<bool> next(std::string_view* line);
  int64_t lineNumber() const { return line_number_; }
  const std::string& path() const { return path_; }

 private:
  Result<bool> fill();  // Reads the next chunk; false at the end of the file.

  std::string path_;
  uint64_t start_;
  uint64_t end_;
  bool resume_ = false;
  std::FILE* file_ = nullptr;
  std::string buffer_;
  size_t pos_ = 0;
  uint64_t buffer_offset_ = 0;  // File offset of buffer_[0].
  bool eof_ = false;
  int64_t line_number_ = 0;
};

/// Expands paths (files, or directories read in name order, skipping hidden files) into
/// the list of files, failing with NotFound for a path that does not exist.
Result<std::vector<std::string>> listInputFiles(const std::vector<std::string>& paths);

/// A byte range of one file, read as one split.
struct FileSplit {
  std::string path;
  uint64_t start = 0;
  uint64_t end = LineReader::kToEnd;
};

/// Cuts files into splits of at most `split_size` bytes (a whole file when it is
/// smaller), in path order.
Result<std::vector<FileSplit>> fileSplits(const std::vector<std::string>& files, uint64_t split_size);

/// A bounded source over text files (Flink's FileSource): files are cut into byte-range
/// splits (64 MiB by default, see setSplitSize), split i read by subtask
/// i % parallelism. Each line goes through `parse`, which returns the record, nullopt to
/// skip the line, or an error that the source prefixes with `FILE:LINE: `.
template <typename T>
class FileSource final : public Source<T> {
 public:
  /// (line, line number in its file) -> record | skip | error.
  using LineParser = std::function<Result<std::optional<T>>(std::string_view, int64_t)>;
  static constexpr uint64_t kDefaultSplitSize = 64ULL << 20;

  FileSource(std::vector<std::string> paths, LineParser parse)
      : paths_(std::move(paths)), parse_(std::move(parse)) {}

  /// Files larger than `bytes` are read as several splits, in parallel when the source
  /// has more than one subtask.
  FileSource& setSplitSize(uint64_t bytes) {
    split_size_ = bytes > 0 ? bytes : 1;
    return *this;
  }

  /// A CSV source: each row (after an optional header that must equal `header`) is
  /// parsed by `row_parser`; empty lines are skipped.
  template <typename RowParser>
  static std::shared_ptr<FileSource<T>> forCsv(std::vector<std::string> paths, RowParser row_parser,
                                               std::optional<std::string> header = std::nullopt) {
    return std::make_shared<FileSource<T>>(
        std::move(paths),
        [row_parser = std::move(row_parser), header](std::string_view line,
                                                     int64_t n) -> Result<std::optional<T>> {
          if (n == 1 && header) {
            if (line != *header) {
              return Status::invalidArgument("bad header, expected \"" + *header + "\": \"" +
                                             std::string(line) + "\"");
            }
            return std::optional<T>();
          }
          if (line.empty()) return std::optional<T>();
          thread_local CsvRow row;
          row.reset(line);
          Result<T> r = row_parser(row);
          if (!r.isOk()) return r.status();
          return std::optional<T>(std::move(r).value());
        });
  }

  /// Reads about `records_per_second` records per second of processing time in all,
  /// each subtask its share (for demonstrations and tests; Flink's datagen
  /// rows-per-second). Event time does not depend on it.
  FileSource& setRateLimit(double records_per_second) {
    rate_ = records_per_second;
    return *this;
  }

  bool isBounded() const override { return true; }

  Result<std::vector<std::unique_ptr<SplitReader<T>>>> createReaders(int subtask, int parallelism,
                                                                     const Clock& clock) override {
    EDDY_ASSIGN_OR_RETURN(std::vector<std::string> files, listInputFiles(paths_));
    EDDY_ASSIGN_OR_RETURN(std::vector<FileSplit> splits, fileSplits(files, split_size_));
    std::vector<std::unique_ptr<SplitReader<T>>> readers;
    for (size_t i = 0; i < splits.size(); ++i) {
      if (static_cast<int>(i % parallelism) == subtask) readers.push_back(std::make_unique<Reader>(splits[i], parse_, limiter(parallelism, clock)));
    }
    return readers;
  }
  /// A split is "<start>:<end>:<path>" ("-" for the end of the file); its position
  /// "<offset of the next line>:<lines before it>", empty when reading had not begun.
  Result<std::vector<std::unique_ptr<SplitReader<T>>>> restoreReaders(const std::vector<SplitState>& splits,
                                                                      int parallelism, const Clock& clock) override {
    std::vector<std::unique_ptr<SplitReader<T>>> readers;
    for (const SplitState& st : splits) {
      EDDY_ASSIGN_OR_RETURN(FileSplit split, parseSplit(st.split));
      auto reader = std::make_unique<Reader>(split, parse_, limiter(parallelism, clock));
      if (!st.position.empty()) {
        char* end = nullptr;
        unsigned long long offset = std::strtoull(st.position.c_str(), &end, 10);
        char* end2 = nullptr;
        long long lines = *end == ':' ? std::strtoll(end + 1, &end2, 10) : -1;
        if (lines < 0 || end2 == nullptr || *end2 != '\0') {
          return Status::invalidArgument("bad position \"" + st.position + "\" of file split " + st.split);
        }
        reader->resumeAt(offset, lines);
      }
      readers.push_back(std::move(reader));
    }
    return readers;
  }

 private:
  class Reader final : public SplitReader<T> {
   public:
    Reader(const FileSplit& split, LineParser parse, RateLimiter limiter)
        : split_(split), lines_(split.path, split.start, split.end), parse_(std::move(parse)), limiter_(limiter) {}
    void resumeAt(uint64_t offset, int64_t lines_before) { lines_.resumeAt(offset, lines_before); }
    Status open() override {
      limiter_.start();
      return lines_.open();
    }
    Timestamp nextAvailableTime() const override { return limiter_.nextAvailableTime(); }
    Result<SplitState> snapshotSplit() const override {
      std::string id = std::to_string(split_.start) + ":" +
                       (split_.end == LineReader::kToEnd ? std::string("-") : std::to_string(split_.end)) + ":" +
                       split_.path;
      if (!lines_.isOpen()) return SplitState{id, ""};
      return SplitState{id, std::to_string(lines_.nextLineOffset()) + ":" + std::to_string(lines_.lineNumber())};
    }
    Result<ReadStatus> pollNext(ReaderOutput<T>& out, int max_records) override {
      int64_t allowed = limiter_.allowance(max_records);
      if (allowed == 0) return ReadStatus::kNothingAvailable;
      std::string_view line;
      for (int64_t n = 0; n < allowed;) {
        EDDY_ASSIGN_OR_RETURN(bool more, lines_.next(&line));
        if (!more) {
          limiter_.emitted(n);
          return ReadStatus::kEndOfInput;
        }
        Result<std::optional<T>> r = parse_(line, lines_.lineNumber());
        if (!r.isOk()) {
          return Status(r.status().code(), lines_.path() + ":" + std::to_string(lines_.lineNumber()) + ": " +
                                               r.status().message());
        }
        if (r.value()) {
          out.collect(std::move(*r.value()));
          ++n;
        }
      }
      limiter_.emitted(allowed);
      return ReadStatus::kMoreAvailable;
    }

   private:
    FileSplit split_;
    LineReader lines_;
    LineParser parse_;
    RateLimiter limiter_;
  };

  RateLimiter limiter(int parallelism, const Clock& clock) const {
    return RateLimiter(rate_ / parallelism, &clock);
  }

  static Result<FileSplit> parseSplit(const std::string& id) {
    size_t a = id.find(':');
    size_t b = a == std::string::npos ? a : id.find(':', a + 1);
    if (b == std::string::npos) return Status::invalidArgument("not a file split: \"" + id + "\"");
    FileSplit split;
    split.path = id.substr(b + 1);
    split.start = std::strtoull(id.substr(0, a).c_str(), nullptr, 10);
    std::string end = id.substr(a + 1, b - a - 1);
    split.end = end == "-" ? LineReader::kToEnd : std::strtoull(end.c_str(), nullptr, 10);
    return split;
  }

  std::vector<std::string> paths_;
  LineParser parse_;
  uint64_t split_size_ = kDefaultSplitSize;
  double rate_ = 0;
};

}  // namespace eddy::operators
