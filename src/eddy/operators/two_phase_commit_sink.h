#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "eddy/core/serialization.h"
#include "eddy/operators/operator_state.h"
#include "eddy/operators/simple_operators.h"

namespace eddy::operators {

/// Flink's TwoPhaseCommitSinkFunction: a sink that writes into transactions and makes
/// them visible only when the checkpoint covering them completes, so an external reader
/// sees every record exactly once however often the job fails and restores.
///
/// The life of a transaction: beginTransaction() -> invoke(txn, value)* -> on the
/// checkpoint barrier preCommit(txn) (flush; after this the transaction must survive a
/// crash) -> when that checkpoint completes commit(txn). A failed attempt's transactions
/// that no checkpoint covers are left to abort()/finishRecoveringContext(). On restore,
/// the transactions a completed checkpoint pre-committed are committed again
/// (recoverAndCommit: commit must be idempotent, as the checkpoint may have completed
/// and been committed before the failure) and the transaction that was open at the
/// checkpoint is aborted (recoverAndAbort).
///
/// Without checkpointing, the transaction open at the end of input is committed by
/// finish(): the output of a bounded job is complete when it ends.
///
/// `TXN` is a small value naming the transaction (a file name, a transaction id); it
/// must be Serializable, as it is part of the checkpoint.
/// Thread: the task thread.
template <typename IN, typename TXN>
class TwoPhaseCommitSinkFunction : public SinkFunction<IN>, public CheckpointedFunction, public CheckpointListener {
 public:
  using Context = typename SinkFunction<IN>::Context;

  void invoke(const IN& value, const Context& ctx) final { invoke(current_, value, ctx); }

  void initializeState(FunctionInitializationContext& context) final {
    // Union list state: every subtask sees every earlier subtask's transactions, handles
    // its share (entry i goes to subtask i mod p) and subtask 0 learns every transaction
    // a checkpoint knew, to tell them from a failed attempt's leftovers. A subtask that
    // restarts alone with its failover region handles only the transactions it made
    // (the others' belong to subtasks still running) and cleans up only after itself.
    state_ = &context.getOperatorStateStore().getUnionListState(state::ListStateDescriptor<Entry>("two-phase-commit"));
    const int subtask = this->getRuntimeContext().getIndexOfThisSubtask();
    if (context.isRestored()) {
      std::vector<Entry> entries = state_->get();
      const int parallelism = this->getRuntimeContext().getNumberOfParallelSubtasks();
      const bool alone = this->getRuntimeContext().isRegionRestart();
      std::vector<TXN> known;
      for (size_t i = 0; i < entries.size(); ++i) {
        known.push_back(entries[i].txn);
        const bool mine = alone ? entries[i].subtask == subtask
                                : static_cast<int>(i % static_cast<size_t>(parallelism)) == subtask;
        if (!mine) continue;
        if (entries[i].pre_committed) {
          recoverAndCommit(entries[i].txn);
        } else {
          recoverAndAbort(entries[i].txn);
        }
      }
      if (subtask == 0 || alone) finishRecoveringContext(known);
    } else if (subtask == 0) {
      // A fresh start: what earlier attempts wrote before any checkpoint completed (a
      // process killed early, then started again) belongs to no transaction.
      finishRecoveringContext({});
    }
    subtask_ = subtask;
    current_ = beginTransaction();
    writeState();
  }

  void snapshotState(const FunctionSnapshotContext& context) final {
    preCommit(current_);
    pending_.push_back(Entry{context.getCheckpointId(), true, std::move(current_), subtask_});
    current_ = beginTransaction();
    writeState();
  }

  void notifyCheckpointComplete(int64_t checkpoint_id) final {
    // Every transaction pre-committed by this checkpoint or an earlier one (whose own
    // notification may have been skipped) is now safe in a completed checkpoint.
    size_t done = 0;
    while (done < pending_.size() && pending_[done].checkpoint_id <= checkpoint_id) {
      commit(pending_[done].txn);
      ++done;
    }
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(done));
  }

  void finish() final {
    if (this->getRuntimeContext().isCheckpointingEnabled()) return;  // The final checkpoint commits.
    preCommit(current_);
    commit(current_);
    current_ = beginTransaction();
  }

  void close() final {
    // On failure (or after the final commit, with an empty transaction): what is not
    // pre-committed is gone; pre-committed transactions stay for a restore to commit.
    if (state_ != nullptr) abort(current_);
  }

 protected:
  virtual TXN beginTransaction() = 0;
  virtual void invoke(TXN& transaction, const IN& value, const Context& ctx) = 0;
  virtual void preCommit(TXN& transaction) = 0;
  /// Must be idempotent.
  virtual void commit(TXN& transaction) = 0;
  virtual void abort(TXN& transaction) = 0;
  virtual void recoverAndCommit(TXN& transaction) { commit(transaction); }
  virtual void recoverAndAbort(TXN& transaction) { abort(transaction); }
  /// On subtask 0 after a restore: every transaction the restored checkpoint knew, in
  /// any state; anything else this sink finds from earlier attempts is a leftover (on a
  /// fresh start, with none known, all of it is). On
  /// a subtask restarting alone with its failover region (isRegionRestart()), only
  /// its own leftovers are: the others' subtasks are still running.
  virtual void finishRecoveringContext(const std::vector<TXN>& known) { (void)known; }

 private:
  struct Entry {
    int64_t checkpoint_id = 0;
    bool pre_committed = false;  // False: the transaction open at the checkpoint.
    TXN txn;
    int32_t subtask = 0;  // The subtask that made it.

    void serialize(DataOutputView& out) const {
      eddy::serialize(checkpoint_id, out);
      eddy::serialize(pre_committed, out);
      eddy::serialize(txn, out);
      eddy::serialize(subtask, out);
    }
    static Result<Entry> deserialize(DataInputView& in) {
      Entry e;
      EDDY_ASSIGN_OR_RETURN(e.checkpoint_id, eddy::deserialize<int64_t>(in));
      EDDY_ASSIGN_OR_RETURN(e.pre_committed, eddy::deserialize<bool>(in));
      EDDY_ASSIGN_OR_RETURN(e.txn, eddy::deserialize<TXN>(in));
      EDDY_ASSIGN_OR_RETURN(e.subtask, eddy::deserialize<int32_t>(in));
      return e;
    }
  };

  void writeState() {
    std::vector<Entry> entries = pending_;
    entries.push_back(Entry{-1, false, current_, subtask_});
    state_->update(std::move(entries));
  }

  state::ListState<Entry>* state_ = nullptr;
  TXN current_{};
  int32_t subtask_ = 0;
  std::vector<Entry> pending_;  // Pre-committed, oldest first, not yet committed.
};

}  // namespace eddy::operators
