#pragma once

#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "eddy/api/graph_builder.h"
#include "eddy/operators/file_sink.h"
#include "eddy/operators/keyed_operator.h"
#include "eddy/operators/record_format.h"
#include "eddy/operators/simple_operators.h"
#include "eddy/operators/sinks.h"
#include "eddy/operators/window/window_assigner.h"

namespace eddy::api {

template <typename T>
class SingleOutputStreamOperator;
template <typename T, typename K>
class KeyedStream;
template <typename T, typename W>
class AllWindowedStream;
template <typename IN1, typename IN2>
class ConnectedStreams;
template <typename T>
class BroadcastStream;
template <typename IN1, typename IN2, typename K>
class BroadcastConnectedStream;

/// A stream of T (Flink's DataStream): each call adds an operator to the job's graph
/// and returns the stream it produces. Nothing runs until env.execute().
/// Thread: the thread building the job. Function objects are copied once per subtask.
template <typename T>
class DataStream {
 public:
  using ValueType = T;

  DataStream(std::shared_ptr<GraphBuilder> g, int node, std::string side_tag = "",
             PartitionSpec<T> partition = {})
      : g_(std::move(g)), node_(node), side_tag_(std::move(side_tag)), partition_(std::move(partition)) {}

  int getId() const { return node_; }
  int getParallelism() const { return g_->node(node_).parallelism; }

  /// One output per input: `f(const T&) -> R`.
  template <typename F>
  auto map(F f) {
    using R = std::decay_t<std::invoke_result_t<F&, const T&>>;
    return transform<R>("Map", [f] { return std::make_unique<operators::StreamMap<T, R, F>>(f); });
  }
  /// Keeps the records for which `f(const T&)` is true.
  template <typename F>
  SingleOutputStreamOperator<T> filter(F f) {
    return transform<T>("Filter", [f] { return std::make_unique<operators::StreamFilter<T, F>>(f); });
  }
  /// Any number of outputs per input: `f(const T&, Collector<R>&)`.
  template <typename R, typename F>
  SingleOutputStreamOperator<R> flatMap(F f) {
    return transform<R>("Flat Map", [f] { return std::make_unique<operators::StreamFlatMap<T, R, F>>(f); });
  }
  /// Runs a ProcessFunction<T, OUT> subclass.
  template <typename F>
  SingleOutputStreamOperator<typename F::OutputType> process(F f) {
    using R = typename F::OutputType;
    return transform<R>("Process", [f] { return std::make_unique<operators::ProcessOperator<T, R, F>>(f); });
  }

  /// Partitions by key: records with equal keys go to the same subtask (Flink's keyBy,
  /// hash by key group). `selector(const T&) -> K`.
  template <typename F>
  KeyedStream<T, std::decay_t<std::invoke_result_t<F&, const T&>>> keyBy(F selector);

  /// Merges streams of the same type.
  template <typename... Streams>
  DataStream<T> union_(const Streams&... others) {
    runtime::StreamNode n;
    n.name = "Union";
    n.parallelism = getParallelism();
    n.num_inputs = 1;
    n.output_type = std::make_shared<runtime::TypeOps<T>>();
    n.create_operator = [] { return std::make_unique<operators::StreamFilter<T, AlwaysTrue>>(AlwaysTrue{}); };
    n.make_input = inputOf<T, T>();
    int id = g_->addNode(std::move(n));
    connectTo(id, 0);
    (others.connectTo(id, 0), ...);
    return DataStream<T>(g_, id);
  }

  /// Connects a stream of another type, for a two-input operator (CoMap, CoFlatMap,
  /// CoProcess; keyBy(key1, key2) for KeyedCoProcess). Defined in connected_streams.h.
  template <typename T2>
  ConnectedStreams<T, T2> connect(const DataStream<T2>& other) const;
  /// Connects a broadcast stream: process() then takes a BroadcastProcessFunction.
  template <typename T2>
  BroadcastConnectedStream<T, T2, void> connect(const BroadcastStream<T2>& other) const;
  /// Turns this stream into a broadcast stream whose records every instance of the
  /// connected operator keeps in the broadcast states named by `descriptors`
  /// (MapStateDescriptors).
  template <typename... D>
    requires(sizeof...(D) > 0)
  BroadcastStream<T> broadcast(const D&... descriptors) const;

