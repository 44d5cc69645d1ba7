#pragma once

#include <memory>
#include <string>
#include <utility>

#include "eddy/runtime/stream_graph.h"

namespace eddy::api {

/// How the next edge out of a stream partitions its records: a kind, and for keyBy or a
/// custom partitioner the typed channel selector.
template <typename T>
struct PartitionSpec {
  runtime::PartitionKind kind = runtime::PartitionKind::kForward;
  bool is_explicit = false;
  /// kHash / kCustom: (consumer max parallelism, channels) -> selector.
  std::function<std::unique_ptr<runtime::ChannelSelector<T>>(int, int)> keyed;
};

/// The StreamGraph under construction, shared by the environment and every stream.
/// Thread: the thread building the job.
struct GraphBuilder {
  runtime::StreamGraph graph;
  int default_parallelism = 1;

  runtime::StreamNode& node(int id) { return graph.nodes[id]; }

  int addNode(runtime::StreamNode n) {
    n.id = static_cast<int>(graph.nodes.size());
    if (n.parallelism <= 0) n.parallelism = default_parallelism;
    graph.nodes.push_back(std::move(n));
    return graph.nodes.back().id;
  }

  template <typename T>
  void addEdge(int source, const std::string& side_tag, const PartitionSpec<T>& spec, int target,
               int target_input) {
    runtime::StreamEdge e;
    e.source = source;
    e.target = target;
    e.target_input = target_input;
    e.side_output_tag = side_tag;
    e.kind = spec.kind;
    e.kind_explicit = spec.is_explicit;
    e.type = std::make_shared<runtime::TypeOps<T>>();
    e.make_writer = [keyed = spec.keyed](runtime::PartitionKind kind, std::vector<runtime::ChannelTarget> targets,
                                         int subtask, int consumer_mp, runtime::TaskMetrics* metrics,
                                         runtime::OutputBase** as_output)
        -> std::unique_ptr<runtime::RecordWriterBase> {
      int n = static_cast<int>(targets.size());
      std::unique_ptr<runtime::ChannelSelector<T>> sel;
      switch (kind) {
        case runtime::PartitionKind::kForward:
        case runtime::PartitionKind::kGlobal:
          sel = std::make_unique<runtime::ConstantSelector<T>>(0);
          break;
        case runtime::PartitionKind::kRebalance:
        case runtime::PartitionKind::kRescale:
          sel = std::make_unique<runtime::RoundRobinSelector<T>>(n, subtask);
          break;
        case runtime::PartitionKind::kShuffle:
          sel = std::make_unique<runtime::RandomSelector<T>>(n, 0x9e3779b97f4a7c15ULL * (subtask + 1));
          break;
        case runtime::PartitionKind::kBroadcast:
          break;  // nullptr: every record to every channel.
        case runtime::PartitionKind::kHash:
        case runtime::PartitionKind::kCustom:
          sel = keyed(consumer_mp, n);
          break;
      }
      auto w = std::make_unique<runtime::RecordWriter<T>>(std::move(sel), std::move(targets), metrics);
      *as_output = w.get();
      return w;
    };
    if (spec.keyed) {
      e.select_for_subtask = [keyed = spec.keyed](const runtime::BatchBase& batch, int subtask, int parallelism,
                                                  int max_parallelism) -> std::unique_ptr<runtime::BatchBase> {
        auto selector = keyed(max_parallelism, parallelism);
        auto kept = std::make_unique<runtime::Batch<T>>();
        std::vector<std::pair<int, T>> parts;
        for (const auto& r : static_cast<const runtime::Batch<T>&>(batch).records) {
          if (parallelism == 1) {
            kept->records.push_back(r);
          } else if (selector->splits()) {
            parts.clear();
            selector->split(r.value, parts);
            for (auto& [channel, part] : parts) {
              if (channel == subtask) kept->records.push_back(runtime::StreamRecord<T>{std::move(part), r.timestamp});
            }
          } else if (selector->selectChannel(r.value) == subtask) {
            kept->records.push_back(r);
          }
        }
        return kept;
      };
    }
    graph.edges.push_back(std::move(e));
  }

  /// Edges whose partitioning the user left open become forward when both sides have
  /// the same parallelism and rebalance otherwise, as in Flink.
  void resolveDefaultPartitioning() {
    for (auto& e : graph.edges) {
      if (e.kind_explicit || e.kind != runtime::PartitionKind::kForward) continue;
      if (graph.nodes[e.source].parallelism != graph.nodes[e.target].parallelism) {
        e.kind = runtime::PartitionKind::kRebalance;
      }
    }
  }
};

}  // namespace eddy::api
