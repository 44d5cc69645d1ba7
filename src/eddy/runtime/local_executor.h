#pragma once

#include <functional>
#include <optional>
#include <string>

#include "eddy/runtime/checkpoint_storage.h"
#include "eddy/runtime/job_control.h"
#include "eddy/runtime/job_result.h"
#include "eddy/runtime/stream_graph.h"

namespace eddy::runtime {

/// Asked when a subtask fails in a job whose subtasks form several failover regions:
/// the delay before its region restarts, or nullopt to fail the job (the restart
/// strategy's decision). `region_started_ms` is when the region last (re)started.
/// Called on the thread that called execute().
using RegionRestartDecider = std::function<std::optional<Duration>(Timestamp region_started_ms, Timestamp failed_ms)>;

/// Runs a StreamGraph in this process (Flink's MiniCluster): chains it into a JobGraph,
/// starts one thread per subtask, wires channels, and waits for the end. A failing task
/// cancels all others and the result names the failed operator and cause; except that
/// with region failover (`graph.region_failover`, a `restart_region` decider and more
/// than one failover region, see FailoverRegions) only the failed task's region is
/// cancelled and restarted from the latest completed checkpoint, while the others run on.
/// Thread: call from any one thread; blocks until the job ends.
class LocalExecutor {
 public:
  /// With `restore`, every operator and source starts from that checkpoint. With
  /// `control`, a job client can take savepoints of this run and cancel it.
  static JobExecutionResult execute(const StreamGraph& graph, const std::string& job_name,
                                    const CompletedCheckpoint* restore = nullptr, JobControl* control = nullptr,
                                    const RegionRestartDecider& restart_region = {});
};

}  // namespace eddy::runtime
