#include "eddy/runtime/channel_state.h"

#include <algorithm>

namespace eddy::runtime {
namespace {
constexpr uint8_t kFormatVersion = 1;
}  // namespace

ChannelStateWriter::ChannelStateWriter(const std::vector<WatermarkValve>& valves) {
  valves_.writeVarint(valves.size());
  DataOutputView one;
  for (const WatermarkValve& v : valves) {
    valves_.write<int64_t>(v.lastOutputWatermark());
    one.clear();
    v.snapshot(one);
    valves_.writeString(one.data());
  }
}

Status ChannelStateWriter::add(const ChannelEvent& e, int input, int edge, const TypeOpsBase& type) {
  const size_t mark = events_.size();
  events_.write<uint8_t>(static_cast<uint8_t>(e.kind));
  events_.writeVarint(static_cast<uint64_t>(e.channel));
  events_.writeVarint(static_cast<uint64_t>(input));
  events_.writeVarint(static_cast<uint64_t>(edge));
  switch (e.kind) {
    case ChannelEvent::Kind::kBatch:
      if (Status st = type.writeBatch(*e.batch, events_); !st.isOk()) {
        events_.truncate(mark);
        return st;
      }
      records_ += static_cast<int64_t>(e.batch->numRecords());
      break;
    case ChannelEvent::Kind::kWatermark:
      events_.write<int64_t>(e.watermark);
      break;
    case ChannelEvent::Kind::kStatus:
      events_.write<uint8_t>(e.status == WatermarkStatus::kIdle ? 1 : 0);
      break;
    default:
      events_.truncate(mark);
      return Status::internal("only records, watermarks and statuses are in-flight data");
  }
  ++count_;
  return Status::ok();
}

std::string ChannelStateWriter::finish() const {
  DataOutputView out;
  out.write<uint8_t>(kFormatVersion);
  out.writeBytes(valves_.data().data(), valves_.size());
  out.writeVarint(count_);
  out.writeBytes(events_.data().data(), events_.size());
  return out.release();
}

namespace {

/// One predecessor's channel state, parsed.
struct Parsed {
  std::vector<Timestamp> last_output;
  std::vector<std::string> valves;
  std::vector<InflightEvent> events;
  std::vector<int> edges;  // Per event.
};

Result<Parsed> parse(const std::string& bytes, int num_inputs, const StreamGraph& graph, const std::vector<int>& in_edges) {
  DataInputView in(bytes);
  Parsed p;
  EDDY_ASSIGN_OR_RETURN(uint8_t version, in.read<uint8_t>());
  if (version != kFormatVersion) return Status::invalidArgument("unknown channel state format " + std::to_string(version));
  EDDY_ASSIGN_OR_RETURN(uint64_t inputs, in.readVarint());
  if (inputs != static_cast<uint64_t>(num_inputs)) {
    return Status::invalidArgument("channel state of a task with " + std::to_string(inputs) +
                                   " inputs cannot restore into one with " + std::to_string(num_inputs));
  }
  for (uint64_t i = 0; i < inputs; ++i) {
    EDDY_ASSIGN_OR_RETURN(int64_t last, in.read<int64_t>());
    EDDY_ASSIGN_OR_RETURN(std::string valve, in.readString());
    p.last_output.push_back(last);
    p.valves.push_back(std::move(valve));
  }
  EDDY_ASSIGN_OR_RETURN(uint64_t count, in.readVarint());
  for (uint64_t n = 0; n < count; ++n) {
    InflightEvent e;
    EDDY_ASSIGN_OR_RETURN(uint8_t kind, in.read<uint8_t>());
    EDDY_ASSIGN_OR_RETURN(uint64_t channel, in.readVarint());
    EDDY_ASSIGN_OR_RETURN(uint64_t input, in.readVarint());
    EDDY_ASSIGN_OR_RETURN(uint64_t edge, in.readVarint());
    if (input >= static_cast<uint64_t>(num_inputs) ||
        std::find(in_edges.begin(), in_edges.end(), static_cast<int>(edge)) == in_edges.end() ||
        graph.edges[edge].target_input != static_cast<int>(input)) {
      return Status::invalidArgument("in-flight data of edge " + std::to_string(edge) +
                                     " does not match the job's graph (was the job changed?)");
    }
    e.kind = static_cast<ChannelEvent::Kind>(kind);
    e.channel = static_cast<int>(channel);
    e.input = static_cast<int>(input);
    switch (e.kind) {
      case ChannelEvent::Kind::kBatch: {
        e.type = graph.edges[edge].type.get();
        EDDY_ASSIGN_OR_RETURN(e.batch, e.type->readBatch(in));
        break;
      }
      case ChannelEvent::Kind::kWatermark: {
        EDDY_ASSIGN_OR_RETURN(e.watermark, in.read<int64_t>());
        break;
      }
      case ChannelEvent::Kind::kStatus: {
        EDDY_ASSIGN_OR_RETURN(uint8_t idle, in.read<uint8_t>());
        e.status = idle != 0 ? WatermarkStatus::kIdle : WatermarkStatus::kActive;
        break;
      }
      default:
        return Status::invalidArgument("corrupt channel state: event kind " + std::to_string(kind));
    }
    p.events.push_back(std::move(e));
    p.edges.push_back(static_cast<int>(edge));
  }
  if (!in.atEnd()) return Status::invalidArgument("corrupt channel state: bytes after the last event");
  return p;
}

}  // namespace

Result<RestoredChannelState> restoreChannelState(const std::vector<std::string>& previous, int subtask,
                                                 int parallelism, int max_parallelism, int num_inputs,
                                                 const StreamGraph& graph, const std::vector<int>& in_edges) {
  RestoredChannelState out;
  out.same_layout = static_cast<int>(previous.size()) == parallelism;
  out.start_after.assign(static_cast<size_t>(num_inputs), kMinTimestamp);
  if (out.same_layout) {
    const std::string& bytes = previous[static_cast<size_t>(subtask)];
    if (bytes.empty()) return out;
    EDDY_ASSIGN_OR_RETURN(Parsed p, parse(bytes, num_inputs, graph, in_edges));
    out.valve_states = std::move(p.valves);
    out.start_after = std::move(p.last_output);
    out.events = std::move(p.events);
    for (const InflightEvent& e : out.events) out.records += e.batch ? static_cast<int64_t>(e.batch->numRecords()) : 0;
    return out;
  }
  const int old_parallelism = static_cast<int>(previous.size());
  bool any = false;
  std::vector<Timestamp> lowest(static_cast<size_t>(num_inputs), kMaxTimestamp);
  for (int j = 0; j < old_parallelism; ++j) {
    const std::string& bytes = previous[static_cast<size_t>(j)];
    if (bytes.empty()) continue;
    EDDY_ASSIGN_OR_RETURN(Parsed p, parse(bytes, num_inputs, graph, in_edges));
    any = true;
    for (size_t i = 0; i < lowest.size(); ++i) lowest[i] = std::min(lowest[i], p.last_output[i]);
    for (size_t n = 0; n < p.events.size(); ++n) {
      InflightEvent& e = p.events[n];
      // Watermarks belong to channels that no longer exist; each input restarts after
      // the lowest watermark its predecessors had emitted.
      if (e.kind != ChannelEvent::Kind::kBatch) continue;
      const StreamEdge& edge = graph.edges[static_cast<size_t>(p.edges[n])];
      if (edge.select_for_subtask) {
        e.batch = edge.select_for_subtask(*e.batch, subtask, parallelism, max_parallelism);
      } else if (edge.kind == PartitionKind::kBroadcast) {
        // Every subtask saw every record; take the copy of the subtask whose broadcast
        // state this one restores.
        if (j != subtask % old_parallelism) continue;
      } else if (j % parallelism != subtask) {
        continue;
      }
      if (e.batch->numRecords() == 0) continue;
      e.channel = 0;
      out.records += static_cast<int64_t>(e.batch->numRecords());
      out.events.push_back(std::move(e));
    }
  }
  if (any) out.start_after = std::move(lowest);
  return out;
}

}  // namespace eddy::runtime
