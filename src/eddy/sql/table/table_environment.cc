#include "eddy/sql/table/table_environment.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <set>

#include "eddy/api/eddy.h"
#include "eddy/core/random_id.h"
#include "eddy/sql/exec/batch_over_aggregate.h"
#include "eddy/sql/exec/calc_operator.h"
#include "eddy/sql/exec/connector_options.h"
#include "eddy/sql/exec/expand_operator.h"
#include "eddy/sql/exec/file_sink_format.h"
#include "eddy/sql/exec/group_aggregate.h"
#include "eddy/sql/exec/interval_join_operator.h"
#include "eddy/sql/exec/session_time_zone.h"
#include "eddy/sql/exec/join_operator.h"
#include "eddy/sql/exec/lookup_join_operator.h"
#include "eddy/sql/exec/match_operator.h"
#include "eddy/sql/exec/key_group_splitter.h"
#include "eddy/sql/exec/local_group_aggregate.h"
#include "eddy/sql/exec/over_aggregate.h"
#include "eddy/sql/exec/partitioned_file_sink.h"
#include "eddy/sql/exec/regex.h"
#include "eddy/sql/exec/rank_operator.h"
#include "eddy/sql/exec/session_window_aggregate.h"
#include "eddy/sql/exec/sort_operator.h"
#include "eddy/sql/exec/table_options.h"
#include "eddy/sql/exec/temporal_join_operator.h"
#include "eddy/sql/exec/window_join_operator.h"
#include "eddy/sql/exec/window_aggregate.h"
#include "eddy/sql/exec/window_table_function.h"
#include "eddy/sql/parser/parser.h"
#include "eddy/sql/planner/functions.h"
#include "eddy/sql/table/row_conversion.h"

namespace eddy::sql {

using Stream = api::DataStream<RecordBatch>;

namespace {

// As EXPLAIN lists a table: cat, db, t (listed) or cat.db.t.
std::string explainedPath(const std::string& key, bool listed) {
  const ObjectPath path = objectPathOf(key);
  const char* between = listed ? ", " : ".";
  return path.catalog + between + path.database + between + path.name;
}

// The node an Expand copies (a kUnion marked expand whose inputs are still Calcs
// without a filter over one node), else null: then it runs as the union it is.
const PlanNode* expandInput(const PlanNode& p) {
  if (p.kind != PlanNode::Kind::kUnion || !p.expand || p.inputs.empty()) return nullptr;
  const PlanNode* below = nullptr;
  for (const auto& in : p.inputs) {
    if (in->kind != PlanNode::Kind::kCalc || in->filter || in->inputs.size() != 1) return nullptr;
    if (below && in->inputs[0].get() != below) return nullptr;
    below = in->inputs[0].get();
  }
  return below;
}

// A Calc's projections as EXPLAIN lists them: `$0 AS a, null AS b`.
std::string projectionList(const PlanNode& calc) {
  std::string s;
  for (size_t i = 0; i < calc.projections.size(); ++i) {
    s += (i ? ", " : "") + calc.projections[i]->toString() + " AS " + calc.schema[i].name;
  }
  return s;
}

std::string fieldList(const Schema& s) {
  std::string r;
  for (size_t i = 0; i < s.size(); ++i) r += (i ? ", " : "") + s[i].name;
  return r;
}

const char* joinTypeName(JoinType t) {
  switch (t) {
    case JoinType::kInner: return "InnerJoin";
    case JoinType::kLeft: return "LeftOuterJoin";
    case JoinType::kRight: return "RightOuterJoin";
    case JoinType::kFull: return "FullOuterJoin";
    case JoinType::kSemi: return "LeftSemiJoin";
    case JoinType::kAnti: return "LeftAntiJoin";
  }
  return "?";
}

// Flink's text: Join(joinType=[InnerJoin], where=[=($0, $3)], select=[...]).
std::string joinName(const PlanNode& p) {
  std::string where;
  const int left_width = static_cast<int>(p.inputs[0]->schema.size());
  for (size_t k = 0; k < p.left_keys.size(); ++k) {
    where += (k ? " AND " : "") + std::string("=($") + std::to_string(p.left_keys[k]) + ", $" +
             std::to_string(p.right_keys[k] + left_width) + ")";
  }
  if (p.filter) where += (where.empty() ? "" : " AND ") + p.filter->toString();
  using S = PlanNode::JoinStrategy;
  if (p.strategy == S::kLookup) {
    std::string keys;
    for (size_t k = 0; k < p.left_keys.size(); ++k) {
      keys += (k ? ", " : "") + p.inputs[1]->schema[static_cast<size_t>(p.right_keys[k])].name + "=$" +
              std::to_string(p.left_keys[k]);
    }
    return "LookupJoin(table=[" + explainedPath(p.inputs[1]->table->name, false) +
           "], joinType=[" + joinTypeName(p.join_type) + "], lookup=[" + keys + "]" +
           (p.filter ? ", where=[" + p.filter->toString() + "]" : "") + ", select=[" + fieldList(p.schema) + "])";
  }
  if (p.strategy == S::kTemporal) {
    return std::string("TemporalJoin(joinType=[") + joinTypeName(p.join_type) + "], where=[" + where +
           " AND __TEMPORAL_JOIN_CONDITION($" + std::to_string(p.left_time) + ", $" +
           std::to_string(p.right_time + static_cast<int>(p.inputs[0]->schema.size())) + ")], select=[" +
           fieldList(p.schema) + "])";
  }
  if (p.strategy == S::kWindow) {
    return std::string("WindowJoin(joinType=[") + joinTypeName(p.join_type) + "], leftWindow=[window_end=$" +
           std::to_string(p.left_time) + "], rightWindow=[window_end=$" + std::to_string(p.right_time) + "], where=[" +
           where + "], select=[" + fieldList(p.schema) + "])";
  }
  if (p.strategy == S::kInterval) {
    return std::string("IntervalJoin(joinType=[") + joinTypeName(p.join_type) +
           "], windowBounds=[isRowTime=" + (p.interval_proctime ? "false" : "true") +
           ", leftLowerBound=" + std::to_string(p.lower) +
           ", leftUpperBound=" + std::to_string(p.upper) + ", leftTimeIndex=" + std::to_string(p.left_time) +
           ", rightTimeIndex=" + std::to_string(p.right_time) + "], where=[" + (where.empty() ? "true" : where) +
           "], select=[" + fieldList(p.schema) + "])";
  }
  return std::string("Join(joinType=[") + joinTypeName(p.join_type) + "], where=[" + (where.empty() ? "true" : where) +
         "], select=[" + fieldList(p.schema) + "])";
}

// ROW_NUMBER, RANK or DENSE_RANK.
const char* rankFunctionName(RankSpec::Function f) {
  return f == RankSpec::Function::kRank ? "RANK" : f == RankSpec::Function::kDenseRank ? "DENSE_RANK" : "ROW_NUMBER";
}

// Flink's text: Rank(strategy=[AppendFastStrategy], rankType=[ROW_NUMBER],
// rankRange=[rankStart=1, rankEnd=N], partitionBy=[$0], orderBy=[$2 DESC], select=[...]).
std::string rankName(const PlanNode& p) {
  std::string partition, order;
  for (size_t i = 0; i < p.rank.partition.size(); ++i) {
    partition += (i ? ", $" : "$") + std::to_string(p.rank.partition[i]);
  }
  for (size_t i = 0; i < p.rank.order.size(); ++i) {
    order += (i ? ", $" : "$") + std::to_string(p.rank.order[i]) + (p.rank.descending[i] ? " DESC" : " ASC");
  }
  const bool time_dedup = p.rank.order_by_time && p.rank.limit == 1 && !p.rank.output_rank_number;
  if (time_dedup) {
    const LogicalType& order_type = p.inputs[0]->schema[static_cast<size_t>(p.rank.order[0])].type;
    return std::string(p.rank.window_end >= 0 ? "WindowDeduplicate" : "Deduplicate") + "(keep=[" +
           (p.rank.keepsLastRow() ? "LastRow" : "FirstRow") + "], key=[" + partition + "], order=[" +
           (order_type.proctime ? "PROCTIME" : "ROWTIME") + "])";
  }
  if (p.rank.window_end >= 0) {
    return std::string("WindowRank(rankType=[") + rankFunctionName(p.rank.function) +
           "], rankRange=[rankStart=1, rankEnd=" + std::to_string(p.rank.limit) +
           "], partitionBy=[" + partition + "], orderBy=[" + order + "], outputRankNumber=[" +
           (p.rank.output_rank_number ? "true" : "false") + "])";
  }
  return std::string("Rank(strategy=[") + (p.rank.append_only_input ? "AppendFastStrategy" : "RetractStrategy") +
         "], rankType=[" + rankFunctionName(p.rank.function) + "], rankRange=[rankStart=1, rankEnd=" +
         std::to_string(p.rank.limit) +
         "], partitionBy=[" + partition + "], orderBy=[" + order + "], outputRankNumber=[" +
         (p.rank.output_rank_number ? "true" : "false") + "])";
}

// Flink's text: OverAggregate(partitionBy=[$0], orderBy=[$3 ASC], window=[ROWS BETWEEN 2
// PRECEDING AND CURRENT ROW], select=[..., SUM($2) AS w0$o0]).
std::string overName(const PlanNode& p) {
  std::string partition;
  for (size_t i = 0; i < p.over.partition.size(); ++i) {
    partition += (i ? ", $" : "$") + std::to_string(p.over.partition[i]);
  }
  std::string frame = p.over.unbounded ? "UNBOUNDED"
                      : p.over.rows    ? std::to_string(p.over.preceding)
                                       : std::to_string(p.over.preceding) + " ms";
  std::string aggs;
  for (size_t a = 0; a < p.over.aggs.size(); ++a) aggs += (a ? ", " : "") + p.over.aggs[a].name;
  std::string order;
  if (p.over.time_col >= 0) order = "$" + std::to_string(p.over.time_col) + " ASC";
  for (size_t k = 0; k < p.over.order.order.size(); ++k) {  // Batch mode's ORDER BY.
    order += (k ? ", $" : "$") + std::to_string(p.over.order.order[k]) + (p.over.order.descending[k] ? " DESC" : " ASC");
  }
  if (!p.over.rows && !p.over.unbounded && p.over.time_col < 0 && !p.over.order.order.empty() &&
      p.inputs[0]->schema[static_cast<size_t>(p.over.order.order[0])].type.isInteger()) {
    frame = std::to_string(p.over.preceding);  // RANGE over an integer column.
  }
  return "OverAggregate(partitionBy=[" + partition + "], orderBy=[" + order + "], window=[" +
         (p.over.rows ? "ROWS" : "RANGE") + " BETWEEN " + frame +
         " PRECEDING AND CURRENT ROW], select=[" + aggs + "])";
}

// Flink's text, shortened: Match(partitionBy=[symbol], orderBy=[rowtime ASC],
// measures=[...], rowsPerMatch=[ONE ROW PER MATCH], after=[SKIP TO NEXT ROW],
// pattern=[A B+ C], define=[A, B]).
std::string matchName(const PlanNode& p) {
  const MatchSpec& m = *p.match;
  const Schema& in = p.inputs[0]->schema;
  std::string partition, order = in[static_cast<size_t>(m.time_col)].name + " ASC", measures, define;
  for (size_t i = 0; i < m.partition.size(); ++i) {
    partition += (i ? ", " : "") + in[static_cast<size_t>(m.partition[i])].name;
  }
  for (size_t k = 0; k < m.order.order.size(); ++k) {
    order += ", " + in[static_cast<size_t>(m.order.order[k])].name + (m.order.descending[k] ? " DESC" : " ASC");
  }
  for (size_t i = m.partition.size(); i < p.schema.size(); ++i) {
    measures += (measures.empty() ? "" : ", ") + p.schema[i].name;
  }
  for (size_t v = 0; v < m.vars.size(); ++v) {
    if (m.define[v]) define += (define.empty() ? "" : ", ") + m.vars[v];
  }
  const char* after = m.skip == MatchSpec::Skip::kToNextRow     ? "SKIP TO NEXT ROW"
                      : m.skip == MatchSpec::Skip::kPastLastRow ? "SKIP PAST LAST ROW"
                      : m.skip == MatchSpec::Skip::kToFirst     ? "SKIP TO FIRST "
                                                                : "SKIP TO LAST ";
  std::string skip = after;
  if (m.skip_var >= 0) skip += m.vars[static_cast<size_t>(m.skip_var)];
  return "Match(partitionBy=[" + partition + "], orderBy=[" + order + "], measures=[" + measures +
         "], rowsPerMatch=[ONE ROW PER MATCH], after=[" + skip + "], pattern=[" + m.pattern_text + "]" +
         (m.within > 0 ? ", within=[" + std::to_string(m.within) + " ms]" : std::string()) + ", define=[" + define +
         "])";
}

// Flink's batch Sort, SortLimit and Limit; without any of them, the final rows of an
// updating query.
std::string sortName(const PlanNode& p) {
  const SortSpec& spec = p.sort;
  const Schema& in = p.inputs[0]->schema;
  std::string order;
  for (size_t k = 0; k < spec.order.size(); ++k) {
    order += (k ? ", " : "") + in[static_cast<size_t>(spec.order[k])].name + (spec.descending[k] ? " DESC" : " ASC");
    if (k < spec.nulls_first.size() && spec.nulls_first[k]) order += *spec.nulls_first[k] ? " NULLS FIRST" : " NULLS LAST";
  }
  const bool limited = spec.offset > 0 || spec.fetch >= 0;
  const std::string limit = "offset=[" + std::to_string(spec.offset) + "], fetch=[" +
                            (spec.fetch >= 0 ? std::to_string(spec.fetch) : std::string("unlimited")) + "]";
  if (!spec.order.empty()) {
    return (limited ? "SortLimit(orderBy=[" : "Sort(orderBy=[") + order + "]" + (limited ? ", " + limit : "") + ")";
  }
  return limited ? "Limit(" + limit + ")" : "FinalRows(changelog applied, as inserts)";
}

// Flink's text: Correlate(invocation=[SPLIT($1)], select=[...], joinType=[INNER]).
std::string correlateName(const PlanNode& p) {
  std::string args;
  for (size_t i = 0; i < p.projections.size(); ++i) args += (i ? ", " : "") + p.projections[i]->toString();
  return "Correlate(invocation=[table_function(" + args + ")], select=[" + fieldList(p.schema) + "], joinType=[" +
         (p.join_type == JoinType::kLeft ? "LEFT" : "INNER") + "])";
}

// A filesystem table's path as both of its sides use it (without file://).
std::string filesystemPath(const std::string& path) { return path.rfind("file://", 0) == 0 ? path.substr(7) : path; }

// The table.exec.* options the operators follow.
struct ExecOptions {
  int64_t state_ttl_ms = 0;  // table.exec.state.ttl; 0: state kept forever.
  MiniBatch mini_batch;      // table.exec.mini-batch.*; size 0: off.
};

// Reads the table.exec.* options of `config`; a malformed one is an error naming it.
Result<ExecOptions> execOptions(const std::map<std::string, std::string>& config) {
  ExecOptions o;
  auto get = [&](const char* key) -> const std::string* {
    auto it = config.find(key);
    return it == config.end() ? nullptr : &it->second;
  };
  auto duration = [&](const char* key, int64_t* out) -> Status {
    const std::string* v = get(key);
    if (v && !parseDurationMillis(*v, out)) {
      return Status::invalidArgument(std::string("option '") + key + "' is not a duration: '" + *v +
                                     "' (write it as '1 h', '30 min' or milliseconds)");
    }
    return Status::ok();
  };
  EDDY_RETURN_IF_ERROR(duration("table.exec.state.ttl", &o.state_ttl_ms));
  const std::string* enabled = get("table.exec.mini-batch.enabled");
  if (enabled && *enabled != "true" && *enabled != "false") {
    return Status::invalidArgument("option 'table.exec.mini-batch.enabled' must be true or false, not '" + *enabled + "'");
  }
  if (enabled && *enabled == "true") {
    // As Flink: both the latency and the size must be set and positive.
    EDDY_RETURN_IF_ERROR(duration("table.exec.mini-batch.allow-latency", &o.mini_batch.latency_ms));
    if (o.mini_batch.latency_ms <= 0) {
      return Status::invalidArgument("option 'table.exec.mini-batch.allow-latency' must be greater than 0 ms when "
                                     "mini-batch is enabled");
    }
    const std::string* size = get("table.exec.mini-batch.size");
    char* end = nullptr;
    o.mini_batch.size = size ? std::strtoll(size->c_str(), &end, 10) : 0;
    if (!size || *end != '\0' || o.mini_batch.size <= 0) {
      return Status::invalidArgument("option 'table.exec.mini-batch.size' must be greater than 0 when mini-batch is "
                                     "enabled");
    }
  }
  return o;
}

// A table's column names, for the checks that name them.
std::vector<std::string> columnNames(const TableDef& def) {
  std::vector<std::string> names;
  for (const auto& c : def.schema) names.push_back(c.name);
  return names;
}

// execution.runtime-mode = batch (any case; 'automatic' runs as streaming).
bool batchMode(const std::map<std::string, std::string>& config) {
  auto it = config.find("execution.runtime-mode");
  if (it == config.end()) return false;
  std::string mode = it->second;
  std::transform(mode.begin(), mode.end(), mode.begin(), [](unsigned char c) { return std::tolower(c); });
  return mode == "batch";
}

// Reads the table.optimizer.* options of `config` (and whether a mini-batch is on, which
// Flink's two-phase aggregation needs); a malformed one is an error naming it.
Result<OptimizerOptions> optimizerOptions(const std::map<std::string, std::string>& config) {
  EDDY_ASSIGN_OR_RETURN(ExecOptions exec, execOptions(config));
  std::string strategy = "AUTO";
  auto it = config.find("table.optimizer.agg-phase-strategy");
  if (it != config.end()) {
    strategy = it->second;
    for (char& c : strategy) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (strategy != "AUTO" && strategy != "ONE_PHASE" && strategy != "TWO_PHASE") {
      return Status::invalidArgument("option 'table.optimizer.agg-phase-strategy' must be AUTO, ONE_PHASE or "
                                     "TWO_PHASE, not '" + it->second + "'");
    }
  }
  OptimizerOptions o;
  o.batch = batchMode(config);
  o.two_phase = exec.mini_batch.size > 0 && strategy != "ONE_PHASE";
  it = config.find("table.optimizer.distinct-agg.split.enabled");
  if (it != config.end()) {
    if (it->second != "true" && it->second != "false") {
      return Status::invalidArgument("option 'table.optimizer.distinct-agg.split.enabled' must be true or false, not '" +
                                     it->second + "'");
    }
    o.distinct_split = it->second == "true";
  }
  it = config.find("table.optimizer.distinct-agg.split.bucket-num");
  if (it != config.end()) {
    char* end = nullptr;
    o.distinct_buckets = std::strtoll(it->second.c_str(), &end, 10);
    if (it->second.empty() || *end != '\0' || o.distinct_buckets <= 0 || o.distinct_buckets > (1 << 20)) {
      return Status::invalidArgument("option 'table.optimizer.distinct-agg.split.bucket-num' must be a number from 1 "
                                     "to 1048576, not '" + it->second + "'");
    }
  }
  return o;
}

// Plans a query with the session's optimizer options.
Result<PlanPtr> planWith(const ast::Query& query, const Catalog& catalog,
                         const std::map<std::string, std::string>& config) {
  EDDY_ASSIGN_OR_RETURN(OptimizerOptions options, optimizerOptions(config));
  return planQuery(query, catalog, options);
}

// A fromDataStream table's option: the id of its stream in the session.
constexpr const char* kDataStreamId = "datastream.id";

// Translates a plan into operators of a job on `env` (DESIGN: SQL compiles to
// ordinary runtime operators).
class Translator {
 public:
  /// `written`: while a script is checked, the filesystem paths its INSERTs write.
  /// `streams`: the tables fromDataStream made, when `env` is their environment.
  Translator(api::StreamExecutionEnvironment& env, const std::map<std::string, std::string>& config,
             ExecOptions options, const std::set<std::string>* written,
             const std::map<std::string, Stream>* streams = nullptr)
      : env_(env), config_(config), options_(options), written_(written), streams_(streams) {}

