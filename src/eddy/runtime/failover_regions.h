#pragma once

#include <utility>
#include <vector>

#include "eddy/runtime/job_graph.h"

namespace eddy::runtime {

/// Flink's pipelined regions: subtasks joined by channels, directly or through other
/// subtasks, fail and restart together (every streaming exchange is pipelined). A job
/// whose subtasks form several regions (forward edges at one parallelism, separate
/// pipelines) restarts only the failed subtask's region (Flink's
/// `jobmanager.execution.failover-strategy: region`).
struct FailoverRegions {
  std::vector<std::vector<int>> region_of;  // [vertex][subtask] -> region, 0..count-1.
  int count = 0;

  /// The (vertex, subtask) pairs of region `region`, by vertex then subtask.
  std::vector<std::pair<int, int>> members(int region) const;

  /// The regions of `jg`'s subtasks, from the channels `graph`'s unchained edges make.
  static FailoverRegions compute(const StreamGraph& graph, const JobGraph& jg);
};

}  // namespace eddy::runtime
