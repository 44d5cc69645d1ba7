#include "eddy/runtime/watermark_valve.h"

#include <algorithm>

namespace eddy::runtime {

WatermarkValve::WatermarkValve(int num_channels) : channels_(num_channels) {}

WatermarkValve::Emit WatermarkValve::inputWatermark(int channel, Watermark wm) {
  Channel& c = channels_[channel];
  Emit emit;
  if (!c.active || wm.timestamp <= c.watermark) return emit;
  c.watermark = wm.timestamp;
  // Flink: a channel whose watermark caught up with the output rejoins the minimum.
  if (!c.aligned && c.watermark >= last_output_) c.aligned = true;
  emit.watermark = advanceToMinOverAligned();
  return emit;
}

WatermarkValve::Emit WatermarkValve::inputWatermarkStatus(int channel, WatermarkStatus status) {
  Channel& c = channels_[channel];
  Emit emit;
  if (status == WatermarkStatus::kIdle && c.active) {
    c.active = false;
    c.aligned = false;
    bool all_idle = std::none_of(channels_.begin(), channels_.end(),
                                 [](const Channel& ch) { return ch.active; });
    if (all_idle) {
      // Flink: when everything is idle, advance to the largest watermark seen.
      Timestamp max_wm = kMinTimestamp;
      for (const Channel& ch : channels_) max_wm = std::max(max_wm, ch.watermark);
      if (max_wm > last_output_) {
        last_output_ = max_wm;
        emit.watermark = Watermark{max_wm};
      }
      output_idle_ = true;
      emit.status = WatermarkStatus::kIdle;
    } else {
      emit.watermark = advanceToMinOverAligned();
    }
  } else if (status == WatermarkStatus::kActive && !c.active) {
    c.active = true;
    c.aligned = c.watermark >= last_output_;
    if (output_idle_) {
      output_idle_ = false;
      emit.status = WatermarkStatus::kActive;
    }
  }
  return emit;
}

WatermarkValve::Emit WatermarkValve::endOfPartition(int channel) {
  Channel& c = channels_[channel];
  Emit emit;
  c.active = true;
  c.aligned = true;
  c.watermark = kMaxTimestamp;
  emit.watermark = advanceToMinOverAligned();
  if (output_idle_) {
    output_idle_ = false;
    emit.status = WatermarkStatus::kActive;
  }
  return emit;
}

void WatermarkValve::snapshot(DataOutputView& out) const {
  out.writeVarint(channels_.size());
  for (const Channel& c : channels_) {
    out.write<int64_t>(c.watermark);
    out.write<uint8_t>(static_cast<uint8_t>((c.active ? 1 : 0) | (c.aligned ? 2 : 0)));
  }
  out.write<int64_t>(last_output_);
  out.write<uint8_t>(output_idle_ ? 1 : 0);
}

Status WatermarkValve::restore(DataInputView& in) {
  EDDY_ASSIGN_OR_RETURN(uint64_t n, in.readVarint());
  if (n != channels_.size()) {
    return Status::invalidArgument("watermark state of " + std::to_string(n) + " channels cannot restore onto " +
                                   std::to_string(channels_.size()) + " channels");
  }
  for (Channel& c : channels_) {
    EDDY_ASSIGN_OR_RETURN(c.watermark, in.read<int64_t>());
    EDDY_ASSIGN_OR_RETURN(uint8_t flags, in.read<uint8_t>());
    c.active = (flags & 1) != 0;
    c.aligned = (flags & 2) != 0;
  }
  EDDY_ASSIGN_OR_RETURN(last_output_, in.read<int64_t>());
  EDDY_ASSIGN_OR_RETURN(uint8_t idle, in.read<uint8_t>());
  output_idle_ = idle != 0;
  return Status::ok();
}

std::optional<Watermark> WatermarkValve::advanceToMinOverAligned() {
  bool any = false;
  Timestamp min_wm = kMaxTimestamp;
  for (const Channel& ch : channels_) {
    if (ch.active && ch.aligned) {
      any = true;
      min_wm = std::min(min_wm, ch.watermark);
    }
  }
  if (any && min_wm > last_output_) {
    last_output_ = min_wm;
    return Watermark{min_wm};
  }
  return std::nullopt;
}

}  // namespace eddy::runtime
