#pragma once

#include <string>
#include <vector>

#include "eddy/runtime/counter.h"
#include "eddy/runtime/stream_record.h"

namespace eddy::runtime {

/// Where an operator (or a source) sends what it produces. Chained consumers receive the
/// calls directly; a RecordWriter batches records for another task.
/// Thread: the owning task thread only.
class OutputBase {
 public:
  virtual ~OutputBase() = default;
  virtual void emitWatermark(Watermark wm) = 0;
  virtual void emitWatermarkStatus(WatermarkStatus status) = 0;
  /// Asks a chained input to also count the upstream operator's numRecordsOut, so a
  /// single consumer is called directly instead of through a fan-out (one virtual call
  /// less per record and operator). Returns false when it cannot.
  virtual bool countRecordsOutInto(Counter* /*records_out*/) { return false; }
};

template <typename T>
class Output : public OutputBase {
 public:
  virtual void collect(const StreamRecord<T>& record) = 0;
  /// Lets the last consumer take the value; defaults to the copying overload.
  virtual void collect(StreamRecord<T>&& record) { collect(static_cast<const StreamRecord<T>&>(record)); }
  /// A whole buffer from another task, in order; consumers that gain from seeing
  /// records ahead (prefetching state) override it.
  virtual void collectBatch(std::vector<StreamRecord<T>>& records) {
    for (auto& r : records) collect(std::move(r));
  }
};

/// Names a side output and its element type, as Flink's OutputTag<T>.
template <typename T>
class OutputTag {
 public:
  explicit OutputTag(std::string id) : id_(std::move(id)) {}
  const std::string& getId() const { return id_; }

 private:
  std::string id_;
};

}  // namespace eddy::runtime
