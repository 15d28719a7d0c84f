#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/hub.h"
#include "redis/redis_pool.h"

namespace pact::intake {

// Intake's Redis schema (intake owns these keys; no other service reads them):
//   <hub>:intake:case:<id>   hash  state (reserved|registered|erased), fingerprint, sequence,
//                                  summary (CaseSummary, clear), sealed (EncryptedSection of the Case),
//                                  pending (the CaseEvent not yet stored in Kafka), tokens, created
//   <hub>:intake:key:<id>    the case's data key, wrapped under the master key (deleting it is
//                            crypto-shredding)
//   <hub>:intake:blind:<t>   set of case ids sharing a blind-index token
//   <hub>:intake:cases       sorted set of case ids in registration order (listing; the score is
//                            <hub>:intake:cases:counter at registration, so pages never skip ties)
//   <hub>:intake:ops:<id>    hash idempotency key -> sequence, for changes to a case
//   <hub>:intake:staged      sorted set of case ids with a staged event, scored by when it was staged
//                            (so events whose publisher died are found and published)
// A change is staged with its event in one atomic step and confirmed once Kafka stored the event;
// a staged event that was never confirmed is published again before anything else happens to the
// case, so events leave in sequence order and a retry after a crash completes the work.
class CaseStore {
 public:
  CaseStore(redis::RedisPool& redis, const config::Hub& hub);

  // The new case's state, prepared before the reservation so that the usual registration (no
  // possible duplicate) is reserved and staged in one step.
  struct Prepared {
    std::string summary;
    std::string sealed;
    std::string event;
  };
  struct Reservation {
    // staged: reserved and staged with the prepared state; created: reserved, but the prepared
    // state must be rebuilt (with the matches, or under the stored key) and staged.
    enum class Outcome { staged, created, existing, conflict } outcome = Outcome::created;
    std::string state;          // for existing: reserved | registered | erased
    std::string wrapped_key;    // the stored wrapped key (ours if created)
    std::string pending_event;  // existing and reserved: the staged event, if staged
    std::string summary;        // existing: serialized CaseSummary
    std::vector<std::pair<std::size_t, std::string>> matches;  // (token index, other case id)
  };
  // Reserves the case id for this registration, or finds the registration made with the same
  // idempotency key; links the blind-index tokens and returns the cases they match.
  Reservation reserve(const std::string& case_id, const std::string& fingerprint, const std::string& wrapped_key,
                      std::int64_t created_ms, const std::vector<std::string>& tokens, const Prepared& prepared);

  // Stages a new state of the case with the event announcing it. For a change (expected_sequence
  // > 0) the stored sequence must match and no event may be pending. `op_key` (may be empty)
  // remembers which idempotency key produced this sequence.
  enum class StageOutcome { staged, sequence_moved, pending_first, missing, erased };
  StageOutcome stage(const std::string& case_id, std::uint64_t expected_sequence, std::uint64_t sequence,
                     const std::string& summary, const std::string& sealed, const std::string& event,
                     const std::string& op_key);
  // Marks staged events as stored in Kafka, in one round trip.
  struct Confirmation {
    std::string case_id;
    std::uint64_t sequence = 0;
    bool erased = false;
  };
  void confirm(const std::vector<Confirmation>& confirmations);

  struct Stored {
    std::string state;
    std::uint64_t sequence = 0;
    std::string summary;
    std::string sealed;
    std::string pending_event;
    std::string wrapped_key;
  };
  std::optional<Stored> load(const std::string& case_id);
  // The sequence an earlier change with this idempotency key produced, if any.
  std::optional<std::uint64_t> operation_sequence(const std::string& case_id, const std::string& op_key);

  // Crypto-shreds the case: deletes its data key, its blind-index entries and its sealed data, and
  // stages the erasure event. The summary keeps only what the tombstone needs. sequence_moved unless
  // the case is still at `sequence - 1` (what the erasure was decided on).
  StageOutcome erase(const std::string& case_id, std::uint64_t sequence, const std::string& summary,
                     const std::string& event, const std::string& op_key);

  // Case ids in registration order after `after_score` (exclusive), at most `limit`.
  std::vector<std::pair<std::string, std::int64_t>> list_ids(std::int64_t after_score, std::size_t limit);
  std::vector<std::optional<std::string>> summaries(const std::vector<std::string>& case_ids);

  // Adds the cases registered before the changed index existed (scored by their summary's last
  // change), once per hub: a marker key remembers that the index is complete. Returns how many.
  std::size_t index_older_changes(std::size_t batch);
  // Cases not erased whose last change was before `before`, least recently changed first: the
  // `limit` after the first `skip`.
  std::vector<std::string> changed_before(std::chrono::system_clock::time_point before, std::size_t skip,
                                          std::size_t limit);
  // Cases whose staged event has waited since before `before`, oldest first, at most `limit`.
  std::vector<std::string> staged_before(std::chrono::system_clock::time_point before, std::size_t limit);
  // Drops a case from the staged index if it has no staged event (an older index entry).
  void forget_if_settled(const std::string& case_id);

 private:
  std::string case_key(const std::string& id) const { return hub_.redis_key({"intake", "case", id}); }
  std::string data_key_key(const std::string& id) const { return hub_.redis_key({"intake", "key", id}); }
  std::string ops_key(const std::string& id) const { return hub_.redis_key({"intake", "ops", id}); }
  std::string blind_prefix() const { return hub_.redis_key({"intake", "blind", ""}); }
  std::string list_key() const { return hub_.redis_key({"intake", "cases"}); }
  std::string staged_key() const { return hub_.redis_key({"intake", "staged"}); }
  std::string changed_key() const { return hub_.redis_key({"intake", "changed"}); }

  redis::RedisPool& redis_;
  const config::Hub& hub_;
};

}  // namespace pact::intake
