#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include "eddy/core/serialization.h"
#include "eddy/runtime/stream_operator.h"
#include "eddy/state/state.h"
#include "eddy/state/state_descriptor.h"

namespace eddy::operators {

/// A list held by one operator subtask, not by key (Flink's operator ListState).
template <typename T>
class OperatorListState final : public state::ListState<T> {
 public:
  std::vector<T> get() override { return items_; }
  void add(T value) override { items_.push_back(std::move(value)); }
  void addAll(std::vector<T> values) override {
    for (auto& v : values) items_.push_back(std::move(v));
  }
  void update(std::vector<T> values) override { items_ = std::move(values); }
  void clear() override { items_.clear(); }
  const std::vector<T>& items() const { return items_; }

 private:
  std::vector<T> items_;
};

/// The operator (non-keyed) state of one subtask (Flink's OperatorStateStore): named
/// lists that a restore redistributes element by element. `getListState` splits each
/// list evenly over the new subtasks (contiguous ranges, the first ones one element
/// more, as Flink's round-robin repartitioner); `getUnionListState` gives every subtask
/// all elements.
/// Thread: the task thread only.
class OperatorStateStore {
 public:
  /// The elements of all earlier subtasks' snapshots, and which new subtask this is.
  void setRestored(const std::vector<std::string>& snapshots, int subtask, int parallelism) {
    restored_ = true;
    subtask_ = subtask;
    parallelism_ = parallelism;
    for (const std::string& bytes : snapshots) {
      if (bytes.empty()) continue;  // That subtask's function kept no operator state.
      DataInputView in(bytes);
      Result<uint64_t> n = in.readVarint();
      check(n.status());
      for (uint64_t i = 0; i < *n; ++i) {
        Result<std::string> name = in.readString();
        check(name.status());
        Result<uint64_t> count = in.readVarint();
        check(count.status());
        std::vector<std::string>& elements = pending_[*name];
        for (uint64_t e = 0; e < *count; ++e) {
          Result<std::string> el = in.readString();
          check(el.status());
          elements.push_back(std::move(*el));
        }
      }
    }
  }
  bool isRestored() const { return restored_; }

  template <typename T>
  state::ListState<T>& getListState(const state::ListStateDescriptor<T>& d) {
    return list<T>(d.name, /*union_list=*/false);
  }
  template <typename T>
  state::ListState<T>& getUnionListState(const state::ListStateDescriptor<T>& d) {
    return list<T>(d.name, /*union_list=*/true);
  }

  /// Every list, element by element.
  Result<std::string> snapshot() const {
    DataOutputView out;
    out.writeVarint(lists_.size());
    for (const auto& [name, e] : lists_) {
      out.writeString(name);
      EDDY_ASSIGN_OR_RETURN(std::vector<std::string> elements, e.write());
      out.writeVarint(elements.size());
      for (const std::string& el : elements) out.writeString(el);
    }
    return out.release();
  }

 private:
  struct Entry {
    std::shared_ptr<void> state;
    const std::type_info* type;
    std::function<Result<std::vector<std::string>>()> write;
  };

  template <typename T>
  state::ListState<T>& list(const std::string& name, bool union_list) {
    static_assert(Serializable<T>, "operator list state elements must be serializable");
    auto it = lists_.find(name);
    if (it != lists_.end()) {
      if (*it->second.type != typeid(OperatorListState<T>)) {
        throw std::invalid_argument("operator state '" + name + "' was registered with another type");
      }
      return *static_cast<OperatorListState<T>*>(it->second.state.get());
    }
    auto s = std::make_shared<OperatorListState<T>>();
    auto* raw = s.get();
    if (auto p = pending_.find(name); p != pending_.end()) {
      const std::vector<std::string>& all = p->second;
      // Flink's round-robin repartitioner: n / p each, the first n % p subtasks one more.
      size_t n = all.size();
      size_t p_count = static_cast<size_t>(parallelism_);
      size_t i_sub = static_cast<size_t>(subtask_);
      size_t base = n / p_count;
      size_t extra = n % p_count;
      size_t begin = union_list ? 0 : i_sub * base + std::min(i_sub, extra);
      size_t end = union_list ? n : begin + base + (i_sub < extra ? 1 : 0);
      for (size_t i = begin; i < end; ++i) {
        DataInputView in(all[i]);
        Result<T> v = deserialize<T>(in);
        if (!v.isOk()) throw std::runtime_error("restoring operator state '" + name + "': " + v.status().message());
        raw->add(std::move(*v));
      }
      pending_.erase(p);
    }
    Entry e{s, &typeid(OperatorListState<T>), [raw]() -> Result<std::vector<std::string>> {
              std::vector<std::string> out;
              for (const T& v : raw->items()) {
                DataOutputView bytes;
                serialize(v, bytes);
                out.push_back(bytes.release());
              }
              return out;
            }};
    lists_.emplace(name, std::move(e));
    return *raw;
  }

