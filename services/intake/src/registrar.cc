#include "registrar.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/time_util.h>

#include <map>

#include "case_events.h"
#include "case_scope.h"
#include "case_summary.h"
#include "crypto/keyed_hash.h"
#include "crypto/sealed_message.h"
#include "encounter_validator.h"
#include "rpc/status.h"
#include "screening_request.h"

namespace pact::intake {
namespace {

// One violation per unknown id, by position: the ids themselves are personal data (never echoed).
std::vector<rpc::FieldViolation> unknown_indicator_violations(const v1::Encounter& encounter,
                                                              const screening::v1::ScreeningResult& guidance) {
  std::vector<rpc::FieldViolation> violations;
  for (int i = 0; i < encounter.observed_indicator_ids_size(); ++i) {
    const std::string& id = encounter.observed_indicator_ids(i);
    for (const std::string& unknown : guidance.unknown_indicator_ids()) {
      if (unknown != id) continue;
      violations.push_back({"encounter.observed_indicator_ids[" + std::to_string(i) + "]",
                            "is not in any screening catalogue that applies in this jurisdiction "
                            "(ListCatalogues/GetCatalogue name the valid ids)"});
      break;
    }
  }
  return violations;
}

void set_guidance(std::optional<screening::v1::ScreeningResult> guidance, v1::RegisterEncounterResponse& response) {
  if (!guidance) {
    response.mutable_guidance()->set_status(v1::GUIDANCE_STATUS_PENDING);
    return;
  }
  response.mutable_guidance()->set_status(v1::GUIDANCE_STATUS_READY);
  *response.mutable_guidance()->mutable_result() = std::move(*guidance);
}


using google::protobuf::util::TimeUtil;

// Several tokens can point at the same other case; it is one possible duplicate with the
// strongest evidence any of them gave, never merged, only linked.
std::vector<v1::PossibleDuplicate> possible_duplicates(const std::vector<BlindIndexEntry>& entries,
                                                       const std::vector<std::pair<std::size_t, std::string>>& matches,
                                                       const google::protobuf::Timestamp& now) {
  std::map<std::string, v1::PossibleDuplicate> by_case;
  for (const auto& [token_index, other_case] : matches) {
    if (token_index >= entries.size()) continue;
    const BlindIndexEntry& entry = entries[token_index];
    v1::PossibleDuplicate& duplicate = by_case[other_case];
    duplicate.set_case_id(other_case);
    *duplicate.mutable_detected_at() = now;
    if (entry.strength > duplicate.evidence_strength()) duplicate.set_evidence_strength(entry.strength);
    if (std::find(duplicate.basis().begin(), duplicate.basis().end(), entry.basis) == duplicate.basis().end()) {
      duplicate.add_basis(entry.basis);
    }
  }
  std::vector<v1::PossibleDuplicate> out;
  for (auto& [id, duplicate] : by_case) out.push_back(std::move(duplicate));
  return out;
}

}  // namespace

Registrar::Registrar(const config::Hub& hub, CaseStore& store, CaseJournal& journal,
                     const crypto::KeyWrapper& key_wrapper, const ids::IdMinter& ids, const BlindIndexer& blind_index,
                     const crypto::KeyedHasher& fingerprints, GuidanceSource& guidance)
    : hub_(hub),
      store_(store),
      journal_(journal),
      key_wrapper_(key_wrapper),
      ids_(ids),
      blind_index_(blind_index),
      fingerprints_(fingerprints),
      guidance_(guidance) {}

std::string Registrar::fingerprint_of(const v1::RegisterEncounterRequest& request) const {
  // Keyed, because the content is personal data and Redis must not hold a guessable hash of it.
  v1::RegisterEncounterRequest comparable = request;
  comparable.clear_language();  // the guidance language is not part of what was registered
  std::string content;
  google::protobuf::io::StringOutputStream stream(&content);
  {
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    comparable.SerializeToCodedStream(&coded);
  }
  return crypto::to_hex(fingerprints_.digest({"pact.intake.registration", content}));
}

v1::Case Registrar::new_case(const std::string& case_id, const v1::RegisterEncounterRequest& request,
                             const google::protobuf::Timestamp& now,
                             std::vector<v1::PossibleDuplicate> duplicates) const {
  const v1::Encounter& encounter = request.encounter();
  v1::Case case_record;
  v1::CaseSummary& identity = *case_record.mutable_summary();
  identity.set_case_id(case_id);
  identity.mutable_reference_code()->set_code(reference_code_for(case_id, encounter.reporter().jurisdiction()));
  identity.set_hub(hub_.prefix());
  identity.set_sequence(1);
  identity.set_status(v1::CASE_STATUS_OPEN);
  *identity.mutable_created_at() = now;
  *identity.mutable_updated_at() = now;
  *case_record.mutable_encounter() = encounter;
  if (encounter.consent().scopes_size() > 0 || encounter.consent().declined_scopes_size() > 0) {
    common::v1::Consent& consent = *case_record.add_consents();
    consent = encounter.consent();
    consent.set_consent_id(case_id + "/consent/1");
  }
  for (auto& duplicate : duplicates) *case_record.add_possible_duplicates() = std::move(duplicate);
  if (request.has_handoff_origin()) *case_record.mutable_handoff_origin() = request.handoff_origin();
  *case_record.mutable_summary() = summarise(case_record);
  return case_record;
}

CaseStore::Prepared Registrar::prepare(const v1::Case& case_record, const crypto::SecretKey& data_key,
                                       const rpc::Caller& caller) const {
  const std::string& case_id = case_record.summary().case_id();
  events::v1::CaseEvent event = new_case_event(hub_, case_id, 1, case_record.encounter().exercise());
  events::v1::CaseRegistered& registered = *event.mutable_case_registered();
  *registered.mutable_snapshot()->mutable_summary() = case_record.summary();
  common::v1::EncryptedSection sealed = crypto::seal_message(data_key, case_id, case_record);
  *registered.mutable_snapshot()->add_sealed() = sealed;
  *registered.mutable_possible_duplicates() = case_record.possible_duplicates();
  if (case_record.has_handoff_origin()) *registered.mutable_handoff_origin() = case_record.handoff_origin();
  registered.set_registered_by_subject(caller.subject);
  registered.set_registered_by_organization_id(caller.organisation);
  return {case_record.summary().SerializeAsString(), sealed.SerializeAsString(), event.SerializeAsString()};
}

void Registrar::register_encounter(const rpc::Caller& caller, const v1::RegisterEncounterRequest& request,
                                   const std::string& trace_id, v1::RegisterEncounterResponse& response, Done done) {
  auto violations = validate_registration(request, std::chrono::system_clock::now());
  if (!violations.empty()) return done(rpc::invalid_argument("the encounter is not valid", violations));

  const v1::Encounter& encounter = request.encounter();
  // A person records encounters where they work; a handed-in case comes from routing (a service).
  if (!works_on(caller, encounter.reporter().jurisdiction())) {
    return done(grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                             "the encounter is in a jurisdiction you do not work in"));
  }
  if (!records_as(caller, encounter.reporter().sector())) {
    return done(grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                             "your token names another sector than the encounter's reporter"));
  }
  // Screening checks the observed ids against the catalogues while the worker waits; when it is slow
  // or down, the registration goes ahead and screening reports unknown ids from the case event.
  std::optional<screening::v1::ScreeningResult> guidance = guidance_.screen(
      caller, contracts::screening_request_for(encounter, encounter.reporter().jurisdiction(), request.language()));
  const std::string case_id = ids_.case_id(hub_.prefix(), caller.organisation, request.idempotency_key());
  // A retry of a registration accepted while screening was down replays the case, whatever its ids.
  if (guidance && guidance->unknown_indicator_ids_size() > 0 && !store_.load(case_id)) {
    return done(rpc::invalid_argument("some observed indicators are not in the screening catalogues",
                                      unknown_indicator_violations(encounter, *guidance)));
  }
  const std::vector<BlindIndexEntry> entries =
      blind_index_.entries_for(encounter.reporter().jurisdiction(), encounter.person());
  std::vector<std::string> tokens;
  for (const auto& entry : entries) tokens.push_back(entry.token);
  const auto now = TimeUtil::GetCurrentTime();
  const std::string fingerprint = fingerprint_of(request);

  // Prepared optimistically (no duplicates, a fresh key): the usual registration is then reserved
  // and staged in one Redis step.
  const crypto::SecretKey fresh_key = crypto::SecretKey::generate();
  const std::string wrapped = key_wrapper_.wrap(fresh_key, case_id);
  v1::Case case_record = new_case(case_id, request, now, {});
  CaseStore::Prepared prepared = prepare(case_record, fresh_key, caller);
  CaseStore::Reservation reservation =
      store_.reserve(case_id, fingerprint, wrapped, TimeUtil::TimestampToMilliseconds(now), tokens, prepared);

  switch (reservation.outcome) {
    case CaseStore::Reservation::Outcome::conflict:
    case CaseStore::Reservation::Outcome::existing:
      return replay(case_id, reservation, trace_id, guidance, response, std::move(done));
    case CaseStore::Reservation::Outcome::created: {
      // Possible duplicates were found, or an earlier attempt's key is the one stored: rebuild.
      auto data_key = key_wrapper_.unwrap(reservation.wrapped_key, case_id);
      if (!data_key) return done(grpc::Status(grpc::StatusCode::DATA_LOSS, "the case key cannot be unwrapped"));
      case_record = new_case(case_id, request, now, possible_duplicates(entries, reservation.matches, now));
      prepared = prepare(case_record, *data_key, caller);
      if (store_.stage(case_id, 0, 1, prepared.summary, prepared.sealed, prepared.event, "") !=
          CaseStore::StageOutcome::staged) {
        // The same registration is running in parallel (a client retry racing its first attempt).
        CaseStore::Reservation again = store_.reserve(case_id, fingerprint, "", 0, {}, {});
        return replay(case_id, again, trace_id, guidance, response, std::move(done));
      }
      break;
    }
    case CaseStore::Reservation::Outcome::staged:
      break;
  }
  // The answer is written now and sent once Kafka has stored the event (or not at all).
  response.set_case_id(case_id);
  *response.mutable_reference_code() = case_record.summary().reference_code();
  response.set_sequence(1);
  *response.mutable_possible_duplicates() = case_record.possible_duplicates();
  set_guidance(std::move(guidance), response);
  response.set_idempotent_replay(false);
  *response.mutable_registered_at() = now;
  journal_.publish_async(case_id, prepared.event, trace_id, std::move(done));
}

