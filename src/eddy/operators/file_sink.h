#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "eddy/operators/part_files.h"
#include "eddy/operators/record_format.h"
#include "eddy/operators/two_phase_commit_sink.h"

namespace eddy::operators {

/// Flink's SimpleStringEncoder: the value as Flink prints it, one per line.
template <typename T>
struct SimpleStringEncoder {
  std::string operator()(const T& value) const { return toFlinkString(value); }
};

/// Flink's FileSink in row format: an exactly-once sink writing part files into one
/// directory. Each checkpoint closes the part files being written (pending) and commits
/// them (finished, visible under `<prefix>-...`) when the checkpoint completes; a failure
/// loses only hidden files, which a restore removes. Parts also roll over at
/// `withMaxPartSize` bytes (Flink's DefaultRollingPolicy default, 128 MiB). Without
/// checkpointing, parts are committed when the input ends.
///
///   stream.sinkTo(FileSink<std::string>::forRowFormat("out/", SimpleStringEncoder<std::string>()).build());
///
/// Unlike Flink's default there are no bucket subdirectories (Flink's
/// BasePathBucketAssigner).
template <typename T>
class FileSink final : public TwoPhaseCommitSinkFunction<T, FileTransaction> {
 public:
  /// Formats one record as a line, without the newline.
  using Encoder = std::function<std::string(const T&)>;
  using Context = typename TwoPhaseCommitSinkFunction<T, FileTransaction>::Context;
  using TwoPhaseCommitSinkFunction<T, FileTransaction>::invoke;

  class Builder {
   public:
    Builder(std::string dir, Encoder encoder) : dir_(std::move(dir)), encoder_(std::move(encoder)) {}
    Builder& withOutputFileConfig(OutputFileConfig config) {
      config_ = std::move(config);
      return *this;
    }
    /// A part file rolls over once it holds this many bytes; 0: only at checkpoints.
    Builder& withMaxPartSize(uint64_t bytes) {
      max_part_bytes_ = bytes;
      return *this;
    }
    /// A part file also rolls once open `rollover_ms`, or unwritten `inactivity_ms`, of
    /// processing time (0: never; checked when records come).
    Builder& withRollingTimes(int64_t rollover_ms, int64_t inactivity_ms) {
      rollover_ms_ = rollover_ms;
      inactivity_ms_ = inactivity_ms;
      return *this;
    }
    /// INSERT OVERWRITE: the files already in the directory are replaced when the first
    /// parts commit (PartFileWriter::replaceOnFirstCommit).
    Builder& withOverwrite(bool overwrite) {
      overwrite_ = overwrite;
      return *this;
    }
    FileSink build() const {
      FileSink sink(dir_, encoder_, config_, max_part_bytes_);
      sink.overwrite_ = overwrite_;
      sink.rollover_ms_ = rollover_ms_;
      sink.inactivity_ms_ = inactivity_ms_;
      return sink;
    }

   private:
    std::string dir_;
    Encoder encoder_;
    OutputFileConfig config_;
    uint64_t max_part_bytes_ = 128ull << 20;
    bool overwrite_ = false;
    int64_t rollover_ms_ = 0, inactivity_ms_ = 0;
  };

  static Builder forRowFormat(std::string dir, Encoder encoder) { return Builder(std::move(dir), std::move(encoder)); }

  const std::string& directory() const { return dir_; }

  /// The directory exists from the start, even if no record ever comes.
  void open() override { writer(); }

  // Each subtask gets its own copy before it starts; the writer is made per subtask.
  FileSink(const FileSink& o)
      : dir_(o.dir_), encoder_(o.encoder_), config_(o.config_), max_part_bytes_(o.max_part_bytes_),
        overwrite_(o.overwrite_), rollover_ms_(o.rollover_ms_), inactivity_ms_(o.inactivity_ms_) {}

 protected:
  FileTransaction beginTransaction() override { return {}; }
  void invoke(FileTransaction& txn, const T& value, const Context&) override {
    line_ = encoder_(value);
    line_ += '\n';
    writer().write(txn, line_);
  }
  void preCommit(FileTransaction& txn) override { writer().preCommit(txn); }
  void commit(FileTransaction& txn) override { writer().commit(txn); }
  void abort(FileTransaction& txn) override {
    if (writer_) writer_->abort(txn);
  }
  void finishRecoveringContext(const std::vector<FileTransaction>& known) override {
    writer().removeLeftovers(known, /*only_this_subtask=*/this->getRuntimeContext().isRegionRestart());
  }

 private:
  FileSink(std::string dir, Encoder encoder, OutputFileConfig config, uint64_t max_part_bytes)
      : dir_(std::move(dir)), encoder_(std::move(encoder)), config_(std::move(config)),
        max_part_bytes_(max_part_bytes) {}

  PartFileWriter& writer() {
    if (!writer_) {
      auto& rc = this->getRuntimeContext();
      writer_ = std::make_unique<PartFileWriter>(dir_, config_, rc.getAttemptId(), rc.getIndexOfThisSubtask(),
                                                 max_part_bytes_);
      if (overwrite_) writer_->replaceOnFirstCommit();
      if (rollover_ms_ > 0 || inactivity_ms_ > 0) {
        writer_->rollByTime(rollover_ms_, inactivity_ms_, [&rc] { return rc.getCurrentProcessingTime(); });
      }
    }
    return *writer_;
  }

  std::string dir_;
  Encoder encoder_;
  OutputFileConfig config_;
  uint64_t max_part_bytes_;
  bool overwrite_ = false;
  int64_t rollover_ms_ = 0, inactivity_ms_ = 0;
  std::unique_ptr<PartFileWriter> writer_;
  std::string line_;
};

}  // namespace eddy::operators
