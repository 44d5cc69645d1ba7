#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "eddy/core/serialization.h"
#include "eddy/core/status.h"

namespace eddy::operators {

/// How the file sink names part files (Flink's OutputFileConfig).
struct OutputFileConfig {
  std::string part_prefix = "part";
  std::string part_suffix;
};

/// One transaction of the file sink: the part files it wrote, by final name.
struct FileTransaction {
  std::vector<std::string> parts;

  void serialize(DataOutputView& out) const { eddy::serialize(parts, out); }
  static Result<FileTransaction> deserialize(DataInputView& in) {
    FileTransaction t;
    EDDY_ASSIGN_OR_RETURN(t.parts, eddy::deserialize<std::vector<std::string>>(in));
    return t;
  }
};

/// The part files of one file sink subtask in one directory, through their life:
/// in-progress `.<name>.inprogress` (being written) -> pending `.<name>.pending`
/// (complete and synced, waiting for its checkpoint) -> finished `<name>` (committed,
/// visible). Names are `<prefix>-<attempt>-<subtask>-<counter><suffix>`, so no two
/// attempts of a job ever write the same name. Readers must ignore names starting with
/// '.'; only finished files are output.
/// Errors throw std::runtime_error naming the file and the cause (the sink's operator
/// turns them into the job's failure).
/// Thread: the task thread.
class PartFileWriter {
 public:
  PartFileWriter(std::string dir, OutputFileConfig config, std::string attempt_id, int subtask,
                 uint64_t max_part_bytes);
  ~PartFileWriter();
  PartFileWriter(const PartFileWriter&) = delete;
  PartFileWriter& operator=(const PartFileWriter&) = delete;

  /// Appends `bytes` to the transaction's in-progress part, starting one (and rolling
  /// over when the part reached the size limit) as needed.
  void write(FileTransaction& txn, std::string_view bytes);
  /// Closes and syncs the in-progress part and makes every part of `txn` pending.
  void preCommit(FileTransaction& txn);
  /// Pending -> finished; a part already finished stays (commit is idempotent). A part
  /// found in neither state is an error: its data would be lost.
  void commit(const FileTransaction& txn);
  /// Deletes the transaction's in-progress and pending parts.
  void abort(FileTransaction& txn);
  /// Rolls the in-progress part (makes it pending, the next write starting another)
  /// when it has been open `rollover_ms` or not written for `inactivity_ms` of `now`'s
  /// time (0: never), checked at each write.
  void rollByTime(int64_t rollover_ms, int64_t inactivity_ms, std::function<int64_t()> now) {
    rollover_ms_ = rollover_ms;
    inactivity_ms_ = inactivity_ms;
    now_ = std::move(now);
  }
  /// INSERT OVERWRITE: the first commit that makes parts visible first deletes the
  /// directory's visible files this attempt did not write (the data being replaced;
  /// names starting with '.' or '_' stay). A batch job's only commit is at its end, so
  /// the old data stays readable until the new data is complete.
  void replaceOnFirstCommit() { replace_ = true; }
  /// Deletes hidden parts of earlier attempts that no transaction in `known` names:
  /// what a failed attempt wrote after its last completed checkpoint. With
  /// `only_this_subtask`, only this subtask's (the other subtasks are still running).
  void removeLeftovers(const std::vector<FileTransaction>& known, bool only_this_subtask = false);

 private:
  std::string hidden(const std::string& name, const char* state) const;
  /// Closes and syncs the in-progress part `name` and makes it pending.
  void finishCurrent(const std::string& name);

  std::string dir_;
  OutputFileConfig config_;
  std::string attempt_id_;
  int subtask_;
  uint64_t max_part_bytes_;
  uint64_t counter_ = 0;
  void removeOthers();

  bool replace_ = false;
  int64_t rollover_ms_ = 0, inactivity_ms_ = 0;
  std::function<int64_t()> now_;
  int64_t opened_at_ = 0, written_at_ = 0;  // The in-progress part's, on now_'s clock.
  std::FILE* file_ = nullptr;  // The in-progress part, the last of the current txn.
  uint64_t file_bytes_ = 0;
};

}  // namespace eddy::operators
