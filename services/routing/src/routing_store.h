#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/hub.h"
#include "pact/events/v1/referral_events.pb.h"
#include "pact/routing/v1/routing_state.pb.h"
#include "redis/redis_client.h"

namespace pact::routing {

namespace v1 = ::pact::routing::v1;

// A place taken or given back at a provider, for one referral attempt. Idempotent per attempt: a
// referral holds at most one place, so reprocessing never takes a second.
struct CapacityOp {
  enum class Kind { reserve, release } kind = Kind::reserve;
  std::string service_id;
  std::string referral_id;
};

// A provider's capacity after a commit, for CapacityChanged events.
struct CapacityAfter {
  std::string service_id;
  std::string referral_id;
  bool reserved = false;
  bool changed = false;
  std::uint32_t available = 0;
  std::uint32_t maximum = 0;
  std::uint64_t version = 0;
};

// A timer: fires at `due_ms` (Unix ms). The member names the case so a scheduler can load it.
struct DeadlineEntry {
  std::string member;
  std::int64_t due_ms = 0;
};

// Everything one change of a case writes, applied in one atomic step or not at all: the case's
// state (compare-and-set on its version), places reserved or released, timers set or cleared, the
// index entries of its referrals, and the events to publish (outbox). Whoever changes a case —
// the consumer, a provider's answer, a deadline — goes through this, so none overwrites another.
struct CaseCommit {
  std::uint64_t expected_version = 0;  // 0: the case is new to routing
  v1::CaseRoutingState state;           // its version is set by the store
  std::vector<CapacityOp> capacity;
  std::vector<DeadlineEntry> add_deadlines;
  std::vector<std::string> remove_deadlines;
  std::string fired_deadline;  // must still be scheduled (fires once); removed with the commit
  std::vector<std::pair<std::string, std::string>> index_add;     // (index name, member)
  std::vector<std::pair<std::string, std::string>> index_remove;  // (index name, member)
  std::vector<events::v1::ReferralEvent> events;
};

struct CommitResult {
  enum class Outcome { committed, conflict, no_capacity, deadline_gone } outcome = Outcome::committed;
  std::string full_service_id;  // for no_capacity: the provider that had no place left
  std::vector<CapacityAfter> capacity;
};

// Routing's case records in Redis:
//   <hub>:routing:case:<case id>        hash {version, state (CaseRoutingState)}
//   <hub>:routing:deadlines             sorted set, member -> due (Unix ms)
//   <hub>:routing:idx:<index>           sets of referral ids (by service, organisation, status, overdue)
//   <hub>:routing:outbox                list of ReferralEvent to publish, oldest first
//   <hub>:routing:dir:cap:<service id>  capacity hash (owned by DirectoryStore; reserved here)
//   <hub>:routing:dir:resv:<service id> referral ids holding a place
class RoutingStore {
 public:
  RoutingStore(const config::Hub& hub, redis::RedisClient& redis) : hub_(hub), redis_(redis) {}

  std::optional<v1::CaseRoutingState> load(const std::string& case_id) const;
  CommitResult commit(const std::string& case_id, CaseCommit& commit) const;

  // Timers due by `now_ms`, at most `limit`, earliest first.
  std::vector<std::string> due_deadlines(std::int64_t now_ms, std::size_t limit) const;
  std::vector<std::string> index_members(const std::string& index) const;
  void drop_deadline(const std::string& member) const;

  // An event outside a case commit (capacity reports, directory changes).
  void outbox_push(const events::v1::ReferralEvent& event) const;

  std::string key(std::string_view part, std::string_view id = {}) const;

 private:
  const config::Hub& hub_;
  redis::RedisClient& redis_;
};

// The case id inside a deadline member or a referral id ("<case>/<need>/<attempt>").
std::string case_of_referral(const std::string& referral_id);
std::string case_of_deadline(const std::string& member);

}  // namespace pact::routing
