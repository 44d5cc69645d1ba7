#pragma once

// Internal to the local executor: the tasks of one run of a job and how they are wired.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "eddy/runtime/channel_state.h"
#include "eddy/runtime/checkpoint_storage.h"
#include "eddy/runtime/job_graph.h"
#include "eddy/runtime/task.h"

namespace eddy::runtime {

// Buffers a channel may hold before its producer blocks (16 x 32 KiB). Enough that two
// tasks sharing a core switch every ten thousand records or so rather than every few
// thousand: each switch evicts the other task's state from the core's caches.
constexpr int kBuffersPerChannel = 16;

/// One run's tasks ([vertex][subtask]) and their channels: createTasks() makes every
/// task with its input gate, wire(v, i) builds subtask i of v's operator chain, outputs
/// and (with `restore`) restored state. A region restart replaces some tasks with
/// createTask() and wires them again.
/// Thread: the executor's thread (and under its lock once tasks run).
struct Deployment {
  const StreamGraph& graph;
  JobGraph jg;
  std::vector<std::vector<std::unique_ptr<Task>>> tasks;  // [vertex][subtask]
  // channel_of[edge][(producer, consumer)] = channel index in the consumer's gate.
  std::vector<std::map<std::pair<int, int>, int>> channel_of;

  const CompletedCheckpoint* restore = nullptr;
  Status wiring_error;  // The first error of initializeState while wiring.
  // Set when checkpointing: the hooks of one subtask.
  std::function<Task::CheckpointHooks(int vertex, int subtask)> make_hooks;
  std::string attempt_id;
  bool region_restart = false;  // Wiring the tasks of one region while the others run.

  explicit Deployment(const StreamGraph& g, JobGraph j) : graph(g), jg(std::move(j)) {}

  /// The restored snapshots of `node`, one per earlier subtask (none for a fresh start).
  std::vector<OperatorSnapshot> restoredFor(const StreamNode& node) const {
    if (restore == nullptr) return {};
    auto it = restore->operators.find(operatorKey(node));
    return it == restore->operators.end() ? std::vector<OperatorSnapshot>{} : it->second;
  }
  void noteError(const Status& st, const StreamNode& node) {
    if (!st.isOk() && wiring_error.isOk()) wiring_error = Status(st.code(), node.name + ": " + st.message());
  }

  std::string taskName(const JobVertex& v, int i) const {
    return v.name + " (" + std::to_string(i + 1) + "/" + std::to_string(v.parallelism) + ")";
  }

  void createTasks() {
    channel_of.resize(graph.edges.size());
    tasks.resize(jg.vertices.size());
    for (const JobVertex& v : jg.vertices) {
      for (int i = 0; i < v.parallelism; ++i) tasks[v.id].push_back(createTask(v, i));
    }
  }

  /// Subtask `i` of `v` with its input gate, not wired yet (see wire()).
  std::unique_ptr<Task> createTask(const JobVertex& v, int i) {
    int channels = 0;
    std::vector<Task::InputChannel> infos;
    for (int e : v.in_edges) {
      const StreamEdge& edge = graph.edges[e];
      int up_p = jg.vertices[jg.vertex_of_node[edge.source]].parallelism;
      for (int j = 0; j < up_p; ++j) {
        if (!subtasksConnected(edge.kind, up_p, v.parallelism, j, i)) continue;
        channel_of[e][{j, i}] = channels++;
        infos.push_back(Task::InputChannel{edge.type.get(), edge.target_input, 0, e});
      }
    }
    auto gate = std::make_unique<InputGate>(channels, kBuffersPerChannel);
    auto task = std::make_unique<Task>(taskName(v, i), i, *graph.clock, std::move(gate));
    pending_inputs[task.get()] = std::move(infos);
    return task;
  }

