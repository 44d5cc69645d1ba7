#include "eddy/runtime/channel_selector.h"

namespace eddy::runtime {

const char* partitionKindName(PartitionKind kind) {
  switch (kind) {
    case PartitionKind::kForward: return "FORWARD";
    case PartitionKind::kRebalance: return "REBALANCE";
    case PartitionKind::kRescale: return "RESCALE";
    case PartitionKind::kShuffle: return "SHUFFLE";
    case PartitionKind::kHash: return "HASH";
    case PartitionKind::kBroadcast: return "BROADCAST";
    case PartitionKind::kGlobal: return "GLOBAL";
    case PartitionKind::kCustom: return "CUSTOM";
  }
  return "?";
}

}  // namespace eddy::runtime
