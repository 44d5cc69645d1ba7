#include "eddy/runtime/job_graph.h"

namespace eddy::runtime {

Result<JobGraph> JobGraph::build(const StreamGraph& graph) {
  JobGraph jg;
  const int n = static_cast<int>(graph.nodes.size());
  jg.vertex_of_node.assign(n, -1);
  jg.edge_chained.assign(graph.edges.size(), false);

  std::vector<std::vector<int>> in_edges(n);
  for (size_t e = 0; e < graph.edges.size(); ++e) in_edges[graph.edges[e].target].push_back(e);

  for (size_t e = 0; e < graph.edges.size(); ++e) {
    const StreamEdge& edge = graph.edges[e];
    const StreamNode& up = graph.nodes[edge.source];
    const StreamNode& down = graph.nodes[edge.target];
    if (edge.kind == PartitionKind::kForward && up.parallelism != down.parallelism) {
      return Status::invalidArgument(
          "Forward partitioning does not allow change of parallelism. Upstream operation: '" +
          up.name + "' parallelism: " + std::to_string(up.parallelism) +
          ", downstream operation: '" + down.name +
          "' parallelism: " + std::to_string(down.parallelism) +
          ". You must use another partitioning strategy, such as broadcast, rebalance, shuffle "
          "or global.");
    }
  }

  for (int id = 0; id < n; ++id) {
    const StreamNode& node = graph.nodes[id];
    int chained_from = -1;
    if (!node.isSource() && in_edges[id].size() == 1) {
      int e = in_edges[id][0];
      const StreamEdge& edge = graph.edges[e];
      const StreamNode& up = graph.nodes[edge.source];
      if (edge.kind == PartitionKind::kForward && up.parallelism == node.parallelism &&
          node.chaining == ChainingStrategy::kAlways && up.chaining != ChainingStrategy::kNever) {
        chained_from = e;
      }
    }
    int max_p = node.max_parallelism > 0 ? node.max_parallelism : graph.default_max_parallelism;
    if (chained_from >= 0) {
      int v = jg.vertex_of_node[graph.edges[chained_from].source];
      jg.edge_chained[chained_from] = true;
      jg.vertex_of_node[id] = v;
      JobVertex& vertex = jg.vertices[v];
      vertex.chain.push_back(id);
      vertex.name += " -> " + node.name;
    } else {
      JobVertex vertex;
      vertex.id = static_cast<int>(jg.vertices.size());
      vertex.name = node.name;
      vertex.parallelism = node.parallelism;
      vertex.max_parallelism = max_p;
      vertex.chain.push_back(id);
      vertex.in_edges = in_edges[id];
      jg.vertex_of_node[id] = vertex.id;
      jg.vertices.push_back(std::move(vertex));
    }
  }
  return jg;
}

std::string JobGraph::describe(const StreamGraph& graph) const {
  std::string out;
  for (const JobVertex& v : vertices) {
    out += v.name + " (parallelism " + std::to_string(v.parallelism) + ")";
    for (int e : v.in_edges) {
      const StreamEdge& edge = graph.edges[e];
      out += " <- " + std::string(partitionKindName(edge.kind)) + " from '" +
             vertices[vertex_of_node[edge.source]].name + "'";
    }
    out += "\n";
  }
  return out;
}

bool subtasksConnected(PartitionKind kind, int up_p, int down_p, int up, int down) {
  if (isAllToAll(kind)) return true;
  if (up_p == down_p) return up == down;
  if (up_p > down_p) return static_cast<int64_t>(up) * down_p / up_p == down;
  return static_cast<int64_t>(down) * up_p / down_p == up;
}

}  // namespace eddy::runtime
