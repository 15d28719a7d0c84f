#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <map>
#include <optional>
#include <string>

#include "kafka/topic_follower.h"
#include "pact/situation/v1/situation.pb.h"
#include "pact/situation/v1/situation_state.pb.h"
#include "situation_model.h"
#include "situation_view.h"

namespace pact::situation {

// A picture as served: the message (gRPC) and its JSON (the console), made once per change.
struct Picture {
  v1::Situation situation;
  std::string json;
};

// The read model as the process shares it: the follower thread applies records, the console, the
// gRPC streams and the ticker read pictures and wait for changes. Pictures are cached per
// revision and second (deadlines are judged against the clock), so a hundred open pages cost one
// picture per change, not a hundred.
class LiveSituation {
 public:
  using Clock = std::chrono::system_clock;

  LiveSituation(ViewSettings view, const std::optional<v1::SituationSnapshot>& start);

  // From the follower: decodes and applies one record and moves its partition's position past it.
  // A record that does not decode is skipped and counted (it cannot become readable by waiting).
  void apply(const kafka::FollowedRecord& record);

  // Where the state stands in each partition (what a restart resumes from).
  kafka::FollowPositions positions() const;
  // State and positions, consistent with each other.
  v1::SituationSnapshot snapshot() const;

  std::shared_ptr<const Picture> picture(bool exercise, const ViewScope& scope = ViewScope{},
                                         Clock::time_point now = Clock::now());
  std::uint64_t revision() const;
  std::uint64_t undecodable_records() const { return undecodable_.load(); }

  // Waits until the revision passes `seen`, `timeout` elapses or close() is called; returns the
  // revision then.
  std::uint64_t wait_for_change(std::uint64_t seen, std::chrono::milliseconds timeout) const;
  // Wakes every waiter for good (the process is stopping).
  void close();
  bool closed() const;

  // Runs `change(state)` under the lock (the alert ledger's records live in the state); a true
  // result counts as a change and wakes the waiters.
  template <class Change>
  bool update_state(Change&& change) {
    bool changed = false;
    {
      std::lock_guard lock(mutex_);
      changed = change(model_.mutable_state());
      if (changed) model_.mutable_state().set_revision(model_.revision() + 1);
    }
    if (changed) changes_.notify_all();
    return changed;
  }

  // Reads the state under the lock.
  template <class Read>
  auto read_state(Read&& read) const {
    std::lock_guard lock(mutex_);
    return read(model_.state());
  }

  const ViewSettings& view_settings() const { return view_; }

 private:
  ViewSettings view_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changes_;
  SituationModel model_;
  kafka::FollowPositions positions_;
  bool closed_ = false;
  std::atomic<std::uint64_t> undecodable_{0};
  struct Cached {
    std::uint64_t revision = 0;
    std::int64_t second = -1;
    std::shared_ptr<const Picture> picture;
  };
  // Per (exercise, scope): a hub has a handful of scopes (one per jurisdiction set in use).
  std::map<std::pair<bool, std::string>, Cached> cached_;
};

}  // namespace pact::situation
