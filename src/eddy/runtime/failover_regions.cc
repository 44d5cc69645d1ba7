#include "eddy/runtime/failover_regions.h"

#include <map>
#include <numeric>

namespace eddy::runtime {

std::vector<std::pair<int, int>> FailoverRegions::members(int region) const {
  std::vector<std::pair<int, int>> out;
  for (size_t v = 0; v < region_of.size(); ++v) {
    for (size_t i = 0; i < region_of[v].size(); ++i) {
      if (region_of[v][i] == region) out.emplace_back(static_cast<int>(v), static_cast<int>(i));
    }
  }
  return out;
}

FailoverRegions FailoverRegions::compute(const StreamGraph& graph, const JobGraph& jg) {
  // Union-find over all subtasks, numbered vertex by vertex.
  std::vector<int> first;
  int total = 0;
  for (const JobVertex& v : jg.vertices) {
    first.push_back(total);
    total += v.parallelism;
  }
  std::vector<int> parent(static_cast<size_t>(total));
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](int x) {
    while (parent[static_cast<size_t>(x)] != x) {
      parent[static_cast<size_t>(x)] = parent[static_cast<size_t>(parent[static_cast<size_t>(x)])];
      x = parent[static_cast<size_t>(x)];
    }
    return x;
  };
  for (size_t e = 0; e < graph.edges.size(); ++e) {
    if (jg.edge_chained[e]) continue;
    const StreamEdge& edge = graph.edges[e];
    const JobVertex& up = jg.vertices[static_cast<size_t>(jg.vertex_of_node[static_cast<size_t>(edge.source)])];
    const JobVertex& down = jg.vertices[static_cast<size_t>(jg.vertex_of_node[static_cast<size_t>(edge.target)])];
    for (int j = 0; j < up.parallelism; ++j) {
      for (int i = 0; i < down.parallelism; ++i) {
        if (!subtasksConnected(edge.kind, up.parallelism, down.parallelism, j, i)) continue;
        parent[static_cast<size_t>(find(first[static_cast<size_t>(up.id)] + j))] =
            find(first[static_cast<size_t>(down.id)] + i);
      }
    }
  }
  FailoverRegions r;
  std::map<int, int> number;  // Root -> region, in order of first appearance.
  for (const JobVertex& v : jg.vertices) {
    std::vector<int>& of = r.region_of.emplace_back();
    for (int i = 0; i < v.parallelism; ++i) {
      auto [it, fresh] = number.emplace(find(first[static_cast<size_t>(v.id)] + i), r.count);
      if (fresh) ++r.count;
      of.push_back(it->second);
    }
  }
  return r;
}

}  // namespace eddy::runtime