  void wire(const JobVertex& v, int i) {
    Task& task = *tasks[v.id][i];
    std::map<int, StreamOperatorBase*> ops;
    std::map<int, OperatorMetrics*> metrics;
    std::map<std::pair<int, int>, OutputBase*> inputs;  // (node, input) -> chained input
    for (int id : v.chain) {
      const StreamNode& node = graph.nodes[id];
      metrics[id] = task.addOperatorMetrics(node.name);
      if (node.isSource()) continue;
      auto op = node.create_operator();
      ops[id] = op.get();
      for (int k = 0; k < node.num_inputs; ++k) {
        auto in = node.make_input(*op, k);
        inputs[{id, k}] = in.get();
        task.own(std::move(in));
      }
      task.addOperator(std::move(op));
    }
    // Outputs, from the tail, so every chained consumer exists before its producer.
    for (auto it = v.chain.rbegin(); it != v.chain.rend(); ++it) {
      int id = *it;
      const StreamNode& node = graph.nodes[id];
      std::map<std::string, std::vector<OutputBase*>> targets;
      std::map<std::string, const TypeOpsBase*> types;
      targets[""];
      types[""] = node.output_type.get();
      for (size_t e = 0; e < graph.edges.size(); ++e) {
        const StreamEdge& edge = graph.edges[e];
        if (edge.source != id) continue;
        types[edge.side_output_tag] = edge.type.get();
        if (jg.edge_chained[e]) {
          targets[edge.side_output_tag].push_back(inputs.at({edge.target, edge.target_input}));
          continue;
        }
        const JobVertex& down = jg.vertices[jg.vertex_of_node[edge.target]];
        std::vector<ChannelTarget> channel_targets;
        for (int c = 0; c < down.parallelism; ++c) {
          auto found = channel_of[e].find({i, c});
          if (found == channel_of[e].end()) continue;
          channel_targets.push_back(ChannelTarget{&tasks[down.id][c]->gate(), found->second});
        }
        OutputBase* as_output = nullptr;
        const StreamNode& target = graph.nodes[edge.target];
        int consumer_mp = target.max_parallelism > 0 ? target.max_parallelism : down.max_parallelism;
        task.addWriter(edge.make_writer(edge.kind, std::move(channel_targets), i, consumer_mp,
                                        &task.metrics(), &as_output));
        targets[edge.side_output_tag].push_back(as_output);
      }
      OutputBase* main_output = nullptr;
      std::unordered_map<std::string, OutputBase*> side_outputs;
      for (auto& [tag, outs] : targets) {
        Counter* records_out = tag.empty() ? &metrics[id]->num_records_out : nullptr;
        OutputBase* out = nullptr;
        if (outs.size() == 1 && outs[0]->countRecordsOutInto(records_out)) {
          out = outs[0];
        } else {
          auto fanout = types[tag]->makeFanout(outs, records_out);
          out = fanout.get();
          task.own(std::move(fanout));
        }
        (tag.empty() ? main_output : side_outputs[tag]) = out;
      }
      if (node.isSource()) {
        SourceDriverContext sctx;
        sctx.subtask_index = i;
        sctx.parallelism = v.parallelism;
        sctx.clock = graph.clock;
        sctx.output = main_output;
        sctx.metrics = metrics[id];
        auto driver = node.create_source(sctx);
        // A source the checkpoint does not know (a new uid) starts from its beginning.
        if (std::vector<OperatorSnapshot> restored = restoredFor(node); !restored.empty()) {
          std::vector<std::string> positions;
          for (const OperatorSnapshot& s : restored) positions.push_back(s.operator_state);
          noteError(driver->initializeState(std::move(positions)), node);
        }
        task.setSource(std::move(driver), graph.auto_watermark_interval_ms);
        continue;
      }
      OperatorContext ctx;
      ctx.operator_name = node.name;
      ctx.task_name = task.name();
      ctx.subtask_index = i;
      ctx.parallelism = v.parallelism;
      ctx.max_parallelism = node.max_parallelism > 0 ? node.max_parallelism : v.max_parallelism;
      ctx.processing_time = &task.processingTime();
      ctx.metrics = metrics[id];
      ctx.side_outputs = std::move(side_outputs);
      ctx.accumulators = &task.accumulators();
      ctx.checkpointing = static_cast<bool>(make_hooks);
      ctx.state_backend = graph.state_backend;
      ctx.rocksdb = graph.rocksdb;
      ctx.attempt_id = attempt_id;
      ctx.region_restart = region_restart;
      ops[id]->setup(std::move(ctx), main_output);
      if (restore != nullptr) noteError(ops[id]->initializeState(restoredFor(node)), node);
    }
    const StreamNode& head = graph.nodes[v.chain.front()];
    if (make_hooks) {
      Task::CheckpointHooks hooks = make_hooks(v.id, i);
      for (int id : v.chain) {
        if (graph.nodes[id].isSource()) {
          hooks.source_key = operatorKey(graph.nodes[id]);
        } else {
          hooks.keys.push_back(operatorKey(graph.nodes[id]));
        }
      }
      if (hooks.unaligned && !head.isSource()) hooks.channel_state_key = channelStateKey(operatorKey(head));
      task.setCheckpointing(std::move(hooks));
    }
    if (restore != nullptr && !head.isSource()) {
      // In-flight data of an unaligned checkpoint is replayed whatever this run's mode.
      auto found = restore->operators.find(channelStateKey(operatorKey(head)));
      if (found != restore->operators.end()) {
        std::vector<std::string> previous;
        for (const OperatorSnapshot& s : found->second) previous.push_back(s.operator_state);
        int mp = head.max_parallelism > 0 ? head.max_parallelism : v.max_parallelism;
        Result<RestoredChannelState> channels =
            restoreChannelState(previous, i, v.parallelism, mp, head.num_inputs, graph, v.in_edges);
        if (channels.isOk()) {
          task.setRestoredChannelState(std::move(*channels));
        } else {
          noteError(Status(channels.status().code(), "channel state: " + channels.status().message()), head);
        }
      }
    }
    std::vector<OutputBase*> head_inputs;
    for (int k = 0; k < head.num_inputs; ++k) head_inputs.push_back(inputs.at({head.id, k}));
    task.setInputs(std::move(head_inputs), std::move(pending_inputs.at(&task)));
    pending_inputs.erase(&task);
  }

  std::map<Task*, std::vector<Task::InputChannel>> pending_inputs;
};

}  // namespace eddy::runtime