  static void check(const Status& st) {
    if (!st.isOk()) throw std::runtime_error("restoring operator state: " + st.message());
  }

  bool restored_ = false;
  int subtask_ = 0;
  int parallelism_ = 1;
  std::map<std::string, Entry> lists_;
  std::map<std::string, std::vector<std::string>> pending_;  // Restored, not yet registered.
};

/// What initializeState sees (Flink's FunctionInitializationContext).
class FunctionInitializationContext {
 public:
  explicit FunctionInitializationContext(OperatorStateStore* store) : store_(store) {}
  bool isRestored() const { return store_->isRestored(); }
  OperatorStateStore& getOperatorStateStore() { return *store_; }

 private:
  OperatorStateStore* store_;
};

/// What snapshotState sees (Flink's FunctionSnapshotContext).
struct FunctionSnapshotContext {
  int64_t checkpoint_id = 0;
  int64_t getCheckpointId() const { return checkpoint_id; }
};

/// A function with operator state (Flink's CheckpointedFunction): initializeState runs
/// before open() (restoring, when the job restores), snapshotState on every checkpoint,
/// after which the store's lists are written.
class CheckpointedFunction {
 public:
  virtual ~CheckpointedFunction() = default;
  virtual void snapshotState(const FunctionSnapshotContext& context) = 0;
  virtual void initializeState(FunctionInitializationContext& context) = 0;
};

/// A function told when checkpoints complete (Flink's CheckpointListener), on the task
/// thread between records. Notifications may be skipped: a later one covers earlier
/// checkpoints too.
class CheckpointListener {
 public:
  virtual ~CheckpointListener() = default;
  virtual void notifyCheckpointComplete(int64_t checkpoint_id) = 0;
  virtual void notifyCheckpointAborted(int64_t checkpoint_id) { (void)checkpoint_id; }
};

/// Drives a CheckpointedFunction (and a CheckpointListener) for the operator that runs it.
class CheckpointedFunctionSupport {
 public:
  Status stash(const std::vector<runtime::OperatorSnapshot>& restored, int subtask, int parallelism) {
    if (restored.empty()) return Status::ok();
    std::vector<std::string> states;
    for (const auto& s : restored) states.push_back(s.operator_state);
    try {
      store_.setRestored(states, subtask, parallelism);
    } catch (const std::exception& e) {
      return Status::invalidArgument(e.what());
    }
    return Status::ok();
  }
  template <typename F>
  void initialize(F& f) {
    if constexpr (std::is_base_of_v<CheckpointedFunction, F>) {
      FunctionInitializationContext ctx(&store_);
      f.initializeState(ctx);
    }
  }
  template <typename F>
  Result<runtime::OperatorSnapshot> snapshot(F& f, int64_t checkpoint_id, int max_parallelism) {
    runtime::OperatorSnapshot snap;
    snap.max_parallelism = max_parallelism;
    if constexpr (std::is_base_of_v<CheckpointedFunction, F>) {
      f.snapshotState(FunctionSnapshotContext{checkpoint_id});
      EDDY_ASSIGN_OR_RETURN(snap.operator_state, store_.snapshot());
    }
    return snap;
  }
  template <typename F>
  void notifyComplete(F& f, int64_t checkpoint_id) {
    if constexpr (std::is_base_of_v<CheckpointListener, F>) f.notifyCheckpointComplete(checkpoint_id);
  }
  template <typename F>
  void notifyAborted(F& f, int64_t checkpoint_id) {
    if constexpr (std::is_base_of_v<CheckpointListener, F>) f.notifyCheckpointAborted(checkpoint_id);
  }

 private:
  OperatorStateStore store_;
};

}  // namespace eddy::operators
