#pragma once

#include <string>
#include <vector>

#include "eddy/core/status.h"
#include "eddy/runtime/stream_graph.h"

namespace eddy::runtime {

/// A chain of operators run by one task per subtask (Flink's JobVertex).
struct JobVertex {
  int id = 0;
  std::string name;  // Chained operator names joined by " -> ", as Flink shows them.
  int parallelism = 1;
  int max_parallelism = kDefaultMaxParallelism;
  std::vector<int> chain;     // StreamNode ids, head first, each chained to an earlier one.
  std::vector<int> in_edges;  // StreamGraph edge indexes that enter the head over channels.
};

/// Whether upstream subtask `up` of `up_p` sends to downstream subtask `down` of
/// `down_p` over an edge of `kind`: all-to-all edges connect every pair, pointwise ones
/// contiguous groups (Flink's POINTWISE distribution pattern).
bool subtasksConnected(PartitionKind kind, int up_p, int down_p, int up, int down);

/// The StreamGraph cut into chains: what the scheduler deploys.
struct JobGraph {
  std::vector<JobVertex> vertices;
  std::vector<int> vertex_of_node;  // By StreamNode id.
  std::vector<bool> edge_chained;   // By edge index: a direct call inside a task.

  /// Chains nodes as Flink does: a node joins its input's chain when it has exactly one
  /// input, over a forward edge, at the same parallelism, and neither side forbids it.
  /// Fails on a forward edge between different parallelisms.
  static Result<JobGraph> build(const StreamGraph& graph);

  /// One line per vertex: "name (parallelism p) <- PARTITION from vertex".
  std::string describe(const StreamGraph& graph) const;
};

}  // namespace eddy::runtime
