#pragma once

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <unordered_map>
#include <utility>
#include <vector>

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
      auto s = std::make_shared<BroadcastState<UK, UV>>();
      auto* raw = s.get();
      states_.emplace(d.name, Entry{std::move(s), &typeid(BroadcastState<UK, UV>)});
      return *raw;
    }
    if (*it->second.type != typeid(BroadcastState<UK, UV>)) {
      throw std::invalid_argument("broadcast state '" + d.name + "' was registered with another type");
    }
    return *static_cast<BroadcastState<UK, UV>*>(it->second.state.get());
  }

 private:
  struct Entry {
    std::shared_ptr<void> state;
    const std::type_info* type;
  };
  std::vector<std::string> declared_;
  std::map<std::string, Entry> states_;
};

}  // namespace eddy::operators