void Registrar::replay(const std::string& case_id, const CaseStore::Reservation& reservation,
                       const std::string& trace_id, std::optional<screening::v1::ScreeningResult> guidance,
                       v1::RegisterEncounterResponse& response, Done done) {
  if (reservation.outcome == CaseStore::Reservation::Outcome::conflict) {
    return done(grpc::Status(grpc::StatusCode::ALREADY_EXISTS,
                             "this idempotency key already registered a different encounter, as case " + case_id));
  }
  if (reservation.state == "erased") {
    return done(grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "the case registered with this key was erased"));
  }
  if (!reservation.pending_event.empty()) {
    // The first attempt staged its event and its confirmation is missing: settle it now (a replay
    // is rare; waiting here keeps it simple).
    if (grpc::Status published = journal_.settle(case_id, reservation.pending_event, trace_id); !published.ok()) {
      return done(published);
    }
  }
  auto stored = store_.load(case_id);
  v1::CaseSummary summary;
  if (!stored || !summary.ParseFromString(stored->summary)) {
    return done(rpc::unavailable("the registration is still being completed; retry shortly", std::chrono::seconds(1)));
  }
  v1::Case case_record;
  common::v1::EncryptedSection sealed;
  auto data_key = key_wrapper_.unwrap(stored->wrapped_key, case_id);
  if (data_key && sealed.ParseFromString(stored->sealed)) crypto::open_message(*data_key, case_id, sealed, case_record);
  response.set_case_id(case_id);
  *response.mutable_reference_code() = summary.reference_code();
  response.set_sequence(1);
  *response.mutable_possible_duplicates() = case_record.possible_duplicates();
  set_guidance(std::move(guidance), response);
  response.set_idempotent_replay(true);
  *response.mutable_registered_at() = summary.created_at();
  done(grpc::Status::OK);
}

}  // namespace pact::intake