  // A node used by several others (a shared scan, a view or CTE read twice) becomes one
  // operator whose output feeds them all.
  Result<Stream> translate(const PlanPtr& p) {
    auto done = translated_.find(p.get());
    if (done != translated_.end()) return done->second.second;
    EDDY_ASSIGN_OR_RETURN(Stream s, translateNode(p));
    translated_.emplace(p.get(), std::make_pair(p, s));
    return s;
  }

 private:
  Result<Stream> translateNode(const PlanPtr& p) {
    switch (p->kind) {
      case PlanNode::Kind::kScan: return scan(*p);
      case PlanNode::Kind::kCalc: {
        EDDY_ASSIGN_OR_RETURN(Stream in, translate(p->inputs[0]));
        auto filter = p->filter;
        auto projections = p->projections;
        auto op = in.transform<RecordBatch>("Calc(select=[" + fieldList(p->schema) + "])", [filter, projections] {
          return std::make_unique<CalcOperator>(filter, projections);
        });
        return rowWise(in, op);
      }
      case PlanNode::Kind::kWindowTableFunction: {
        EDDY_ASSIGN_OR_RETURN(Stream in, translate(p->inputs[0]));
        int col = p->time_col;
        WindowSpec w = p->window;
        auto op = in.transform<RecordBatch>("WindowTableFunction(window=[" + w.toString() + "])", [col, w] {
          return std::make_unique<WindowTableFunctionOperator>(col, w);
        });
        if (w.kind != WindowSpec::Kind::kSession || p->per_row_windows) return rowWise(in, op);
        // Each row's own window, merged per partition key into sessions whose rows come
        // out when they close.
        Stream rows = rowWise(in, op);
        auto partition = p->partition_keys;
        auto types = typesOf(p->schema);
        const bool proctime = p->schema.back().type.proctime;
        auto merged = byKey(rows, partition, p->schema)
                          .transform<RecordBatch>("SessionWindowTableFunction(window=[" + w.toString() + "])", [=] {
                            return SessionWindowAggregateOperator::sessionRows(partition, types, w.zone, proctime);
                          });
        return keyedParallelism(merged, partition);
      }
      case PlanNode::Kind::kGroupAggregate:
      case PlanNode::Kind::kWindowAggregate: {
        EDDY_ASSIGN_OR_RETURN(Stream in, translate(p->inputs[0]));
        const Schema& in_schema = p->inputs[0]->schema;
        std::vector<LogicalType> key_types;
        for (int k : p->keys) key_types.push_back(in_schema[static_cast<size_t>(k)].type);
        std::vector<LogicalType> out_types = typesOf(p->schema);
        auto keys = p->keys;
        auto aggs = p->aggs;
        std::string names;
        for (const auto& a : aggs) names += (names.empty() ? "" : ", ") + a.name;
        if (p->kind == PlanNode::Kind::kGroupAggregate) {
          int64_t ttl = p->hinted_ttl_ms[0] >= 0 ? p->hinted_ttl_ms[0] : options_.state_ttl_ms;
          MiniBatch mini_batch = options_.mini_batch;
          if (p->phase == PlanNode::AggPhase::kLocal) {
            // Before the shuffle, at its input's parallelism.
            auto op = in.transform<RecordBatch>("LocalGroupAggregate(select=[" + names + "])", [=] {
              return std::make_unique<LocalGroupAggregateOperator>(keys, key_types, aggs, mini_batch);
            });
            return rowWise(in, op);
          }
          const bool global = p->phase == PlanNode::AggPhase::kGlobal;
          auto op = byKey(in, keys, in_schema)
                        .transform<RecordBatch>(std::string(global ? "Global" : "") + "GroupAggregate(select=[" +
                                                    names + "])",
                                                [=] {
                                                  return std::make_unique<GroupAggregateOperator>(
                                                      keys, key_types, aggs, out_types, ttl, mini_batch, global);
                                                });
          return keyedParallelism(op, keys);
        }
        int start = p->time_col;
        int end = p->end_col;
        if (p->window.kind == WindowSpec::Kind::kSession && !p->attached_sessions) {
          auto partition = p->partition_keys;
          auto in_types = typesOf(in_schema);
          const bool proctime = p->schema[keys.size() + 2].type.proctime;  // window_time's kind
          auto op = byKey(in, partition, in_schema)
                        .transform<RecordBatch>(
                            "SessionWindowAggregate(window=[" + p->window.toString() + "], select=[" + names + "])",
                            [=] {
                              return std::make_unique<SessionWindowAggregateOperator>(
                                  keys, partition, start, end, aggs, in_types, out_types, p->window.zone, proctime);
                            });
          return keyedParallelism(op, partition);
        }
        const bool proctime = p->schema[keys.size() + 2].type.proctime;
        // A fused window TVF: rows are sliced by their time column; else they carry their window.
        const SliceAssigner slices = p->assigns_windows ? SliceAssigner::sliced(p->window)
                                                        : SliceAssigner::windowed(p->window);
        const int time = p->assigns_windows ? start : end;
        // Rows carrying merged sessions: each session a window of its own, keyed by its start too.
        const bool attached = p->attached_sessions;
        if (attached) {
          keys.push_back(start);
          key_types.push_back(in_schema[static_cast<size_t>(start)].type);
        }
        auto op = byKey(in, keys, in_schema)
                      .transform<RecordBatch>("WindowAggregate(window=[" + p->window.toString() +
                                                  (attached ? " attached" : "") + "], select=[" + names + "])",
                                              [=] {
                                                return std::make_unique<WindowAggregateOperator>(
                                                    keys, key_types, slices, time, aggs, out_types, proctime,
                                                    attached);
                                              });
        return keyedParallelism(op, keys);
      }
      case PlanNode::Kind::kJoin: {
        if (p->strategy == PlanNode::JoinStrategy::kLookup) return lookupJoin(*p);
        EDDY_ASSIGN_OR_RETURN(Stream left, translate(p->inputs[0]));
        EDDY_ASSIGN_OR_RETURN(Stream right, translate(p->inputs[1]));
        if (p->strategy == PlanNode::JoinStrategy::kInterval) return intervalJoin(*p, left, right);
        if (p->strategy == PlanNode::JoinStrategy::kTemporal) return temporalJoin(*p, left, right);
        if (p->strategy == PlanNode::JoinStrategy::kWindow) {
          WindowJoinSpec spec;
          static_cast<JoinSpec&>(spec) = joinSpec(*p);
          spec.left_end = p->left_time;
          spec.right_end = p->right_time;
          spec.window_zone = p->window.zone;
          return keyedJoin<WindowJoinOperator>(*p, left, right, spec);
        }
        return keyedJoin<JoinOperator>(*p, left, right, joinSpec(*p));
      }
      case PlanNode::Kind::kRank: {
        if (p->rank.limit < 1 && batchMode(config_)) {
          // Batch mode numbers every row (no filter needed): a batch OVER of the rank function.
          EDDY_ASSIGN_OR_RETURN(Stream in, translate(p->inputs[0]));
          OverSpec spec;
          spec.partition = p->rank.partition;
          spec.order = p->rank;
          spec.input_types = p->rank.input_types;
          AggregateCall number;
          number.kind = p->rank.function == RankSpec::Function::kRank        ? AggKind::kRank
                        : p->rank.function == RankSpec::Function::kDenseRank ? AggKind::kDenseRank
                                                                             : AggKind::kRowNumber;
          number.type = LogicalType::bigint().notNull();
          spec.aggs.push_back(std::move(number));
          auto op = byKey(in, spec.partition, p->inputs[0]->schema)
                        .transform<RecordBatch>("OverAggregate(" + rankName(*p) + ")", [spec] {
                          return std::make_unique<BatchOverAggregateOperator>(spec);
                        });
          return keyedParallelism(op, spec.partition);
        }
        if (p->rank.limit < 1) {
          return Status::invalidArgument(
              std::string(rankFunctionName(p->rank.function)) +
              "() over a stream needs a filter on its result, such as WHERE rownum <= 10 (Top-N) or "
              "WHERE rownum = 1 (deduplication)");
        }
        EDDY_ASSIGN_OR_RETURN(Stream in, translate(p->inputs[0]));
        RankSpec spec = p->rank;
        spec.state_ttl_ms = options_.state_ttl_ms;
        auto op = byKey(in, spec.partition, p->inputs[0]->schema)
                      .transform<RecordBatch>(rankName(*p), [spec] { return std::make_unique<RankOperator>(spec); });
        return keyedParallelism(op, spec.partition);
      }
      case PlanNode::Kind::kCorrelate: {
        EDDY_ASSIGN_OR_RETURN(Stream in, translate(p->inputs[0]));
        auto function = p->table_function;
        auto args = p->projections;
        bool left = p->join_type == JoinType::kLeft;
        auto types = typesOf(p->schema);
        auto op = in.transform<RecordBatch>(correlateName(*p), [=] {
          return std::make_unique<CorrelateOperator>(function, args, left, types);
        });
        return rowWise(in, op);
      }
      case PlanNode::Kind::kOverAggregate: {
        EDDY_ASSIGN_OR_RETURN(Stream in, translate(p->inputs[0]));
        OverSpec spec = p->over;
        const bool batch = batchMode(config_);
        using Op = runtime::OneInputStreamOperator<RecordBatch, RecordBatch>;
        auto op = byKey(in, spec.partition, p->inputs[0]->schema)
                      .transform<RecordBatch>(overName(*p), [spec, batch]() -> std::unique_ptr<Op> {
                        if (batch) return std::make_unique<BatchOverAggregateOperator>(spec);
                        return std::make_unique<OverAggregateOperator>(spec);
                      });
        return keyedParallelism(op, spec.partition);
      }
      case PlanNode::Kind::kMatch: {
        EDDY_ASSIGN_OR_RETURN(Stream in, translate(p->inputs[0]));
        std::shared_ptr<const MatchSpec> spec = p->match;
        auto op = byKey(in, spec->partition, p->inputs[0]->schema).transform<RecordBatch>(matchName(*p), [spec] {
          return std::make_unique<MatchOperator>(spec);
        });
        return keyedParallelism(op, spec->partition);
      }
      case PlanNode::Kind::kSort: {
        // Every row to one subtask, which emits them when its input ends.
        EDDY_ASSIGN_OR_RETURN(Stream in, translate(p->inputs[0]));
        SortSpec spec = p->sort;
        auto op = byKey(in, {}, p->inputs[0]->schema).transform<RecordBatch>(sortName(*p), [spec] {
          return std::make_unique<BatchSortOperator>(spec);
        });
        return keyedParallelism(op, {});
      }
      case PlanNode::Kind::kUnion: {
        if (expandInput(*p)) {  // Flink's Expand: one operator, row by row.
          EDDY_ASSIGN_OR_RETURN(Stream in, translate(p->inputs[0]->inputs[0]));
          std::vector<std::vector<std::shared_ptr<const Expression>>> projects;
          for (const auto& calc : p->inputs) projects.push_back(calc->projections);
          auto op = in.transform<RecordBatch>("Expand(projects=[" + fieldList(p->schema) + "])",
                                              [projects] { return std::make_unique<ExpandOperator>(projects); });
          return rowWise(in, op);
        }
        EDDY_ASSIGN_OR_RETURN(Stream acc, translate(p->inputs[0]));
        for (size_t i = 1; i < p->inputs.size(); ++i) {
          EDDY_ASSIGN_OR_RETURN(Stream next, translate(p->inputs[i]));
          acc = acc.union_(next);
        }
        return acc;
      }
    }
    return Status::internal("unknown plan node");
  }

