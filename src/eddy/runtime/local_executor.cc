#include "eddy/runtime/local_executor.h"

#include <map>
#include <mutex>
#include <thread>
#include <typeinfo>

#include "eddy/runtime/job_graph.h"
#include "eddy/runtime/task.h"

namespace eddy::runtime {
namespace {

/// Merges a finished task's accumulators into the job's, by name (Flink fails the job
/// when one name has two types).
Status mergeAccumulators(const AccumulatorRegistry& task,
                         std::map<std::string, std::shared_ptr<const AccumulatorBase>>& into) {
  for (const auto& [name, acc] : task.entries()) {
    auto it = into.find(name);
    if (it == into.end()) {
      into.emplace(name, acc->clone());
      continue;
    }
    if (typeid(*it->second) != typeid(*acc)) {
      return Status::invalidArgument("The accumulator '" + name + "' was created with two different types: " +
                                     it->second->typeName() + " and " + acc->typeName());
    }
    auto copy = it->second->clone();
    copy->mergeFrom(*acc);
    it->second = std::move(copy);
  }
  return Status::ok();
}

// Buffers a channel may hold before its producer blocks. Enough that two tasks sharing a
// core switch every few hundred thousand records, not every few thousand (each switch
// evicts the other task's state from the core's caches).
constexpr int kBuffersPerChannel = 16;

/// Pointwise edges connect contiguous groups, as Flink's POINTWISE distribution pattern.
bool connected(PartitionKind kind, int up_p, int down_p, int up, int down) {
  if (isAllToAll(kind)) return true;
  if (up_p == down_p) return up == down;
  if (up_p > down_p) return static_cast<int64_t>(up) * down_p / up_p == down;
  return static_cast<int64_t>(down) * up_p / down_p == up;
}

struct Deployment {
  const StreamGraph& graph;
  JobGraph jg;
  std::vector<std::vector<std::unique_ptr<Task>>> tasks;  // [vertex][subtask]
  // channel_of[edge][(producer, consumer)] = channel index in the consumer's gate.
  std::vector<std::map<std::pair<int, int>, int>> channel_of;

  explicit Deployment(const StreamGraph& g, JobGraph j) : graph(g), jg(std::move(j)) {}

  std::string taskName(const JobVertex& v, int i) const {
    return v.name + " (" + std::to_string(i + 1) + "/" + std::to_string(v.parallelism) + ")";
  }

  void createTasks() {
    channel_of.resize(graph.edges.size());
    tasks.resize(jg.vertices.size());
    for (const JobVertex& v : jg.vertices) {
      for (int i = 0; i < v.parallelism; ++i) {
        int channels = 0;
        std::vector<Task::InputChannel> infos;
        for (int e : v.in_edges) {
          const StreamEdge& edge = graph.edges[e];
          int up_p = jg.vertices[jg.vertex_of_node[edge.source]].parallelism;
          for (int j = 0; j < up_p; ++j) {
            if (!connected(edge.kind, up_p, v.parallelism, j, i)) continue;
            channel_of[e][{j, i}] = channels++;
            infos.push_back(Task::InputChannel{edge.type.get(), edge.target_input, 0});
          }
        }
        auto gate = std::make_unique<InputGate>(channels, kBuffersPerChannel);
        auto task = std::make_unique<Task>(taskName(v, i), i, *graph.clock, std::move(gate));
        pending_inputs.emplace(task.get(), std::move(infos));
        tasks[v.id].push_back(std::move(task));
      }
    }
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
        task.setSource(node.create_source(sctx), graph.auto_watermark_interval_ms);
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
      ops[id]->setup(std::move(ctx), main_output);
    }
    const StreamNode& head = graph.nodes[v.chain.front()];
    std::vector<OutputBase*> head_inputs;
    for (int k = 0; k < head.num_inputs; ++k) head_inputs.push_back(inputs.at({head.id, k}));
    task.setInputs(std::move(head_inputs), std::move(pending_inputs.at(&task)));
  }

  std::map<Task*, std::vector<Task::InputChannel>> pending_inputs;
};

}  // namespace

JobExecutionResult LocalExecutor::execute(const StreamGraph& graph, const std::string& job_name) {
  JobExecutionResult result;
  result.job_name = job_name;
  Result<JobGraph> jg = JobGraph::build(graph);
  if (!jg.isOk()) {
    result.status = jg.status();
    return result;
  }
  Deployment d(graph, std::move(jg).value());
  d.createTasks();
  for (const JobVertex& v : d.jg.vertices) {
    for (int i = 0; i < v.parallelism; ++i) d.wire(v, i);
  }

  std::mutex mu;
  Status first_error;
  std::string failed_operator;
  auto cancel_all = [&] {
    for (auto& subtasks : d.tasks) {
      for (auto& t : subtasks) t->gate().cancel();
    }
  };
  int64_t start = graph.clock->nanoTime();
  std::vector<std::thread> threads;
  for (auto& subtasks : d.tasks) {
    for (auto& t : subtasks) {
      threads.emplace_back([&, task = t.get()] {
        std::string failed;
        Status s = task->run(&failed);
        if (!s.isOk() && s.code() != StatusCode::kCancelled) {
          std::lock_guard<std::mutex> lock(mu);
          if (first_error.isOk()) {
            first_error = s;
            failed_operator = failed;
          }
          cancel_all();
        }
      });
    }
  }
  for (auto& th : threads) th.join();
  result.net_runtime_ms = (graph.clock->nanoTime() - start) / 1'000'000;
  result.status = first_error;
  result.failed_operator = failed_operator;

  for (auto& subtasks : d.tasks) {
    for (auto& t : subtasks) {
      for (const auto& m : t->operatorMetrics()) {
        OperatorMetricsSnapshot s;
        s.name = m->name;
        s.subtask_index = m->subtask_index;
        s.num_records_in = m->num_records_in.get();
        s.num_records_out = m->num_records_out.get();
        s.num_late_records_dropped = m->num_late_records_dropped.get();
        s.current_input_watermark = m->current_input_watermark.get();
        s.current_output_watermark = m->current_output_watermark.get();
        result.operators.push_back(std::move(s));
      }
      TaskMetricsSnapshot ts;
      ts.name = t->name();
      ts.subtask_index = t->subtaskIndex();
      ts.busy_ms = t->metrics().busy_ns.get() / 1'000'000;
      ts.idle_ms = t->metrics().idle_ns.get() / 1'000'000;
      ts.back_pressured_ms = t->metrics().back_pressured_ns.get() / 1'000'000;
      ts.wall_ms = t->metrics().wall_ns.get() / 1'000'000;
      result.tasks.push_back(std::move(ts));
      Status merged = mergeAccumulators(t->accumulators(), result.accumulators);
      if (!merged.isOk() && result.status.isOk()) result.status = merged;
    }
  }
  return result;
}

}  // namespace eddy::runtime