  // Partitioning of the next edge (Flink's names).
  DataStream<T> rebalance() const { return partitioned(runtime::PartitionKind::kRebalance); }
  DataStream<T> rescale() const { return partitioned(runtime::PartitionKind::kRescale); }
  DataStream<T> shuffle() const { return partitioned(runtime::PartitionKind::kShuffle); }
  DataStream<T> global() const { return partitioned(runtime::PartitionKind::kGlobal); }
  DataStream<T> forward() const { return partitioned(runtime::PartitionKind::kForward); }
  DataStream<T> broadcast() const { return partitioned(runtime::PartitionKind::kBroadcast); }
  /// Hash partitioning by a selector the caller builds: `make(maxParallelism,
  /// channels) -> unique_ptr<ChannelSelector<T>>` per producer, which must send every
  /// key to the subtask owning its key group. For records of many rows whose selector
  /// splits them (SQL's RecordBatch); keyBy() is the way for everything else.
  template <typename Make>
  DataStream<T> partitionByKeyGroups(Make make) const {
    PartitionSpec<T> spec;
    spec.kind = runtime::PartitionKind::kHash;
    spec.is_explicit = true;
    spec.keyed = [make](int max_parallelism, int n) -> std::unique_ptr<runtime::ChannelSelector<T>> {
      return make(max_parallelism, n);
    };
    return DataStream<T>(g_, node_, side_tag_, spec);
  }
  /// `partitioner(const K& key, int numPartitions) -> int`, on `selector(const T&) -> K`.
  template <typename P, typename F>
  DataStream<T> partitionCustom(P partitioner, F selector) const {
    PartitionSpec<T> spec;
    spec.kind = runtime::PartitionKind::kCustom;
    spec.is_explicit = true;
    spec.keyed = [partitioner, selector](int, int n) -> std::unique_ptr<runtime::ChannelSelector<T>> {
      struct Custom final : runtime::ChannelSelector<T> {
        P p;
        F s;
        int n;
        Custom(P p_, F s_, int n_) : p(p_), s(s_), n(n_) {}
        int selectChannel(const T& v) override { return p(s(v), n); }
      };
      return std::make_unique<Custom>(partitioner, selector, n);
    };
    return DataStream<T>(g_, node_, side_tag_, spec);
  }

  /// Non-keyed windows over the whole stream, evaluated by one subtask.
  template <typename Assigner>
  AllWindowedStream<T, typename Assigner::WindowType> windowAll(std::shared_ptr<Assigner> assigner);

  // Sinks.
  template <typename S>
  SingleOutputStreamOperator<T> addSink(S sink, std::string name = "Unnamed") {
    return transform<T>("Sink: " + name, [sink] { return std::make_unique<operators::StreamSink<T, S>>(sink); });
  }
  /// Flink's sinkTo(FileSink): exactly-once part files in the sink's directory.
  SingleOutputStreamOperator<T> sinkTo(operators::FileSink<T> sink) {
    std::string dir = sink.directory();
    return addSink(std::move(sink), "FileSink: " + dir);
  }
  /// Flink's print(): `toFlinkString(value)` per line on stdout, "i> " prefixed when parallel.
  SingleOutputStreamOperator<T> print(std::string identifier = "") {
    return addSink(operators::PrintSinkFunction<T>(identifier, false), "Print to Std. Out");
  }
  SingleOutputStreamOperator<T> printToErr(std::string identifier = "") {
    return addSink(operators::PrintSinkFunction<T>(identifier, true), "Print to Std. Err");
  }
  /// Flink's writeAsCsv, for streams of tuples and pairs: one line per record, fields
  /// as Flink prints them separated by `field_delimiter`, to `path` (a directory of
  /// files `1`, `2`, ... when the sink runs in parallel, as writeAsText).
  SingleOutputStreamOperator<T> writeAsCsv(std::string path, std::string field_delimiter = ",")
    requires requires { std::tuple_size<T>::value; }
  {
    return addSink(operators::TextFileSink<T>(
                       path, [field_delimiter](const T& v) { return operators::toCsvLine(v, field_delimiter); }),
                   "CsvSink: " + path);
  }
  /// One line per record, `format(const T&) -> std::string`, to `path`.
  template <typename F>
  SingleOutputStreamOperator<T> writeAsText(std::string path, F format) {
    return addSink(operators::TextFileSink<T>(path, format), "Text File: " + path);
  }

