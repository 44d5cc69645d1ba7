#pragma once

#include <map>
#include <string>

#include "eddy/core/key_group.h"
#include "eddy/core/serialization.h"
#include "eddy/core/status.h"

namespace eddy::state {

/// The key groups of a snapshot whose bytes are written later, off the task thread,
/// from state frozen when the snapshot was taken (the asynchronous part of a heap
/// checkpoint). Holding the writer keeps that state alive and frozen; dropping it lets
/// the task change the state in place again.
/// Thread: any one thread at a time; writing is repeatable (the same bytes each time).
class KeyGroupWriter {
 public:
  virtual ~KeyGroupWriter() = default;
  /// The key groups this writer has bytes for.
  virtual KeyGroupRange range() const = 0;
  /// Appends the bytes of key group `key_group` (inside range()) to `out`.
  virtual Status writeKeyGroup(int key_group, DataOutputView& out) const = 0;
};

/// Writes every key group of `writer` into `out` (key group -> its bytes).
inline Status writeAllKeyGroups(const KeyGroupWriter& writer, std::map<int, std::string>& out) {
  const KeyGroupRange range = writer.range();
  for (int kg = range.start; kg <= range.end; ++kg) {
    DataOutputView bytes;
    EDDY_RETURN_IF_ERROR(writer.writeKeyGroup(kg, bytes));
    out[kg] = bytes.release();
  }
  return Status::ok();
}

}  // namespace eddy::state
