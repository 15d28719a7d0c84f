#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "case_router.h"
#include "directory_store.h"
#include "routing_store.h"
#include "sop_book.h"

namespace pact::routing {

using Now = std::function<std::chrono::system_clock::time_point()>;

// The one way a case changes: load its state, let a CaseRouter decide, commit atomically; on a
// lost race (another worker changed the case) or a provider found full, redo from fresh state.
class CaseUpdater {
 public:
  struct Result {
    enum class Outcome { committed, declined, missing, deadline_gone } outcome = Outcome::committed;
    v1::CaseRoutingState state;  // after the change
    std::string next_referral_id;
  };
  // Decides the change on a router; returns false to leave the case untouched.
  using Change = std::function<bool(CaseRouter&)>;

  // `handoffs`: peer hubs for cross-border handoffs; none: this hub hands nothing over.
  CaseUpdater(const SopBook& book, DirectoryCache& directory, const RoutingStore& store, std::string profile,
              std::string hub, Now now, const HandoffPolicy* handoffs = nullptr)
      : book_(book), directory_(directory), store_(store), profile_(std::move(profile)), hub_(std::move(hub)),
        now_(std::move(now)), handoffs_(handoffs) {}

  // `create`: start from an empty state when routing has none for the case (a new case).
  Result update(const std::string& case_id, const std::string& cause_id, bool create, const Change& change) const;

  std::optional<v1::CaseRoutingState> load(const std::string& case_id) const { return store_.load(case_id); }
  const SopBook& book() const { return book_; }
  DirectoryCache& directory() const { return directory_; }
  const std::string& profile() const { return profile_; }
  std::chrono::system_clock::time_point now() const { return now_(); }

 private:
  void publish_capacity(const CommitResult& result, const std::string& cause_id, const v1::CaseRoutingState& state) const;

  const SopBook& book_;
  DirectoryCache& directory_;
  const RoutingStore& store_;
  std::string profile_;
  std::string hub_;
  Now now_;
  const HandoffPolicy* handoffs_;
};

}  // namespace pact::routing
