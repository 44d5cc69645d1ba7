#pragma once

#include <string>

#include "eddy/runtime/checkpoint_storage.h"
#include "eddy/runtime/job_control.h"
#include "eddy/runtime/job_result.h"
#include "eddy/runtime/stream_graph.h"

namespace eddy::runtime {

/// Runs a StreamGraph in this process (Flink's MiniCluster): chains it into a JobGraph,
/// starts one thread per subtask, wires channels, and waits for the end. The first
/// failing task cancels all others; the result names the failed operator and cause.
/// Thread: call from any one thread; blocks until the job ends.
class LocalExecutor {
 public:
  /// With `restore`, every operator and source starts from that checkpoint. With
  /// `control`, a job client can take savepoints of this run and cancel it.
  static JobExecutionResult execute(const StreamGraph& graph, const std::string& job_name,
                                    const CompletedCheckpoint* restore = nullptr, JobControl* control = nullptr);
};

}  // namespace eddy::runtime