 private:
  // A row-wise operator runs at its input's parallelism, chained to it: a changelog
  // then keeps its order (a retraction cannot overtake the row it retracts).
  static Stream rowWise(const Stream& in, api::SingleOutputStreamOperator<RecordBatch>& op) {
    op.setParallelism(in.getParallelism());
    return Stream(op);
  }

  // The exchange in front of a keyed operator: each row to the subtask owning its key's
  // key group, or every row to one subtask when there is no key (a global aggregate, a
  // cross join), as in Flink.
  static Stream byKey(const Stream& in, const std::vector<int>& keys, const Schema& schema) {
    if (keys.empty()) return in.global();
    std::vector<LogicalType> types;
    for (int k : keys) types.push_back(schema[static_cast<size_t>(k)].type);
    return in.partitionByKeyGroups([keys, types](int max_parallelism, int channels) {
      return std::make_unique<KeyGroupSplitter>(keys, types, max_parallelism, channels);
    });
  }
  static Stream keyedParallelism(api::SingleOutputStreamOperator<RecordBatch>& op, const std::vector<int>& keys) {
    if (keys.empty()) op.setParallelism(1);
    return Stream(op);
  }

  // What every join operator takes from a join node.
  JoinSpec joinSpec(const PlanNode& p) const {
    JoinSpec spec;
    spec.type = p.join_type;
    spec.left_keys = p.left_keys;
    spec.right_keys = p.right_keys;
    spec.condition = p.filter;
    spec.left_types = typesOf(p.inputs[0]->schema);
    spec.right_types = typesOf(p.inputs[1]->schema);
    spec.state_ttl_ms = options_.state_ttl_ms;
    for (int side = 0; side < 2; ++side) spec.side_ttl_ms[side] = p.hinted_ttl_ms[side];  // A STATE_TTL hint's.
    return spec;
  }

  Result<Stream> temporalJoin(const PlanNode& p, const Stream& left, const Stream& right) {
    TemporalJoinSpec spec;
    static_cast<JoinSpec&>(spec) = joinSpec(p);
    spec.left_time = p.left_time;
    spec.right_time = p.right_time;
    spec.upsert_right = p.upsert_right;
    return keyedJoin<TemporalJoinOperator>(p, left, right, spec);
  }

  // A two-input join operator `Op` made from `spec`, each input sent to the subtask of
  // its key.
  template <typename Op, typename Spec>
  Stream keyedJoin(const PlanNode& p, const Stream& left, const Stream& right, const Spec& spec) {
    auto op = byKey(left, spec.left_keys, p.inputs[0]->schema)
                  .connect(byKey(right, spec.right_keys, p.inputs[1]->schema))
                  .template transform<RecordBatch>(joinName(p), [spec] { return std::make_unique<Op>(spec); });
    return keyedParallelism(op, spec.left_keys);
  }

  Result<Stream> intervalJoin(const PlanNode& p, const Stream& left, const Stream& right) {
    IntervalJoinSpec spec;
    static_cast<JoinSpec&>(spec) = joinSpec(p);
    spec.left_time = p.left_time;
    spec.right_time = p.right_time;
    spec.lower = p.lower;
    spec.upper = p.upper;
    spec.proctime = p.interval_proctime;
    return keyedJoin<IntervalJoinOperator>(p, left, right, spec);
  }

  Result<Stream> scan(const PlanNode& p) {
    const TableDef& t = *p.table;
    if (t.options.count(kDataStreamId)) return dataStreamScan(p);
    EDDY_ASSIGN_OR_RETURN(auto source, tableSource(p));
    const bool batch = batchMode(config_);
    if (batch && !source->isBounded()) {
      return Status::invalidArgument("Querying an unbounded table '" + t.name +
                                     "' in batch mode is not allowed. The table source is unbounded.");
    }
    // In batch mode no row is late: the only watermark is the last one, when the input ends.
    auto watermarks = batch ? operators::WatermarkStrategy<RecordBatch>::noWatermarks() : sqlWatermarks();
    auto s = env_.fromSource<RecordBatch>(source, watermarks,
                                          "TableSourceScan(table=[[" + explainedPath(t.name, true) +
                                              "]], fields=[" + fieldList(p.schema) + "])");
    if (t.options.count("connector") && t.options.at("connector") == "values") s.setParallelism(1);
    return Stream(s);
  }

  // A table fromDataStream made: its stream, narrowed to the columns the scan outputs.
  Result<Stream> dataStreamScan(const PlanNode& p) {
    const TableDef& t = *p.table;
    auto it = streams_ ? streams_->find(t.options.at(kDataStreamId)) : decltype(streams_->end()){};
    if (!streams_ || it == streams_->end()) {
      return Status::invalidArgument("table '" + t.name +
                                     "' comes from a DataStream: query it with sqlQuery and toDataStream in its "
                                     "environment, not with executeSql");
    }
    Stream stream = it->second;
    if (p.scan_columns.empty()) return stream;
    std::vector<std::shared_ptr<const Expression>> projections;
    for (int c : p.scan_columns) projections.push_back(std::make_shared<InputRef>(c, t.schema[static_cast<size_t>(c)].type));
    auto op = stream.transform<RecordBatch>("Calc(select=[" + fieldList(p.schema) + "])", [projections] {
      return std::make_unique<CalcOperator>(nullptr, projections);
    });
    return rowWise(stream, op);
  }

  // The source a scan node reads: its table's connector, computed columns, watermark
  // and the columns the scan outputs.
  Result<std::shared_ptr<TableSource>> tableSource(const PlanNode& p) {
    const TableDef& t = *p.table;
    Schema physical = t.physicalSchema();
    std::map<std::string, std::string> options = t.options;
    if (written_ && options["connector"] == "filesystem" && written_->count(filesystemPath(options["path"]))) {
      // Checking a script: an earlier INSERT of the script writes this path, so it
      // may not exist yet; an empty stand-in lets the check go on.
      options = {{"connector", "values"}};
    }
    EDDY_ASSIGN_OR_RETURN(auto factory, createSourceFactory(t.name, options, physical, t.values, t.partition_keys));
    // A reader's row: the physical columns, then the metadata columns.
    const Schema read = t.readSchema();
    const std::vector<LogicalType> read_types = typesOf(read);
    std::vector<LogicalType> metadata_types(read_types.begin() + static_cast<long>(physical.size()), read_types.end());
    Status st = factory->readMetadata(t.metadataKeys(), metadata_types);
    if (!st.isOk()) return Status::invalidArgument("table '" + t.name + "': " + st.message());
    RowLayout layout;
    int phys = 0;
    int meta = static_cast<int>(physical.size());
    for (size_t c = 0; c < t.schema.size(); ++c) {
      layout.physical_index.push_back(t.computed[c] ? -1 : t.isMetadata(c) ? meta++ : phys++);
      layout.computed.push_back(t.computed[c] ? t.computed_exprs[c] : nullptr);
      layout.types.push_back(t.schema[c].type);
    }
    layout.output = p.scan_columns;
    layout.watermark = t.watermark;
    if (p.scan_filter) {
      std::map<int, int64_t> pinned;  // Full-row column -> the one value every row read has.
      for (const ColumnEquality& eq : columnEqualities(*p.scan_filter)) {
        const size_t column = p.scan_columns.empty() ? static_cast<size_t>(eq.column)
                                                     : static_cast<size_t>(p.scan_columns[static_cast<size_t>(eq.column)]);
        const int index = layout.physical_index[column];
        if (index < 0 || static_cast<size_t>(index) >= physical.size()) continue;
        if (factory->applyFilter(index, eq.values) && eq.values.size() == 1) pinned[static_cast<int>(column)] = eq.values[0];
      }
      foldPinnedColumns(pinned, layout);
    }
    // After the folding: a decided CASE no longer reads its other branches' columns.
    std::vector<bool> needed = layout.neededPhysical(read.size());
    needed.resize(physical.size());  // Metadata is not read from the data.
    factory->projectColumns(needed);
    if (p.scan_filter && !t.partition_keys.empty()) prunePartitions(p, layout, *factory);
    return std::make_shared<TableSource>(factory, layout, read_types);
  }