  /// Adds a one-input operator made by `make()` (a unique_ptr to a
  /// OneInputStreamOperator<T, R>); the building block of every call above.
  template <typename R, typename Make>
  SingleOutputStreamOperator<R> transform(std::string name, Make make) {
    runtime::StreamNode n;
    n.name = std::move(name);
    n.num_inputs = 1;
    n.output_type = std::make_shared<runtime::TypeOps<R>>();
    n.create_operator = [make]() -> std::unique_ptr<runtime::StreamOperatorBase> { return make(); };
    n.make_input = inputOf<T, R, typename std::invoke_result_t<Make&>::element_type>();
    int id = g_->addNode(std::move(n));
    connectTo(id, 0);
    return SingleOutputStreamOperator<R>(g_, id);
  }

  /// Adds the edge from this stream to input `input` of node `target`.
  void connectTo(int target, int input) const { g_->addEdge<T>(node_, side_tag_, partition_, target, input); }
  const std::shared_ptr<GraphBuilder>& builder() const { return g_; }
  const std::string& sideOutputTag() const { return side_tag_; }

 protected:
  struct AlwaysTrue {
    bool operator()(const T&) const { return true; }
  };
  /// The chained input of an operator of class Op (a OneInputStreamOperator<IN, OUT>).
  template <typename IN, typename OUT, typename Op = runtime::OneInputStreamOperator<IN, OUT>>
  static std::function<std::unique_ptr<runtime::OutputBase>(runtime::StreamOperatorBase&, int)> inputOf() {
    static_assert(std::is_base_of_v<runtime::OneInputStreamOperator<IN, OUT>, Op>);
    return [](runtime::StreamOperatorBase& op, int) -> std::unique_ptr<runtime::OutputBase> {
      return std::make_unique<runtime::ChainedOneInput<IN, OUT, Op>>(static_cast<Op*>(&op));
    };
  }
  DataStream<T> partitioned(runtime::PartitionKind kind) const {
    PartitionSpec<T> spec;
    spec.kind = kind;
    spec.is_explicit = true;
    return DataStream<T>(g_, node_, side_tag_, spec);
  }

  std::shared_ptr<GraphBuilder> g_;
  int node_;
  std::string side_tag_;
  PartitionSpec<T> partition_;
};

/// The stream an operator produces; configures that operator (Flink's
/// SingleOutputStreamOperator). Setters return *this for chaining.
template <typename T>
class SingleOutputStreamOperator : public DataStream<T> {
 public:
  SingleOutputStreamOperator(std::shared_ptr<GraphBuilder> g, int node) : DataStream<T>(std::move(g), node) {}

  SingleOutputStreamOperator& name(std::string n) {
    node().name = std::move(n);
    return *this;
  }
  SingleOutputStreamOperator& uid(std::string u) {
    node().uid = std::move(u);
    return *this;
  }
  SingleOutputStreamOperator& setParallelism(int p) {
    if (p <= 0) throw std::invalid_argument("The parallelism of an operator must be at least 1.");
    node().parallelism = p;
    return *this;
  }
  SingleOutputStreamOperator& setMaxParallelism(int p) {
    if (p <= 0 || p > (1 << 15)) throw std::invalid_argument("The maximum parallelism must be in [1, 32768].");
    node().max_parallelism = p;
    return *this;
  }
  SingleOutputStreamOperator& disableChaining() {
    node().chaining = runtime::ChainingStrategy::kNever;
    return *this;
  }
  SingleOutputStreamOperator& startNewChain() {
    node().chaining = runtime::ChainingStrategy::kHead;
    return *this;
  }
  /// The records this operator emitted to side output `tag`.
  template <typename X>
  DataStream<X> getSideOutput(const runtime::OutputTag<X>& tag) const {
    return DataStream<X>(this->g_, this->node_, tag.getId());
  }

 private:
  runtime::StreamNode& node() { return this->g_->node(this->node_); }
};

}  // namespace eddy::api
