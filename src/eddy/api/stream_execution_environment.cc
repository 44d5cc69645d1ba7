#include "eddy/api/stream_execution_environment.h"

#include "eddy/runtime/job_graph.h"
#include "eddy/runtime/local_executor.h"

namespace eddy::api {

runtime::JobExecutionResult StreamExecutionEnvironment::execute(const std::string& job_name) {
  g_->resolveDefaultPartitioning();
  if (g_->graph.nodes.empty()) {
    runtime::JobExecutionResult r;
    r.job_name = job_name;
    r.status = Status::invalidArgument("No operators defined in streaming topology. Cannot execute.");
    return r;
  }
  return runtime::LocalExecutor::execute(g_->graph, job_name);
}

std::string StreamExecutionEnvironment::getExecutionPlan() {
  g_->resolveDefaultPartitioning();
  Result<runtime::JobGraph> jg = runtime::JobGraph::build(g_->graph);
  if (!jg.isOk()) return jg.status().toString();
  return jg->describe(g_->graph);
}

}  // namespace eddy::api