  // The computed columns of `layout` with the columns a connector pins (it emits no row
  // with another value) as literals, their CASEs decided: the Nexmark table's
  // `dateTime AS CASE WHEN event_type = 0 THEN person.dateTime ...` under the bid
  // view's `event_type = 2` becomes bid.dateTime, no longer a CASE per row.
  static void foldPinnedColumns(const std::map<int, int64_t>& pinned, RowLayout& layout) {
    if (pinned.empty()) return;
    for (auto& computed : layout.computed) {
      if (!computed) continue;
      bool reads_pinned = false;
      ExprP bound = computed->cloneWith([&](int index, const LogicalType& type) -> ExprP {
        auto it = pinned.find(index);
        if (it == pinned.end()) return std::make_unique<InputRef>(index, type);
        reads_pinned = true;
        return std::make_unique<Literal>(Value::ofInt(it->second), type.withNullable(false), std::to_string(it->second));
      });
      if (!reads_pinned) continue;
      if (const auto* branches = dynamic_cast<const CaseCall*>(bound.get())) bound = branches->withConstantConditionsDecided();
      computed = std::move(bound);
    }
  }

  // Partition pruning for scan `p` of a partitioned table: the conjuncts of its filter
  // that read partition columns only, evaluated on each partition's values; the
  // factory skips the partitions where one is not true (the filter still runs).
  static void prunePartitions(const PlanNode& p, const RowLayout& layout, RowSourceFactory& factory) {
    const TableDef& t = *p.table;
    // Scan output column -> its slot in a partition's row; the slots' physical columns.
    std::map<int, int> slot_of;
    std::vector<size_t> physical;
    std::vector<LogicalType> types;
    for (size_t i = 0; i < p.schema.size(); ++i) {
      const size_t c = p.scan_columns.empty() ? i : static_cast<size_t>(p.scan_columns[i]);
      const int index = layout.physical_index[c];
      if (index < 0 || std::count(t.partition_keys.begin(), t.partition_keys.end(), t.schema[c].name) == 0) continue;
      slot_of[static_cast<int>(i)] = static_cast<int>(physical.size());
      physical.push_back(static_cast<size_t>(index));
      types.push_back(t.schema[c].type);
    }
    std::vector<const Expression*> conjuncts;
    std::function<void(const Expression&)> split = [&](const Expression& e) {
      const auto* call = dynamic_cast<const LogicalCall*>(&e);
      if (call && call->op() == LogicalCall::Op::kAnd) {
        for (const ExprP& a : call->args()) split(*a);
      } else {
        conjuncts.push_back(&e);
      }
    };
    split(*p.scan_filter);
    auto tests = std::make_shared<std::vector<ExprP>>();
    for (const Expression* c : conjuncts) {
      std::vector<bool> used(p.schema.size(), false);
      markInputs(*c, used);
      bool partition_only = true;
      for (size_t i = 0; i < used.size(); ++i) partition_only = partition_only && (!used[i] || slot_of.count(static_cast<int>(i)));
      if (!partition_only) continue;
      tests->push_back(c->cloneWith([&](int index, const LogicalType& type) -> ExprP {
        return std::make_unique<InputRef>(slot_of.at(index), type);
      }));
    }
    if (tests->empty()) return;
    factory.applyPartitionFilter([tests, physical, types](const RowSourceFactory::PartitionValues& values) {
      RecordBatch row = emptyBatch(types);
      for (size_t s = 0; s < physical.size(); ++s) {
        auto it = std::find_if(values.begin(), values.end(), [&](const auto& v) { return v.first == physical[s]; });
        appendValue(row.columns[s], it == values.end() ? Value() : it->second);
      }
      row.kinds.push_back(RowKind::kInsert);
      for (const ExprP& test : *tests) {
        const Column& keep = test->eval(row);
        if (keep.isNull(0) || keep.i64[0] == 0) return false;
      }
      return true;
    });
  }

  // A lookup join: the side table is read by the operator, not streamed; the input is
  // not redistributed (as in Flink, the lookup runs where the row is).
  Result<Stream> lookupJoin(const PlanNode& p) {
    EDDY_ASSIGN_OR_RETURN(Stream in, translate(p.inputs[0]));
    const PlanNode& side = *p.inputs[1];
    EDDY_ASSIGN_OR_RETURN(auto source, tableSource(side));
    if (!source->isBounded()) {
      return Status::invalidArgument("lookup join: table '" + side.table->name +
                                     "' is not bounded; a lookup table is read whole (filesystem or values)");
    }
    LookupJoinSpec spec;
    static_cast<JoinSpec&>(spec) = joinSpec(p);
    spec.table = side.table->name;
    spec.source = source;
    auto op = in.transform<RecordBatch>(joinName(p), [spec] { return std::make_unique<LookupJoinOperator>(spec); });
    return rowWise(in, op);
  }

