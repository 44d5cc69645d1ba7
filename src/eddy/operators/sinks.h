#pragma once

#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "eddy/operators/record_format.h"
#include "eddy/operators/simple_operators.h"

namespace eddy::operators {

/// Flink's PrintSink: one line per record on stdout (or stderr), prefixed with
/// "subtask> " when the sink runs with parallelism > 1, and "identifier:" when given.
template <typename T>
class PrintSinkFunction final : public SinkFunction<T> {
 public:
  explicit PrintSinkFunction(std::string identifier = "", bool to_stderr = false)
      : identifier_(std::move(identifier)), stderr_(to_stderr) {}
  void open() override {
    auto& rc = this->getRuntimeContext();
    std::string prefix = identifier_;
    if (rc.getNumberOfParallelSubtasks() > 1) {
      prefix += (prefix.empty() ? "" : ":") + std::to_string(rc.getIndexOfThisSubtask() + 1);
    }
    prefix_ = prefix.empty() ? "" : prefix + "> ";
  }
  void invoke(const T& value, const typename SinkFunction<T>::Context&) override {
    std::string line = prefix_ + toFlinkString(value) + "\n";
    std::fwrite(line.data(), 1, line.size(), stderr_ ? stderr : stdout);
  }
  void finish() override { std::fflush(stderr_ ? stderr : stdout); }

 private:
  std::string identifier_;
  bool stderr_;
  std::string prefix_;
};

/// Sink for tests: appends every record to a shared list, readable after execute().
/// Thread: invoke() runs on task threads; the list is guarded by its mutex.
template <typename T>
class CollectSink final : public SinkFunction<T> {
 public:
  struct Results {
    std::mutex mu;
    std::vector<T> values;
    std::vector<Timestamp> timestamps;
  };
  explicit CollectSink(std::shared_ptr<Results> results) : results_(std::move(results)) {}
  void invoke(const T& value, const typename SinkFunction<T>::Context& ctx) override {
    std::lock_guard<std::mutex> lock(results_->mu);
    results_->values.push_back(value);
    results_->timestamps.push_back(ctx.timestamp);
  }

 private:
  std::shared_ptr<Results> results_;
};

/// Drops everything (Flink's DiscardingSink).
template <typename T>
class DiscardingSink final : public SinkFunction<T> {
 public:
  void invoke(const T&, const typename SinkFunction<T>::Context&) override {}
};

/// Writes one line per record, formatted by `format`, to `path` (parallelism 1) or to
/// `path/<subtask+1>` (parallelism > 1), as Flink's writeAsText. The file is replaced.
template <typename T>
class TextFileSink final : public SinkFunction<T> {
 public:
  using Formatter = std::function<std::string(const T&)>;
  TextFileSink(std::string path, Formatter format) : path_(std::move(path)), format_(std::move(format)) {}
  TextFileSink(const TextFileSink& o) : path_(o.path_), format_(o.format_) {}
  ~TextFileSink() override { closeFile(); }

  void open() override {
    auto& rc = this->getRuntimeContext();
    std::string target = path_;
    if (rc.getNumberOfParallelSubtasks() > 1) {
      std::error_code ec;
      std::filesystem::create_directories(path_, ec);
      target = path_ + "/" + std::to_string(rc.getIndexOfThisSubtask() + 1);
    }
    file_ = std::fopen(target.c_str(), "wb");
    if (file_ == nullptr) throw std::runtime_error(target + ": cannot open for writing");
    target_ = target;
  }
  void invoke(const T& value, const typename SinkFunction<T>::Context&) override {
    line_ = format_(value);
    line_ += '\n';
    if (std::fwrite(line_.data(), 1, line_.size(), file_) != line_.size()) {
      throw std::runtime_error(target_ + ": write failed");
    }
  }
  void finish() override {
    if (file_ != nullptr && std::fflush(file_) != 0) throw std::runtime_error(target_ + ": write failed");
  }
  void close() override { closeFile(); }

 private:
  void closeFile() {
    if (file_ != nullptr) std::fclose(file_);
    file_ = nullptr;
  }
  std::string path_;
  Formatter format_;
  std::FILE* file_ = nullptr;
  std::string target_;
  std::string line_;
};

}  // namespace eddy::operators
