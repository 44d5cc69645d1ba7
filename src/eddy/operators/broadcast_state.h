#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <typeinfo>
#include <unordered_map>
#include <utility>
#include <vector>

#include "eddy/core/serialization.h"
#include "eddy/state/state_descriptor.h"

namespace eddy::operators {

/// Broadcast state as the non-broadcast side sees it (Flink's ReadOnlyBroadcastState).
template <typename UK, typename UV>
class ReadOnlyBroadcastState {
 public:
  virtual ~ReadOnlyBroadcastState() = default;
  std::optional<UV> get(const UK& key) const {
    auto it = map_.find(key);
    if (it == map_.end()) return std::nullopt;
    return it->second;
  }
  bool contains(const UK& key) const { return map_.count(key) != 0; }
  bool isEmpty() const { return map_.empty(); }
  size_t size() const { return map_.size(); }
  /// All entries, in no particular order (Flink: immutableEntries()).
  const std::unordered_map<UK, UV>& immutableEntries() const { return map_; }

 protected:
  std::unordered_map<UK, UV> map_;
};

/// Broadcast state as the broadcast side sees it: a map every parallel instance keeps
/// its own copy of. Updates must depend only on the broadcast elements, so that all
/// copies stay equal (Flink's BroadcastState contract).
template <typename UK, typename UV>
class BroadcastState final : public ReadOnlyBroadcastState<UK, UV> {
 public:
  void put(UK key, UV value) { this->map_[std::move(key)] = std::move(value); }
  void remove(const UK& key) { this->map_.erase(key); }
  void clear() { this->map_.clear(); }
  /// Flink's entries()/iterator(): mutable access to every entry.
  std::unordered_map<UK, UV>& entries() { return this->map_; }
};

/// The broadcast states of one operator subtask, by descriptor name: those declared in
/// `broadcast(descriptors...)`. Asking for an undeclared name, or for one name with two
/// different types, is a programming error (std::invalid_argument), as in Flink.
/// Thread: the task thread only.
class BroadcastStateStore {
 public:
  explicit BroadcastStateStore(std::vector<std::string> declared) : declared_(std::move(declared)) {}

  template <typename UK, typename UV>
  BroadcastState<UK, UV>& get(const state::MapStateDescriptor<UK, UV>& d) {
    auto it = states_.find(d.name);
    if (it == states_.end() && std::find(declared_.begin(), declared_.end(), d.name) == declared_.end()) {
      throw std::invalid_argument("The requested broadcast state '" + d.name +
                                  "' does not exist. Check for typos in the state descriptor, or declare "
                                  "it in the broadcast(...) call.");
    }
    if (it == states_.end()) {
      using Map = std::unordered_map<UK, UV>;
      auto s = std::make_shared<BroadcastState<UK, UV>>();
      auto* raw = s.get();
      Entry e{std::move(s), &typeid(BroadcastState<UK, UV>), nullptr};
      e.write = [raw, name = d.name](DataOutputView& out) -> Status {
        if constexpr (Serializable<Map>) {
          serialize(raw->immutableEntries(), out);
          return Status::ok();
        } else {
          return Status::unimplemented("broadcast state '" + name + "' has types that cannot be snapshotted");
        }
      };
      if (auto r = restored_.find(d.name); r != restored_.end()) {
        if constexpr (Serializable<Map>) {
          DataInputView in(r->second);
          Result<Map> m = deserialize<Map>(in);
          if (!m.isOk()) throw std::runtime_error("restoring broadcast state '" + d.name + "': " + m.status().message());
          for (auto& [k, v] : *m) raw->put(k, v);
        }
        restored_.erase(r);
      }
      states_.emplace(d.name, std::move(e));
      return *raw;
    }
    if (*it->second.type != typeid(BroadcastState<UK, UV>)) {
      throw std::invalid_argument("broadcast state '" + d.name + "' was registered with another type");
    }
    return *static_cast<BroadcastState<UK, UV>*>(it->second.state.get());
  }

  /// Every broadcast state registered so far, for a checkpoint.
  Result<std::string> snapshot() const {
    DataOutputView out;
    out.writeVarint(states_.size());
    for (const auto& [name, e] : states_) {
      out.writeString(name);
      DataOutputView bytes;
      EDDY_RETURN_IF_ERROR(e.write(bytes));
      out.writeString(bytes.data());
    }
    return out.release();
  }
  /// What snapshot() wrote; each state fills when the function first asks for it.
  Status restore(std::string_view data) {
    DataInputView in(data);
    EDDY_ASSIGN_OR_RETURN(uint64_t n, in.readVarint());
    for (uint64_t i = 0; i < n; ++i) {
      EDDY_ASSIGN_OR_RETURN(std::string name, in.readString());
      EDDY_ASSIGN_OR_RETURN(std::string bytes, in.readString());
      restored_[name] = std::move(bytes);
    }
    return Status::ok();
  }

 private:
  struct Entry {
    std::shared_ptr<void> state;
    const std::type_info* type;
    std::function<Status(DataOutputView&)> write;
  };
  std::map<std::string, std::string> restored_;
  std::vector<std::string> declared_;
  std::map<std::string, Entry> states_;
};

}  // namespace eddy::operators