  api::StreamExecutionEnvironment& env_;
  const std::map<std::string, std::string>& config_;
  // By node; each entry keeps its node alive, so that a later statement's node cannot
  // take a freed one's address and be mistaken for it (a statement set plans and
  // translates its INSERTs one after the other).
  std::map<const PlanNode*, std::pair<PlanPtr, Stream>> translated_;
  ExecOptions options_;
  const std::set<std::string>* written_;
  const std::map<std::string, Stream>* streams_;
};

constexpr const char* kLocalTimeZone = "table.local-time-zone";

// 'text', with a quote in it doubled.
std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// A table's key as Flink writes the table's path: `cat`.`db`.`t`.
std::string qualifiedIdentifier(const std::string& key) { return quotedObjectPath(objectPathOf(key)); }

// The name Flink gives a PRIMARY KEY without one: PK_ and the Java hashCode of the
// list of its column names.
std::string primaryKeyName(const std::vector<std::string>& columns) {
  int32_t list = 1;
  for (const std::string& c : columns) {
    int32_t h = 0;
    for (unsigned char ch : c) h = static_cast<int32_t>(31u * static_cast<uint32_t>(h) + ch);
    list = static_cast<int32_t>(31u * static_cast<uint32_t>(list) + static_cast<uint32_t>(h));
  }
  return "PK_" + std::to_string(list);
}

// A table's columns as declared, each with its index in `schema`: a ROW column (kept as
// its null marker and its fields' columns) as one column of its ROW type, at its
// marker's index.
std::vector<std::pair<size_t, ColumnSchema>> declaredColumns(const Schema& schema) {
  std::vector<std::pair<size_t, ColumnSchema>> out;
  std::set<std::string> rows;
  for (size_t i = 0; i < schema.size(); ++i) {
    const std::string& name = schema[i].name;
    const size_t dot = name.find('.');
    if (isRowNullMarker(name) && dot == name.size() - 1) {
      const std::string row = name.substr(0, dot);
      rows.insert(row);
      if (ExprP whole = rowOfColumns(schema, row)) out.emplace_back(i, ColumnSchema{row, whole->type()});
      continue;
    }
    if (dot != std::string::npos && rows.count(name.substr(0, dot))) continue;  // In its ROW.
    out.emplace_back(i, schema[i]);
  }
  return out;
}

// SHOW CREATE TABLE: the DDL as Flink's ShowCreateUtil writes it.
std::string showCreateTable(const TableDef& t) {
  std::string s = "CREATE TABLE " + qualifiedIdentifier(t.name) + " (\n";
  bool first_column = true;
  for (const auto& [i, c] : declaredColumns(t.schema)) {
    s += (first_column ? "  " : ",\n  ") + quoteIdentifier(c.name) + " ";
    first_column = false;
    if (i < t.computed.size() && t.computed[i]) {
      s += t.computed_text[i];
    } else {
      const bool key = std::find(t.primary_key.begin(), t.primary_key.end(), c.name) != t.primary_key.end();
      s += (key ? c.type.withNullable(false) : c.type).asSerializableString();  // Key columns are NOT NULL.
      if (t.isMetadata(i)) s += " METADATA FROM " + quoted(t.metadata[i]) + (t.metadata_virtual[i] ? " VIRTUAL" : "");
    }
  }
  if (t.rowtime >= 0 && !t.watermark_text.empty()) {
    s += ",\n  WATERMARK FOR " + quoteIdentifier(t.schema[static_cast<size_t>(t.rowtime)].name) + " AS " +
         t.watermark_text;
  }
  if (!t.primary_key.empty()) {
    s += ",\n  CONSTRAINT " + quoteIdentifier(primaryKeyName(t.primary_key)) + " PRIMARY KEY (";
    for (size_t i = 0; i < t.primary_key.size(); ++i) s += (i ? ", " : "") + quoteIdentifier(t.primary_key[i]);
    s += ") NOT ENFORCED";
  }
  s += "\n) ";
  if (!t.partition_keys.empty()) {
    s += "PARTITIONED BY (";
    for (size_t i = 0; i < t.partition_keys.size(); ++i) s += (i ? ", " : "") + quoteIdentifier(t.partition_keys[i]);
    s += ")\n";
  }
  if (!t.options.empty()) {
    s += "WITH (\n";
    bool first = true;
    for (const auto& [k, v] : t.options) {
      s += (first ? "  " : ",\n  ") + quoted(k) + " = " + quoted(v);
      first = false;
    }
    s += "\n)\n";
  }
  return s;
}

std::string explainNode(const PlanNode& p, int indent) {
  std::string pad(static_cast<size_t>(indent) * 2, ' ');
  std::string s = pad;
  switch (p.kind) {
    case PlanNode::Kind::kScan:
      if (p.table->inline_values) {
        s += "Values(tuples=[[";
        for (size_t r = 0; r < p.table->values->items.size(); ++r) {
          const auto& row = p.table->values->items[r].values;
          s += r ? ", { " : "{ ";
          for (size_t c = 0; c < row.size(); ++c) {
            const LogicalType& t = p.table->schema[c].type;
            std::string v = formatValue(row[c], t);
            s += (c ? ", " : "") + (t.isString() && !row[c].null ? "'" + v + "'" : v);
          }
          s += " }";
        }
        s += "]])";
        break;
      }
      s += "TableSourceScan(table=[[" + explainedPath(p.table->name, true) +
           (p.scan_columns.empty() ? "" : ", project=[" + fieldList(p.schema) + "]") + "]], fields=[" +
           fieldList(p.schema) + "])";
      break;
    case PlanNode::Kind::kCalc: {
      s += "Calc(select=[" + projectionList(p) + "]";
      if (p.filter) s += ", where=[" + p.filter->toString() + "]";
      s += ")";
      break;
    }
    case PlanNode::Kind::kGroupAggregate:
    case PlanNode::Kind::kWindowAggregate: {
      if (p.kind == PlanNode::Kind::kGroupAggregate) {
        s += p.phase == PlanNode::AggPhase::kLocal    ? "LocalGroupAggregate("
             : p.phase == PlanNode::AggPhase::kGlobal ? "GlobalGroupAggregate("
                                                      : "GroupAggregate(";
      } else {
        s += "WindowAggregate(window=[" + p.window.toString() + "], ";
      }
      if (p.assigns_windows) s += "time_col=[$" + std::to_string(p.time_col) + "], ";
      s += "groupBy=[";
      for (size_t i = 0; i < p.keys.size(); ++i) s += (i ? ", " : "") + std::string("$") + std::to_string(p.keys[i]);
      if (p.split != PlanNode::SplitStage::kNone) {
        s += std::string("], partialFinalType=[") + (p.split == PlanNode::SplitStage::kPartial ? "PARTIAL" : "FINAL");
      }
      s += "], select=[";
      for (size_t i = 0; i < p.aggs.size(); ++i) s += (i ? ", " : "") + p.aggs[i].name;
      s += "])";
      break;
    }
    case PlanNode::Kind::kUnion:
      if (const PlanNode* below = expandInput(p)) {  // Flink's Expand over the one input.
        s += "Expand(projects=[";
        for (size_t i = 0; i < p.inputs.size(); ++i) s += (i ? ", {" : "{") + projectionList(*p.inputs[i]) + "}";
        s += "])";
        s += p.mode == ChangelogMode::kUpdates ? "  [changelog: I,UB,UA,D]\n" : "  [changelog: I]\n";
        return s + explainNode(*below, indent + 1);
      }
      s += "Union(all=[true], union=[" + fieldList(p.schema) + "])";
      break;
    case PlanNode::Kind::kJoin: s += joinName(p); break;
    case PlanNode::Kind::kRank: s += rankName(p); break;
    case PlanNode::Kind::kOverAggregate: s += overName(p); break;
    case PlanNode::Kind::kCorrelate: s += correlateName(p); break;
    case PlanNode::Kind::kSort: s += sortName(p); break;
    case PlanNode::Kind::kMatch: s += matchName(p); break;
    case PlanNode::Kind::kWindowTableFunction:
      s += "WindowTableFunction(window=[" + p.window.toString() + "], time_col=[$" + std::to_string(p.time_col) + "]";
      if (p.window.kind == WindowSpec::Kind::kSession && !p.per_row_windows) {  // Merges the sessions itself.
        std::string keys;
        for (int k : p.partition_keys) keys += (keys.empty() ? "" : ", ") + p.inputs[0]->schema[static_cast<size_t>(k)].name;
        s += ", emit=[merged sessions], partition keys=[" + keys + "]";
      }
      s += ")";
      break;
  }
  s += p.mode == ChangelogMode::kUpdates ? "  [changelog: I,UB,UA,D]\n" : "  [changelog: I]\n";
  // A lookup join's side table is read by the join, not a plan input (as Flink shows it).
  for (size_t i = 0; i < (p.strategy == PlanNode::JoinStrategy::kLookup ? 1 : p.inputs.size()); ++i) s += explainNode(*p.inputs[i], indent + 1);
  return s;
}

}  // namespace

std::string PlanNode::explain(int indent) const { return explainNode(*this, indent); }

TableEnvironment::TableEnvironment(std::shared_ptr<ChangelogCollector> out)
    : out_(out ? std::move(out) : std::make_shared<StdoutCollector>()) {}

void TableEnvironment::info(const std::string& s) { out_->line(s); }

namespace {

// Function names are not case sensitive: the catalog keys them upper case.
std::string functionKey(const std::string& name) {
  std::string upper = name;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper;
}

// Whether SHOW lists `name`: it matches the statement's [NOT] LIKE / ILIKE pattern, if any.
bool shown(const ast::Statement& st, const std::string& name) {
  if (!st.like) return true;
  const bool match = st.ilike ? likeMatch(functionKey(name), functionKey(*st.like), 0) : likeMatch(name, *st.like, 0);
  return match != st.not_like;
}

}  // namespace

void TableEnvironment::createTemporarySystemFunction(const std::string& name, ScalarFunction function) {
  catalog_.functions[functionKey(name)] = std::move(function);
}

void TableEnvironment::createTemporarySystemFunction(const std::string& name, TableFunction function) {
  catalog_.table_functions[functionKey(name)] = std::make_shared<const TableFunction>(std::move(function));
}

void TableEnvironment::createTemporarySystemFunction(const std::string& name, AggregateFunction function) {
  catalog_.aggregate_functions[functionKey(name)] = std::make_shared<const AggregateFunction>(std::move(function));
}

ValuesData& TableEnvironment::valuesOf(const std::string& table) {
  Result<std::string> key = catalog_.keyOf(table);
  EDDY_CHECK(key.isOk());
  auto it = catalog_.tables.find(*key);
  EDDY_CHECK(it != catalog_.tables.end());
  if (!it->second->values) it->second->values = std::make_shared<ValuesData>();
  return *it->second->values;
}

namespace {

class DiscardCollector final : public ChangelogCollector {
 public:
  void line(const std::string&) override {}
};

}  // namespace

Status TableEnvironment::executeScript(const std::string& script) {
  EDDY_ASSIGN_OR_RETURN(auto statements, parseScript(script));
  if (statements.size() > 1) {
    // Nothing half-run: every statement is first checked on a copy of the session (DDL
    // applied to the copy's catalog, queries planned and translated, connectors opened),
    // and the script runs only when all of them pass.
    TableEnvironment dry(std::make_shared<DiscardCollector>());
    dry.catalog_ = catalog_;
    dry.config_ = config_;
    dry.dry_run_ = true;
    const TimeZone zone = sessionTimeZone();  // The copy's SETs must not outlive the check.
    for (const auto& st : statements) {
      Status checked = dry.run(*st);
      if (!checked.isOk()) {
        setSessionTimeZone(zone);
        return checked;
      }
    }
    setSessionTimeZone(zone);
  }
  for (const auto& st : statements) EDDY_RETURN_IF_ERROR(run(*st));
  return Status::ok();
}


std::unique_ptr<TableEnvironment> TableEnvironment::create(api::StreamExecutionEnvironment& env,
                                                           std::shared_ptr<ChangelogCollector> out) {
  auto t = std::make_unique<TableEnvironment>(std::move(out));
  t->stream_env_ = &env;
  return t;
}

Result<Table> TableEnvironment::sqlQuery(const std::string& query) {
  EDDY_ASSIGN_OR_RETURN(auto statements, parseScript(query));
  if (statements.size() != 1 || statements[0]->kind != ast::Statement::Kind::kQuery) {
    return Status::invalidArgument("sqlQuery takes one SELECT; run other statements with executeSql");
  }
  EDDY_ASSIGN_OR_RETURN(PlanPtr plan, planWith(*statements[0]->query, catalog_, config_));
  return Table(plan, this);
}

namespace {

// A Table's plan as a view (what createTemporaryView names).
Catalog::View viewOf(const PlanPtr& plan) {
  Catalog::View v;
  v.plan = plan;
  v.schema = plan->schema;
  return v;
}

}  // namespace

Result<std::vector<std::string>> TableEnvironment::nameInputs(Catalog& catalog, const std::vector<const Table*>& inputs) {
  std::vector<std::string> keys;
  for (size_t i = 0; i < inputs.size(); ++i) {
    EDDY_ASSIGN_OR_RETURN(const std::string key, catalog.keyOf(joinPath({"$table" + std::to_string(i)})));
    catalog.views[key] = viewOf(inputs[i]->plan_);
    keys.push_back(key);
  }
  return keys;
}

Result<Table> TableEnvironment::queryOver(const std::vector<const Table*>& inputs, const std::string& sql,
                                          const std::string& what) {
  Catalog scoped = catalog_;  // The inputs are names for this query alone.
  EDDY_RETURN_IF_ERROR(nameInputs(scoped, inputs).status());
  Result<std::vector<std::unique_ptr<ast::Statement>>> statements = parseScript(sql);
  if (!statements.isOk()) return Status::invalidArgument(what + ": " + statements.status().message());
  if (statements->size() != 1 || (*statements)[0]->kind != ast::Statement::Kind::kQuery) {
    return Status::invalidArgument(what + ": not one query: " + sql);
  }
  Result<PlanPtr> plan = planWith(*(*statements)[0]->query, scoped, config_);
  if (!plan.isOk()) return Status::invalidArgument(what + ": " + plan.status().message());
  return Table(*plan, this);
}

Status TableEnvironment::runOver(const std::vector<const Table*>& inputs, const std::string& sql,
                                 const std::string& what) {
  // The inputs are named in the session for the statement's run, and no longer.
  EDDY_ASSIGN_OR_RETURN(const std::vector<std::string> keys, nameInputs(catalog_, inputs));
  Status st = executeScript(sql);
  for (const std::string& k : keys) catalog_.views.erase(k);
  if (!st.isOk()) return Status::invalidArgument(what + ": " + st.message());
  return st;
}

Status TableEnvironment::createTemporaryView(const std::string& path, const Table& table) {
  EDDY_ASSIGN_OR_RETURN(const std::string name, catalog_.keyOf(path));
  const ObjectPath where = objectPathOf(name);
  EDDY_RETURN_IF_ERROR(catalog_.checkDatabase(where.catalog, where.database));
  if (catalog_.tables.count(name) || catalog_.views.count(name)) {
    return Status::invalidArgument("Table or view '" + path + "' already exists");
  }
  catalog_.views[name] = viewOf(table.plan_);
  return Status::ok();
}

Result<Table> TableEnvironment::fromDataStream(const api::DataStream<Row>& stream, const Schema& schema,
                                               const std::string& rowtime) {
  if (!stream_env_) {
    return Status::invalidArgument("fromDataStream needs a session bridged to a StreamExecutionEnvironment "
                                   "(TableEnvironment::create(env))");
  }
  const std::string id = std::to_string(streams_->size());
  auto def = std::make_shared<TableDef>();
  def->name = "datastream_" + id;
  def->schema = schema;
  if (!rowtime.empty()) {
    LogicalType t = LogicalType::timestamp(3);
    t.rowtime = true;
    def->rowtime = static_cast<int>(def->schema.size());
    def->schema.push_back({rowtime, t});
  }
  def->computed.assign(def->schema.size(), false);
  def->computed_exprs.assign(def->schema.size(), nullptr);
  def->computed_text.assign(def->schema.size(), "");
  def->options[kDataStreamId] = id;
  std::vector<LogicalType> types;
  for (const auto& c : def->schema) types.push_back(c.type.plain());
  const bool with_rowtime = !rowtime.empty();
  const std::string name = def->name;
  auto converted = api::DataStream<Row>(stream).transform<RecordBatch>("DataStreamToTable", [=] {
    return std::make_unique<RowsToBatchOperator>(name, types, with_rowtime);
  });
  converted.setParallelism(stream.getParallelism());
  streams_->emplace(id, Stream(converted));
  auto scan = std::make_shared<PlanNode>();
  scan->kind = PlanNode::Kind::kScan;
  scan->table = def;
  scan->schema = def->schema;
  scan->rowtime = def->rowtime;
  return Table(scan, this);
}

Result<api::DataStream<Row>> TableEnvironment::toStream(const Table& table, bool changelog) {
  if (!stream_env_) {
    return Status::invalidArgument("toDataStream needs a session bridged to a StreamExecutionEnvironment "
                                   "(TableEnvironment::create(env))");
  }
  if (!changelog && !table.isInsertOnly()) {
    return Status::invalidArgument("toDataStream takes an insert-only table, but this one produces updates and "
                                   "deletes (use toChangelogStream)");
  }
  EDDY_ASSIGN_OR_RETURN(ExecOptions options, execOptions(config_));
  Translator tr(*stream_env_, config_, options, nullptr, streams_.get());
  EDDY_ASSIGN_OR_RETURN(Stream s, tr.translate(table.plan_));
  const int rowtime = table.plan_->rowtime;
  auto rows = s.transform<Row>(changelog ? "TableToChangelogStream" : "TableToDataStream",
                               [rowtime] { return std::make_unique<BatchToRowsOperator>(rowtime); });
  rows.setParallelism(s.getParallelism());
  return api::DataStream<Row>(rows);
}

Result<api::DataStream<Row>> TableEnvironment::toDataStream(const Table& table) { return toStream(table, false); }

Result<api::DataStream<Row>> TableEnvironment::toChangelogStream(const Table& table) { return toStream(table, true); }

Result<std::string> TableEnvironment::explainSql(const std::string& query) {
  EDDY_ASSIGN_OR_RETURN(auto statements, parseScript(query));
  if (statements.size() != 1 || !statements[0]->query) return Status::invalidArgument("explainSql takes one query");
  EDDY_ASSIGN_OR_RETURN(PlanPtr plan, planWith(*statements[0]->query, catalog_, config_));
  return plan->explain();
}

Result<std::shared_ptr<TableDef>> TableEnvironment::createTableLike(const ast::Statement& st) {
  EDDY_ASSIGN_OR_RETURN(const std::string like, objectKey(st.like_table, st.pos));
  auto base = catalog_.tables.find(like);
  if (base == catalog_.tables.end()) {
    if (catalog_.views.count(like)) {
      return sqlError(st.pos, "Source table " + qualifiedIdentifier(like) + " of the LIKE clause can not be a VIEW");
    }
    return sqlError(st.pos, "Source table " + qualifiedIdentifier(like) + " of the LIKE clause not found" +
                                didYouMean(st.like_table, catalog_.names()));
  }
  // Both statements afresh, for the merged one to own their parts: the base table as
  // SHOW CREATE TABLE writes it (so ALTER TABLE and CREATE TABLE AS are in it), this
  // one from its text, put where it stands in the script so errors point into it.
  EDDY_ASSIGN_OR_RETURN(auto base_parsed, parseScript(showCreateTable(*base->second)));
  const std::string placed = std::string(static_cast<size_t>(std::max(0, st.pos.line - 1)), '\n') +
                             std::string(static_cast<size_t>(std::max(0, st.pos.col - 1)), ' ') + st.text;
  EDDY_ASSIGN_OR_RETURN(auto own_parsed, parseScript(placed));
  if (base_parsed.size() != 1 || own_parsed.size() != 1) {
    return sqlError(st.pos, "CREATE TABLE ... LIKE: cannot read the definition of table '" + st.like_table + "' back");
  }
  EDDY_ASSIGN_OR_RETURN(auto merged, mergeTableLike(std::move(*base_parsed[0]), std::move(*own_parsed[0])));
  return bindCreateTable(*merged);
}

Result<std::shared_ptr<TableDef>> TableEnvironment::alterSchema(const ast::Statement& st, const TableDef& table) {
  // The table as SHOW CREATE TABLE writes it, changed as a statement, bound again: the
  // same checks as a CREATE TABLE (a computed column or watermark reading a dropped or
  // renamed column fails here).
  EDDY_ASSIGN_OR_RETURN(auto parsed, parseScript(showCreateTable(table)));
  if (parsed.size() != 1) return sqlError(st.pos, "ALTER TABLE: cannot read the definition of '" + st.name + "' back");
  ast::Statement& base = *parsed[0];
  auto find = [&](const std::string& name) {
    return std::find_if(base.columns.begin(), base.columns.end(),
                        [&](const ast::ColumnDef& c) { return c.name == name; });
  };
  if (st.value == "ADD" || st.value == "MODIFY") {
    const bool add = st.value == "ADD";
    for (size_t i = 0; i < st.columns.size(); ++i) {
      const ast::ColumnDef& def = st.columns[i];
      auto at = find(def.name);
      if (add && at != base.columns.end()) {
        return sqlError(def.pos, "Try to add a column " + quoteIdentifier(def.name) + " which already exists in the table.");
      }
      if (!add && at == base.columns.end()) {
        return sqlError(def.pos, "Try to modify a column " + quoteIdentifier(def.name) + " which does not exist in the table.");
      }
      ast::ColumnDef copy;
      copy.name = def.name;
      copy.pos = def.pos;
      copy.type = def.type;
      copy.computed = def.computed ? copyExpr(*def.computed) : nullptr;
      copy.metadata = def.metadata;
      copy.metadata_key = def.metadata_key;
      copy.is_virtual = def.is_virtual;
      const std::string& place = st.column_places[i];
      if (!add && place.empty()) {
        *at = std::move(copy);
        continue;
      }
      if (!add) base.columns.erase(at);
      auto where = base.columns.end();
      if (place == "FIRST") {
        where = base.columns.begin();
      } else if (place.rfind("AFTER ", 0) == 0) {
        const std::string after = place.substr(6);
        where = find(after);
        if (where == base.columns.end()) {
          return sqlError(def.pos, "Referenced column " + quoteIdentifier(after) + " by 'AFTER' does not exist in the table.");
        }
        ++where;
      }
      base.columns.insert(where, std::move(copy));
    }
    if (st.watermark) {
      if (add && base.watermark) {
        return sqlError(st.pos, "The base table has already defined the watermark strategy `" + base.watermark_column +
                                    "` AS " + table.watermark_text + ". You might want to drop it before adding a new one.");
      }
      if (!add && !base.watermark) {
        return sqlError(st.pos, "The base table does not define any watermark strategy. You might want to add a new "
                                "one.");
      }
      base.watermark_column = st.watermark_column;
      base.watermark = copyExpr(*st.watermark);
    }
    if (!st.primary_key.empty()) {
      if (add && !base.primary_key.empty()) {
        return sqlError(st.pos, "The base table has already defined the primary key constraint. You might want to "
                                "drop it before adding a new one.");
      }
      if (!add && base.primary_key.empty()) {
        return sqlError(st.pos, "The base table does not define any primary key constraint. You might want to add "
                                "a new one.");
      }
      base.primary_key = st.primary_key;
    }
  } else if (st.value == "DROP") {
    if (st.drop_watermark) {
      if (!base.watermark) return sqlError(st.pos, "The base table does not define any watermark strategy.");
      base.watermark.reset();
      base.watermark_column.clear();
    }
    if (st.drop_primary_key) {
      if (base.primary_key.empty()) return sqlError(st.pos, "The base table does not define any primary key.");
      base.primary_key.clear();
    }
    for (const std::string& name : st.alter_names) {
      auto at = find(name);
      if (at == base.columns.end()) {
        return sqlError(st.pos, "The column " + quoteIdentifier(name) + " does not exist in the base table.");
      }
      const auto& keys = base.primary_key;
      const auto& parts = base.partition_keys;
      if (std::find(keys.begin(), keys.end(), name) != keys.end() ||
          std::find(parts.begin(), parts.end(), name) != parts.end() || base.watermark_column == name) {
        return sqlError(st.pos, "The column " + quoteIdentifier(name) + " is used as the primary key, a partition key or the "
                                    "watermark column: drop or change that first.");
      }
      base.columns.erase(at);
    }
  } else {  // RENAME COLUMN
    const std::string& from = st.alter_names[0];
    auto at = find(from);
    if (at == base.columns.end()) return sqlError(st.pos, "The column " + quoteIdentifier(from) + " does not exist in the base table.");
    if (find(st.key) != base.columns.end()) {
      return sqlError(st.pos, "The column " + quoteIdentifier(st.key) + " already exists in the table.");
    }
    at->name = st.key;
    for (auto* names : {&base.primary_key, &base.partition_keys}) {
      std::replace(names->begin(), names->end(), from, st.key);
    }
    if (base.watermark_column == from) base.watermark_column = st.key;
  }
  if (base.columns.empty()) return sqlError(st.pos, "ALTER TABLE cannot drop every column of table '" + st.name + "'");
  auto result = bindCreateTable(base);
  if (!result.isOk()) {
    // Its position is in the regenerated definition, not the script: only the cause.
    std::string cause = result.status().message();
    const size_t colon = cause.rfind("SQL error at line", 0) == 0 ? cause.find(": ") : std::string::npos;
    if (colon != std::string::npos) cause = cause.substr(colon + 2);
    return sqlError(st.pos, "ALTER TABLE " + st.name + " leaves an invalid table: " + cause);
  }
  (*result)->values = table.values;
  (*result)->inline_values = table.inline_values;
  return result;
}

Status TableEnvironment::run(const ast::Statement& st) {
  using K = ast::Statement::Kind;
  // The key of the table or view the statement names (from the current database), and
  // where a new one goes must exist.
  std::string name;
  switch (st.kind) {
    case K::kCreateTable:
    case K::kCreateView:
    case K::kDropTable:
    case K::kDropView:
    case K::kAlterTable:
    case K::kAlterView:
    case K::kDescribe:
    case K::kShowCreateTable:
    case K::kShowCreateView: {
      EDDY_ASSIGN_OR_RETURN(name, objectKey(st.name, st.pos));
      const ObjectPath where = objectPathOf(name);
      const bool creates = st.kind == K::kCreateTable || st.kind == K::kCreateView;
      if (creates) {
        if (Status missing = catalog_.checkDatabase(where.catalog, where.database); !missing.isOk()) {
          return sqlError(st.pos, missing.message());
        }
      }
      break;
    }
    default:
      break;
  }
  switch (st.kind) {
    case K::kCreateCatalog:
    case K::kDropCatalog:
    case K::kCreateDatabase:
    case K::kDropDatabase:
    case K::kAlterDatabase:
    case K::kUse:
      return runCatalogStatement(st);
    case K::kShowJobs:
    case K::kStopJob:
      return runJobStatement(st);
    case K::kModule:
      return runModuleStatement(st);
    case K::kJar:
      return runJarStatement(st);
    case K::kCreateTable: {
      if (st.replace != ast::Statement::Replace::kNo) {
        // RTAS: the table's definition replaced (its data stays where it is, as Flink's
        // non-managed tables keep theirs); REPLACE alone needs one to replace.
        if (catalog_.views.count(name)) return sqlError(st.pos, "'" + st.name + "' is a view, not a table to replace");
        if (!catalog_.tables.count(name) && st.replace == ast::Statement::Replace::kReplace) {
          return sqlError(st.pos, "The table " + quotedObjectPath(objectPathOf(name)) +
                                      " to be replaced doesn't exist. You can try to use CREATE TABLE AS statement or "
                                      "CREATE OR REPLACE TABLE AS statement.");
        }
      } else if (catalog_.tables.count(name) || catalog_.views.count(name)) {
        if (st.if_not_exists) return Status::ok();
        return sqlError(st.pos, "Table '" + st.name + "' already exists");
      }
      std::shared_ptr<TableDef> def;
      if (st.query) {
        // CREATE TABLE ... AS SELECT: the query's columns, then an INSERT of its rows.
        EDDY_ASSIGN_OR_RETURN(PlanPtr plan, planWith(*st.query, catalog_, config_));
        def = std::make_shared<TableDef>();
        for (const auto& c : plan->schema) def->schema.push_back({c.name, c.type.plain()});
        for (const auto& [k, v] : st.options) def->options[k] = v;
        const size_t n = def->schema.size();
        def->computed.assign(n, false);
        def->computed_exprs.resize(n);
        def->computed_text.resize(n);
        def->metadata.assign(n, "");
        def->metadata_virtual.assign(n, false);
        def->partition_keys = st.partition_keys;
      } else if (!st.like_table.empty()) {
        EDDY_ASSIGN_OR_RETURN(def, createTableLike(st));
      } else {
        EDDY_ASSIGN_OR_RETURN(def, bindCreateTable(st));
      }
      def->name = name;
      std::string connector = def->options.count("connector") ? def->options.at("connector") : "";
      static const std::vector<std::string> kConnectors = {"filesystem", "datagen", "print", "blackhole", "values", "nexmark"};
      if (connector.empty()) return sqlError(st.pos, "table '" + st.name + "' needs a 'connector' option");
      if (std::find(kConnectors.begin(), kConnectors.end(), connector) == kConnectors.end()) {
        return sqlError(st.pos, "unknown connector '" + connector + "'" + didYouMean(connector, kConnectors) +
                                    " (supported: filesystem, datagen, print, blackhole, values, nexmark)");
      }
      if (Status valid = validateTableOptions(st.name, def->options, columnNames(*def)); !valid.isOk()) {
        return sqlError(st.pos, valid.message());
      }
      catalog_.tables[name] = def;
      if (st.query) {
        ast::Statement insert;
        insert.kind = K::kInsert;
        insert.pos = st.pos;
        insert.name = st.name;
        insert.query = st.query;
        Status ran = runJob({&insert}, nullptr);
        if (!ran.isOk()) catalog_.tables.erase(name);  // Nothing half-made.
        return ran;
      }
      info("[INFO] Execute statement succeeded.");
      return Status::ok();
    }
    case K::kCreateView: {
      if (catalog_.tables.count(name) || catalog_.views.count(name)) {
        if (st.if_not_exists) return Status::ok();
        return sqlError(st.pos, "Table or view '" + st.name + "' already exists");
      }
      EDDY_ASSIGN_OR_RETURN(PlanPtr plan, planWith(*st.query, catalog_, config_));
      Catalog::View v;
      v.query = st.query;
      v.text = st.query_text;
      v.temporary = st.temporary;
      v.columns = st.view_columns;
      v.schema = plan->schema;
      v.catalog = catalog_.current_catalog;
      v.database = catalog_.current_database;
      if (!v.columns.empty() && v.columns.size() != v.schema.size()) {
        return sqlError(st.pos, "view '" + st.name + "' names " + std::to_string(v.columns.size()) +
                                    " columns but its query has " + std::to_string(v.schema.size()));
      }
      catalog_.views[name] = std::move(v);
      info("[INFO] Execute statement succeeded.");
      return Status::ok();
    }
    case K::kDropTable:
    case K::kDropView: {
      bool table = st.kind == K::kDropTable;
      size_t erased = table ? catalog_.tables.erase(name) : catalog_.views.erase(name);
      if (erased == 0 && !st.if_exists) {
        return sqlError(st.pos, std::string(table ? "Table" : "View") + " '" + st.name + "' does not exist" +
                                    didYouMean(st.name, catalog_.names()));
      }
      info("[INFO] Execute statement succeeded.");
      return Status::ok();
    }
    case K::kAlterView: {
      auto v = catalog_.views.find(name);
      if (v == catalog_.views.end()) {
        return sqlError(st.pos, "View '" + st.name + "' does not exist" + didYouMean(st.name, catalog_.names()));
      }
      if (st.value == "RENAME") {
        EDDY_ASSIGN_OR_RETURN(const std::string to, renameTarget(st, name));
        Catalog::View renamed = std::move(v->second);
        catalog_.views.erase(v);
        catalog_.views[to] = std::move(renamed);
      } else {  // AS query: the view's new definition, checked as CREATE VIEW checks one.
        EDDY_ASSIGN_OR_RETURN(PlanPtr plan, planWith(*st.query, catalog_, config_));
        Catalog::View changed;
        changed.query = st.query;
        changed.text = st.query_text;
        changed.temporary = v->second.temporary;
        changed.schema = plan->schema;
        changed.catalog = catalog_.current_catalog;
        changed.database = catalog_.current_database;
        v->second = std::move(changed);
      }
      info("[INFO] Execute statement succeeded.");
      return Status::ok();
    }
    case K::kAlterTable: {
      auto t = catalog_.tables.find(name);
      if (t == catalog_.tables.end()) {
        if (st.if_exists) return Status::ok();
        return sqlError(st.pos, "Table '" + st.name + "' does not exist" + didYouMean(st.name, catalog_.names()));
      }
      auto def = std::make_shared<TableDef>(*t->second);  // Plans already made keep the old one.
      if (st.value == "ADD" || st.value == "MODIFY" || st.value == "DROP" || st.value == "RENAME COLUMN") {
        EDDY_ASSIGN_OR_RETURN(t->second, alterSchema(st, *t->second));
        t->second->name = name;  // Bound again from its full path: the key it is kept under.
      } else if (st.value == "RENAME") {
        EDDY_ASSIGN_OR_RETURN(const std::string to, renameTarget(st, name));
        def->name = to;
        catalog_.tables.erase(t);
        catalog_.tables[to] = def;
      } else {
        for (const auto& [k, v] : st.options) {
          if (k == "connector" && st.value == "RESET") return sqlError(st.pos, "ALTER TABLE RESET cannot reset 'connector'");
          if (st.value == "SET") {
            def->options[k] = v;
          } else {
            def->options.erase(k);
          }
        }
        if (Status valid = validateTableOptions(st.name, def->options, columnNames(*def)); !valid.isOk()) {
          return sqlError(st.pos, valid.message());
        }
        t->second = def;
      }
      info("[INFO] Execute statement succeeded.");
      return Status::ok();
    }
    case K::kShowTables:
    case K::kShowViews: {
      EDDY_ASSIGN_OR_RETURN(const auto db, databaseOf(st.key, st.pos));
      std::vector<std::string> names;
      for (const std::string& key : catalog_.objectsIn(db.first, &db.second, st.kind == K::kShowTables)) {
        names.push_back(objectPathOf(key).name);
      }
      std::sort(names.begin(), names.end());
      std::vector<std::vector<std::string>> rows;
      for (const auto& n : names) {
        if (shown(st, n)) rows.push_back({n});
      }
      out_->table(StatementTable::ofText({st.kind == K::kShowTables ? "table name" : "view name"}, rows));
      return Status::ok();
    }
    case K::kShowCatalogObjects: {
      std::vector<std::string> names;
      if (st.name == "CATALOGS") {
        for (const auto& [n, c] : catalog_.catalogs) names.push_back(n);
      }
      if (st.name == "CURRENT CATALOG") names = {catalog_.current_catalog};
      if (st.name == "CURRENT DATABASE") names = {catalog_.current_database};
      if (st.name == "DATABASES") {
        const std::string catalog = st.key.empty() ? catalog_.current_catalog : st.key;
        auto c = catalog_.catalogs.find(catalog);
        if (c == catalog_.catalogs.end()) return sqlError(st.pos, "Catalog " + catalog + " does not exist.");
        for (const auto& [n, d] : c->second.databases) names.push_back(n);
      }
      if (st.name == "USER FUNCTIONS" || st.name == "FUNCTIONS") {
        EDDY_RETURN_IF_ERROR(databaseOf(st.key, st.pos).status());  // Functions are the session's, in every database.
      }
      // The core module is the one loaded (and used), as Flink's default.
      if (st.name == "MODULES") names = {"core"};
      if (st.name == "FULL MODULES") {
        StatementTable modules;
        modules.names = {"module name", "used"};
        modules.types = {LogicalType::string().notNull(), LogicalType::boolean().notNull()};
        modules.rows = {{Value::ofString("core"), Value::ofBool(true)}};
        out_->table(modules);
        return Status::ok();
      }
      if (st.name == "FUNCTIONS" || st.name == "USER FUNCTIONS") {
        for (const auto& [n, f] : catalog_.functions) names.push_back(n);
        for (const auto& [n, f] : catalog_.aggregate_functions) names.push_back(n);
        for (const auto& [n, f] : catalog_.table_functions) names.push_back(n);
        for (std::string& n : names) std::transform(n.begin(), n.end(), n.begin(), ::tolower);
        if (st.name == "FUNCTIONS") {
          for (std::string n : scalarFunctionNames()) {
            if (!std::isalpha(static_cast<unsigned char>(n[0]))) continue;  // Operators.
            std::transform(n.begin(), n.end(), n.begin(), ::tolower);
            names.push_back(n);
          }
          for (std::string a : ast::builtinAggregateNames()) {
            if (a == "SUM0") continue;  // Internal (the distinct split's), not a function Flink lists.
            std::transform(a.begin(), a.end(), a.begin(), ::tolower);
            names.push_back(a);
          }
        }
        std::sort(names.begin(), names.end());
        names.erase(std::unique(names.begin(), names.end()), names.end());
      }
      // Flink's column names for them.
      static const std::map<std::string, std::string> kHeaders = {
          {"CATALOGS", "catalog name"},          {"DATABASES", "database name"},
          {"CURRENT CATALOG", "current catalog name"}, {"CURRENT DATABASE", "current database name"},
          {"FUNCTIONS", "function name"},        {"USER FUNCTIONS", "function name"},
          {"MODULES", "module name"}};
      std::vector<std::vector<std::string>> rows;
      for (const auto& n : names) {
        if (shown(st, n)) rows.push_back({n});
      }
      out_->table(StatementTable::ofText({kHeaders.count(st.name) ? kHeaders.at(st.name) : "name"}, rows));
      return Status::ok();
    }
    case K::kDescribe: {
      auto t = catalog_.tables.find(name);
      Schema schema;
      std::vector<std::string> pk;
      std::string wm;
      if (t != catalog_.tables.end()) {
        schema = t->second->schema;
        pk = t->second->primary_key;
        wm = t->second->watermark_text;
      } else if (catalog_.views.count(name)) {
        const Catalog::View& view = catalog_.views.at(name);
        schema = view.schema;
        for (size_t c = 0; c < view.columns.size() && c < schema.size(); ++c) schema[c].name = view.columns[c];
      } else {
        return sqlError(st.pos, "Table or view '" + st.name + "' not found" + didYouMean(st.name, catalog_.names()));
      }
      // Flink's DESCRIBE columns: name, type, null (a BOOLEAN), key, extras, watermark (NULL
      // where there is none).
      StatementTable described;
      described.names = {"name", "type", "null", "key", "extras", "watermark"};
      described.types.assign(6, LogicalType::string());
      described.types[0] = described.types[1] = LogicalType::string().notNull();
      described.types[2] = LogicalType::boolean().notNull();
      auto textOrNull = [](const std::string& s) { return s.empty() ? Value() : Value::ofString(s); };
      for (const auto& [i, c] : declaredColumns(schema)) {
        if (!shown(st, c.name)) continue;  // SHOW COLUMNS ... LIKE
        LogicalType plain = c.type.withNullable(true);
        bool is_pk = std::find(pk.begin(), pk.end(), c.name) != pk.end();
        std::string type = plain.toString();
        // As Flink: TIMESTAMP_LTZ(3) NOT NULL *PROCTIME*.
        if (c.type.proctime && type.find(" *PROCTIME*") != std::string::npos) {
          type.insert(type.find(" *PROCTIME*"), " NOT NULL");
        }
        std::string extras;
        if (t != catalog_.tables.end() && t->second->isMetadata(i)) {
          extras = "METADATA FROM '" + t->second->metadata[i] + "'" + (t->second->metadata_virtual[i] ? " VIRTUAL" : "");
        } else if (t != catalog_.tables.end() && i < t->second->computed.size() && t->second->computed[i]) {
          extras = t->second->computed_text[i];
        }
        described.rows.push_back({Value::ofString(c.name), Value::ofString(type), Value::ofBool(c.type.nullable && !is_pk),
                                  textOrNull(is_pk ? "PRI(" + c.name + ")" : ""), textOrNull(extras),
                                  textOrNull(c.type.rowtime ? wm : "")});
      }
      out_->table(described);
      return Status::ok();
    }
    case K::kShowCreateTable: {
      auto t = catalog_.tables.find(name);
      if (t == catalog_.tables.end()) {
        if (catalog_.views.count(name)) {
          return sqlError(st.pos, "SHOW CREATE TABLE is only supported for tables, but " + qualifiedIdentifier(name) +
                                      " is a view. Please use SHOW CREATE VIEW instead.");
        }
        return sqlError(st.pos, "Table '" + st.name + "' not found" + didYouMean(st.name, catalog_.names()));
      }
      std::string ddl = showCreateTable(*t->second);
      if (!ddl.empty() && ddl.back() == '\n') ddl.pop_back();  // The row's text, without Flink's last newline.
      info("+I[" + ddl + "]");
      return Status::ok();
    }
    case K::kShowCreateView: {
      auto v = catalog_.views.find(name);
      if (v == catalog_.views.end()) {
        if (catalog_.tables.count(name)) {
          return sqlError(st.pos, "SHOW CREATE VIEW is only supported for views, but " + qualifiedIdentifier(name) +
                                      " is a table. Please use SHOW CREATE TABLE instead.");
        }
        return sqlError(st.pos, "View '" + st.name + "' not found" + didYouMean(st.name, catalog_.names()));
      }
      if (v->second.text.empty()) {
        return sqlError(st.pos, "SHOW CREATE VIEW is not supported for views registered by Table API.");
      }
      // Flink writes Calcite's expanded query; the query as written is what is kept here.
      std::string columns;
      for (size_t c = 0; c < v->second.schema.size(); ++c) {
        const std::string& name = v->second.columns.empty() ? v->second.schema[c].name : v->second.columns[c];
        columns += (c ? ", " : "") + quoteIdentifier(name);
      }
      info("+I[CREATE " + std::string(v->second.temporary ? "TEMPORARY " : "") + "VIEW " +
           qualifiedIdentifier(name) + "(" + columns + ") as\n" + v->second.text + "]");
      return Status::ok();
    }
    case K::kSet:
      if (st.key.empty()) {
        std::vector<std::vector<std::string>> rows;
        for (const auto& [k, v] : config_) rows.push_back({k, v});
        out_->table(StatementTable::ofText({"key", "value"}, rows));
        return Status::ok();
      }
      if (st.key == kLocalTimeZone) {
        // 'default' is the machine's zone in Flink; here the session starts in UTC.
        auto zone = st.value == "default" ? Result<TimeZone>(TimeZone()) : TimeZone::of(st.value);
        if (!zone.isOk()) {
          return sqlError(st.pos, "Invalid time zone '" + st.value + "' for 'table.local-time-zone' (" +
                                      zone.status().message() +
                                      "): a tz database ID such as 'America/Los_Angeles', or an offset such as "
                                      "'GMT+08:00' or 'UTC+08:00'");
        }
        setSessionTimeZone(*zone);
      }
      if (st.key == "execution.runtime-mode") {
        std::string mode = st.value;
        std::transform(mode.begin(), mode.end(), mode.begin(), [](unsigned char c) { return std::tolower(c); });
        if (mode != "streaming" && mode != "batch" && mode != "automatic") {
          return sqlError(st.pos, "Invalid value '" + st.value +
                                      "' for 'execution.runtime-mode': one of 'streaming', 'batch', 'automatic'");
        }
      }
      config_[st.key] = st.value;
      info("[INFO] Execute statement succeeded.");
      return Status::ok();
    case K::kReset:
      if (st.key.empty()) {
        config_.clear();
      } else {
        config_.erase(st.key);
      }
      if (st.key.empty() || st.key == kLocalTimeZone) setSessionTimeZone(TimeZone());
      info("[INFO] Execute statement succeeded.");
      return Status::ok();
    case K::kExplain: {
      const ast::Statement& target = *st.statements[0];
      std::string text = "== Optimized Execution Plan ==\n";
      if (target.kind == K::kQuery) {
        EDDY_ASSIGN_OR_RETURN(PlanPtr plan, planWith(*target.query, catalog_, config_));
        text += plan->explain();
      } else {
        std::vector<const ast::Statement*> inserts;
        if (target.kind == K::kInsert) {
          inserts.push_back(&target);
        } else {
          for (const auto& s : target.statements) inserts.push_back(s.get());
        }
        for (const auto* ins : inserts) {
          EDDY_ASSIGN_OR_RETURN(PlanPtr plan, planWith(*ins->query, catalog_, config_));
          EDDY_ASSIGN_OR_RETURN(const std::string sink, objectKey(ins->name, ins->pos));
          text += "Sink(table=[" + explainedPath(sink, false) + "])\n" + plan->explain(1);
        }
      }
      while (!text.empty() && text.back() == '\n') text.pop_back();
      info(text);
      return Status::ok();
    }
    case K::kInsert: return runJob({&st}, nullptr);
    case K::kStatementSet: {
      std::vector<const ast::Statement*> inserts;
      for (const auto& s : st.statements) inserts.push_back(s.get());
      return runJob(inserts, nullptr);
    }
    case K::kQuery: return runJob({}, st.query.get());
  }
  return Status::unimplemented("statement");
}

namespace {

int parallelismOf(const std::map<std::string, std::string>& config) {
  auto it = config.find("parallelism.default");
  if (it == config.end()) return 1;
  int p = std::atoi(it->second.c_str());
  return p > 0 ? p : 1;
}

// The query's columns as the sink takes them: a ROW value going into a ROW column (which
// a table keeps as its `row.field` columns) spread over its fields, by position as
// Flink matches them; every other column as it is.
Result<std::vector<ExprP>> sinkColumns(const PlanNode& plan, const Schema& sink, Pos pos) {
  std::vector<ExprP> columns;
  // Appends the columns of `value` (of ROW type `t`) as a table keeps them: whether it
  // is NULL (its rowNullMarker), then its fields, nested ROWs alike.
  std::function<Status(ExprP, const LogicalType&)> spread = [&](ExprP value, const LogicalType& t) -> Status {
    columns.push_back(std::make_unique<IsCall>(IsCall::What::kNull, value->clone()));
    for (const RowFieldType& f : *t.fields) {
      std::vector<ExprP> args;
      args.push_back(value->clone());
      args.push_back(std::make_unique<Literal>(Value::ofString(f.name), LogicalType::string().notNull(),
                                               "'" + f.name + "'"));
      EDDY_ASSIGN_OR_RETURN(ExprP field, bindCall("DOT", std::move(args), pos));
      if (f.type.id == TypeId::kRow) {
        EDDY_RETURN_IF_ERROR(spread(std::move(field), f.type));
      } else {
        columns.push_back(std::move(field));
      }
    }
    return Status::ok();
  };
  for (size_t c = 0; c < plan.schema.size(); ++c) {
    const LogicalType& t = plan.schema[c].type;
    ExprP ref = std::make_unique<InputRef>(static_cast<int>(c), t);
    const size_t at = columns.size();
    if (t.id == TypeId::kRow && at < sink.size() && sink[at].name.find('.') != std::string::npos) {
      EDDY_RETURN_IF_ERROR(spread(std::move(ref), t));
    } else {
      columns.push_back(std::move(ref));
    }
  }
  return columns;
}

// Which sink columns an INSERT's query fills (`filled`, in the query's column order) and
// the values of the others (`fixed`, null where the query fills it): a static
// PARTITION (k = 'v') value cast to its column's type, or NULL for a column the column
// list leaves out (a ROW column left out is NULL as a whole).
struct SinkMapping {
  std::vector<size_t> filled;
  std::vector<ExprP> fixed;
};

Result<SinkMapping> mapSinkColumns(const ast::Statement& ins, const TableDef& target, const Schema& sink) {
  SinkMapping m;
  m.fixed.resize(sink.size());
  // A column by name: itself, or a ROW column's field columns and its null marker.
  auto columnsNamed = [&](const std::string& name) {
    std::vector<size_t> found;
    for (size_t c = 0; c < sink.size(); ++c) {
      if (sink[c].name == name || sink[c].name.rfind(name + ".", 0) == 0) found.push_back(c);
    }
    return found;
  };
  for (const auto& [name, value] : ins.static_partitions) {
    const auto& keys = target.partition_keys;
    std::vector<size_t> at = columnsNamed(name);
    if (std::find(keys.begin(), keys.end(), name) == keys.end() || at.size() != 1) {
      std::string list;
      for (const std::string& k : keys) list += (list.empty() ? "" : ", ") + k;
      return sqlError(value->pos, "Static partition column " + name + " should be in the partition keys list [" +
                                      list + "] for table '" + ins.name + "'");
    }
    const LogicalType& to = sink[at[0]].type;
    ExprP cast = std::make_unique<CastCall>(
        to.notNull(), std::make_unique<Literal>(Value::ofString(value->text), LogicalType::string().notNull(), value->text),
        false);
    RecordBatch one;
    one.kinds.push_back(RowKind::kInsert);
    try {
      const Column& v = cast->eval(one);
      m.fixed[at[0]] = std::make_unique<Literal>(valueAt(v, 0), to.notNull(), value->text);
    } catch (const EvalError& e) {
      return sqlError(value->pos, "the static partition value '" + value->text + "' is not " + withArticle(to) +
                                      ": " + e.what());
    }
  }
  if (ins.insert_columns.empty()) {
    for (size_t c = 0; c < sink.size(); ++c) {
      if (!m.fixed[c]) m.filled.push_back(c);
    }
    return m;
  }
  std::vector<bool> listed(sink.size(), false);
  for (const std::string& name : ins.insert_columns) {
    std::vector<size_t> at = columnsNamed(name);
    if (at.empty()) return sqlError(ins.pos, "Unknown target column '" + name + "' of table '" + ins.name + "'");
    for (size_t c : at) {
      if (listed[c] || m.fixed[c]) return sqlError(ins.pos, "Target column '" + name + "' is assigned more than once");
      listed[c] = true;
      m.filled.push_back(c);
    }
  }
  for (size_t c = 0; c < sink.size(); ++c) {
    if (listed[c] || m.fixed[c]) continue;
    const LogicalType& t = sink[c].type;
    if (isRowNullMarker(sink[c].name)) {  // A ROW column left out: NULL as a whole.
      m.fixed[c] = std::make_unique<Literal>(Value::ofBool(true), t, "true");
      continue;
    }
    if (!t.nullable) {
      return sqlError(ins.pos, "Column '" + sink[c].name + "' of table '" + ins.name +
                                   "' is NOT NULL: the INSERT's column list must name it");
    }
    m.fixed[c] = std::make_unique<Literal>(Value(), t, "null");
  }
  return m;
}

// `plan` with each ROW column's field columns (`row.field`) as one ROW value, where its
// first field is; `plan` itself when it has none.
PlanPtr withWholeRows(const PlanPtr& plan) {
  auto calc = std::make_shared<PlanNode>();
  calc->kind = PlanNode::Kind::kCalc;
  calc->inputs.push_back(plan);
  calc->mode = plan->mode;
  std::set<std::string> rows;
  for (size_t c = 0; c < plan->schema.size(); ++c) {
    const ColumnSchema& column = plan->schema[c];
    const size_t dot = column.name.find('.');
    if (dot == std::string::npos) {
      calc->projections.push_back(std::make_shared<InputRef>(static_cast<int>(c), column.type));
      calc->schema.push_back(column);
      continue;
    }
    const std::string row = column.name.substr(0, dot);
    if (!rows.insert(row).second) continue;
    ExprP whole = rowOfColumns(plan->schema, row);
    calc->schema.push_back({row, whole->type()});
    calc->projections.push_back(std::shared_ptr<const Expression>(std::move(whole)));
  }
  return rows.empty() ? plan : calc;
}

}  // namespace

namespace {

// A statement's translation error (an operator the plan cannot run as, a connector that
// cannot open) with the statement's place, as the parser's and planner's errors have.
Result<Stream> positioned(Result<Stream> r, Pos pos) {
  if (r.isOk() || r.status().message().rfind("SQL error at line", 0) == 0) return r;
  return sqlError(pos, r.status().message());
}

}  // namespace

Status TableEnvironment::runJob(const std::vector<const ast::Statement*>& inserts, const ast::Query* select) {
  auto rows = std::make_shared<std::atomic<int64_t>>(0);
  last_job_rows_ = 0;
  api::StreamExecutionEnvironment env;
  env.setParallelism(parallelismOf(config_));
  EDDY_ASSIGN_OR_RETURN(ExecOptions options, execOptions(config_));
  Translator tr(env, config_, options, dry_run_ ? &dry_written_paths_ : nullptr);
  if (select) {
    EDDY_ASSIGN_OR_RETURN(PlanPtr plan, planWith(*select, catalog_, config_));
    EDDY_ASSIGN_OR_RETURN(Stream s, positioned(tr.translate(plan), select->pos));
    auto sink = s.addSink(PrintTableSink(typesOf(plan->schema), out_, "", rows), "collect");
    sink.setParallelism(1);
    if (!dry_run_) {
      std::vector<std::string> names;
      for (const auto& c : plan->schema) names.push_back(c.name);
      out_->begin(names, typesOf(plan->schema));
    }
  }
  for (const ast::Statement* ins : inserts) {
    EDDY_ASSIGN_OR_RETURN(const std::string sink, objectKey(ins->name, ins->pos));
    auto t = catalog_.tables.find(sink);
    if (t == catalog_.tables.end()) {
      return sqlError(ins->pos, "Table '" + ins->name + "' not found" + didYouMean(ins->name, catalog_.names()));
    }
    TableDef hinted;  // INSERT INTO t /*+ OPTIONS(...) */: the sink's options over the table's.
    if (!ins->hint_options.empty()) {
      hinted = *t->second;
      for (const auto& [k, v] : ins->hint_options) hinted.options[k] = v;
    }
    const TableDef& target = ins->hint_options.empty() ? *t->second : hinted;
    EDDY_ASSIGN_OR_RETURN(PlanPtr plan, planWith(*ins->query, catalog_, config_));
    Schema sink_schema = target.physicalSchema();
    for (size_t c = 0; c < target.schema.size(); ++c) {
      // A VIRTUAL metadata column is only read; the sinks here write no metadata.
      if (target.isMetadata(c) && !target.metadata_virtual[c]) {
        return sqlError(ins->pos, "table '" + ins->name + "' cannot write its metadata column '" +
                                      target.schema[c].name + "' (key '" + target.metadata[c] +
                                      "'): its connector writes no metadata; declare the column VIRTUAL");
      }
    }
    std::string connector = target.options.count("connector") ? target.options.at("connector") : "";
    if (ins->overwrite && !batchMode(config_)) {
      return sqlError(ins->pos, "INSERT OVERWRITE is not supported in streaming mode");
    }
    if (ins->overwrite && connector != "filesystem") {
      return sqlError(ins->pos, "INSERT OVERWRITE requires that the sink of table '" + ins->name +
                                    "' can overwrite (the filesystem connector), not connector '" + connector + "'");
    }
    EDDY_ASSIGN_OR_RETURN(SinkMapping mapping, mapSinkColumns(*ins, target, sink_schema));
    Schema wanted;
    for (size_t c : mapping.filled) wanted.push_back(sink_schema[c]);
    EDDY_ASSIGN_OR_RETURN(std::vector<ExprP> query_columns, sinkColumns(*plan, wanted, ins->pos));
    if (query_columns.size() != wanted.size()) {
      return sqlError(ins->pos, "Column types of query result and sink for '" + ins->name + "' do not match: the query has " +
                                    std::to_string(query_columns.size()) + " columns, the sink " +
                                    std::to_string(wanted.size()) +
                                    (wanted.size() < sink_schema.size() ? " to fill" : ""));
    }
    std::vector<ExprP> columns = std::move(mapping.fixed);
    for (size_t i = 0; i < mapping.filled.size(); ++i) columns[mapping.filled[i]] = std::move(query_columns[i]);
    // Cast to the sink's types where they differ and may.
    auto calc = std::make_shared<PlanNode>();
    calc->kind = PlanNode::Kind::kCalc;
    calc->inputs.push_back(plan);
    calc->mode = plan->mode;
    for (size_t c = 0; c < sink_schema.size(); ++c) {
      const LogicalType from = columns[c]->type();
      const LogicalType& to = sink_schema[c].type;
      if (!implicitlyCastable(from, to)) {
        return sqlError(ins->pos, "Column types of query result and sink for '" + ins->name +
                                      "' do not match: column '" + sink_schema[c].name + "' is " + to.toString() +
                                      ", the query gives " + from.toString());
      }
      calc->projections.push_back(coerce(std::move(columns[c]), to));
      calc->schema.push_back(sink_schema[c]);
    }
    // The print sink shows a ROW column as one value, as Flink's Row does.
    PlanPtr written = connector == "print" ? withWholeRows(calc) : calc;
    EDDY_ASSIGN_OR_RETURN(Stream s, positioned(tr.translate(written), ins->pos));
    if (connector == "print") {
      std::string id = target.options.count("print-identifier") ? target.options.at("print-identifier") : "";
      bool to_stderr = target.options.count("standard-error") && target.options.at("standard-error") == "true";
      std::shared_ptr<ChangelogCollector> out = to_stderr ? std::make_shared<StdoutCollector>(true) : out_;
      s.addSink(PrintTableSink(typesOf(written->schema), out, id, rows), "print");
    } else if (connector == "blackhole") {
      s.addSink(BlackholeTableSink(rows), "blackhole");
    } else if (connector == "filesystem") {
      // Flink's filesystem sink takes inserts only.
      if (plan->mode != ChangelogMode::kInsertOnly) {
        return sqlError(ins->pos, "Table sink '" + ins->name +
                                      "' doesn't support consuming update and delete changes (the filesystem "
                                      "connector is append-only)");
      }
      std::string path = filesystemPath(target.options.count("path") ? target.options.at("path") : "");
      if (path.empty()) return sqlError(ins->pos, "table '" + ins->name + "': the filesystem connector needs option 'path'");
      if (dry_run_) dry_written_paths_.insert(path);
      auto rolling = fileRollingPolicy(ins->name, target.options);
      if (!rolling.isOk()) return sqlError(ins->pos, rolling.status().message());
      if (!target.partition_keys.empty()) {
        // PARTITIONED BY: rows into k=v/ directories, written without those columns.
        std::vector<int> partition_columns;
        Schema data_schema;
        for (const auto& k : target.partition_keys) {
          for (size_t c = 0; c < sink_schema.size(); ++c) {
            if (sink_schema[c].name == k) partition_columns.push_back(static_cast<int>(c));
          }
        }
        for (size_t c = 0; c < sink_schema.size(); ++c) {
          if (std::find(partition_columns.begin(), partition_columns.end(), static_cast<int>(c)) ==
              partition_columns.end()) {
            data_schema.push_back(sink_schema[c]);
          }
        }
        auto encoder = fileSinkEncoder(ins->name, target.options, data_schema);
        if (!encoder.isOk()) return sqlError(ins->pos, encoder.status().message());
        auto commit = partitionCommitOptions(ins->name, target.options);
        if (!commit.isOk()) return sqlError(ins->pos, commit.status().message());
        BatchEncoder encode = [inner = *encoder, rows](const RecordBatch& b) {
          *rows += static_cast<int64_t>(b.size());
          return inner(b);
        };
        Stream rows_only = s.filter([](const RecordBatch& b) { return !b.empty(); });
        rows_only.addSink(PartitionedFileSink(path, partition_columns, target.partition_keys, typesOf(sink_schema),
                                              encode, *commit, ins->overwrite, *rolling),
                          "FileSink: " + path);
        continue;
      }
      auto encoder = fileSinkEncoder(ins->name, target.options, sink_schema);
      if (!encoder.isOk()) return sqlError(ins->pos, encoder.status().message());
      BatchEncoder encode = *encoder;
      // Part files under `path`, committed at checkpoints or when the input ends.
      Stream rows_only = s.filter([](const RecordBatch& b) { return !b.empty(); });
      rows_only.sinkTo(operators::FileSink<RecordBatch>::forRowFormat(path, [encode, rows](const RecordBatch& b) {
                         *rows += static_cast<int64_t>(b.size());
                         return encode(b);
                       })
                           .withOverwrite(ins->overwrite)
                           .withMaxPartSize(rolling->file_size)
                           .withRollingTimes(rolling->rollover_ms, rolling->inactivity_ms)
                           .build());
    } else {
      return sqlError(ins->pos, "table '" + ins->name + "' (connector '" + connector +
                                    "') cannot be written to yet (sinks: print, blackhole, filesystem)");
    }
  }
  if (dry_run_) return Status::ok();  // Planned and translated: all a check needs.
  // Its start, for SHOW JOBS: the SQL functions' clock (the system's unless a test
  // installed one), not event time.
  JobRecord job{randomHexId(4), jobName(inserts, select), "", sqlClock().currentTimeMillis()};
  runtime::JobExecutionResult r = env.execute(job.name);
  job.status = r.isOk() ? "FINISHED" : r.status.code() == StatusCode::kCancelled ? "CANCELED" : "FAILED";
  jobs_.push_back(std::move(job));
  out_->flush();
  last_job_rows_ = rows->load();
  if (select) out_->end(last_job_rows_);
  if (!r.isOk()) {
    return Status(r.status.code(), "SQL job failed" + (r.failed_operator.empty() ? "" : " in " + r.failed_operator) +
                                       ": " + r.status.message());
  }
  return Status::ok();
}

}  // namespace eddy::sql
