#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include <grpcpp/support/status.h>

#include "blind_index.h"
#include "case_journal.h"
#include "case_store.h"
#include "guidance_source.h"
#include "crypto/key_wrap.h"
#include "ids/ids.h"
#include "pact/intake/v1/intake.pb.h"
#include "rpc/caller.h"

namespace pact::intake {

// Registers an encounter exactly once: validates it, derives the case id from (hub, the caller's
// organisation, idempotency key), reserves it in Redis, seals the personal data under a new case
// key, links possible duplicates through blind indexes, and answers only once the CaseRegistered
// event is stored in Kafka. The same key with the same content replays the registration; with
// different content it is refused with the original case id.
class Registrar {
 public:
  Registrar(const config::Hub& hub, CaseStore& store, CaseJournal& journal, const crypto::KeyWrapper& key_wrapper,
            const ids::IdMinter& ids, const BlindIndexer& blind_index, const crypto::KeyedHasher& fingerprints,
            GuidanceSource& guidance);

  // `done` runs exactly once with the outcome, possibly later on another thread (once Kafka stored
  // the event); `response` must stay alive until then.
  using Done = std::function<void(const grpc::Status&)>;
  void register_encounter(const rpc::Caller& caller, const v1::RegisterEncounterRequest& request,
                          const std::string& trace_id, v1::RegisterEncounterResponse& response, Done done);

 private:
  std::string fingerprint_of(const v1::RegisterEncounterRequest& request) const;
  v1::Case new_case(const std::string& case_id, const v1::RegisterEncounterRequest& request,
                    const google::protobuf::Timestamp& now, std::vector<v1::PossibleDuplicate> duplicates) const;
  // The sealed case, its summary and the CaseRegistered event, ready to stage.
  CaseStore::Prepared prepare(const v1::Case& case_record, const crypto::SecretKey& data_key,
                              const rpc::Caller& caller) const;
  void replay(const std::string& case_id, const CaseStore::Reservation& reservation, const std::string& trace_id,
              std::optional<screening::v1::ScreeningResult> guidance, v1::RegisterEncounterResponse& response,
              Done done);

  const config::Hub& hub_;
  CaseStore& store_;
  CaseJournal& journal_;
  const crypto::KeyWrapper& key_wrapper_;
  const ids::IdMinter& ids_;
  const BlindIndexer& blind_index_;
  const crypto::KeyedHasher& fingerprints_;
  GuidanceSource& guidance_;
};

}  // namespace pact::intake
