#include "case_editor.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>

#include "case_scope.h"
#include "case_events.h"
#include "case_summary.h"
#include "crypto/sealed_message.h"
#include "encounter_validator.h"
#include "rpc/status.h"
#include "screening_request.h"

namespace pact::intake {
namespace {

// Newly observed ids screening does not know, by position (ids are personal data, never echoed).
std::vector<rpc::FieldViolation> unknown_added_ids(const v1::CaseAmendment& amendment,
                                                   const screening::v1::ScreeningResult& guidance) {
  std::vector<rpc::FieldViolation> violations;
  for (int i = 0; i < amendment.added_observed_indicator_ids_size(); ++i) {
    const auto& unknown = guidance.unknown_indicator_ids();
    if (std::find(unknown.begin(), unknown.end(), amendment.added_observed_indicator_ids(i)) == unknown.end()) continue;
    violations.push_back({"amendment.added_observed_indicator_ids[" + std::to_string(i) + "]",
                          "is not in any screening catalogue that applies in this jurisdiction"});
  }
  return violations;
}


using google::protobuf::util::TimeUtil;

grpc::Status not_found(const std::string& case_id) {
  return grpc::Status(grpc::StatusCode::NOT_FOUND, "no case " + case_id);
}

bool remove_all(google::protobuf::RepeatedPtrField<std::string>& items, const std::string& value) {
  auto end = std::remove(items.begin(), items.end(), value);
  bool removed = end != items.end();
  items.erase(end, items.end());
  return removed;
}

// Applies an amendment to the case and says which parts changed.
std::vector<v1::CasePart> amend_case(v1::Case& case_record, const v1::CaseAmendment& amendment,
                                     const rpc::Caller& caller, const google::protobuf::Timestamp& now) {
  std::vector<v1::CasePart> changed;
  v1::Encounter& encounter = *case_record.mutable_encounter();
  if (amendment.has_person()) {
    *encounter.mutable_person() = amendment.person();
    changed.push_back(v1::CASE_PART_PERSON);
  }
  bool observations = false;
  for (const auto& id : amendment.added_observed_indicator_ids()) {
    if (std::find(encounter.observed_indicator_ids().begin(), encounter.observed_indicator_ids().end(), id) ==
        encounter.observed_indicator_ids().end()) {
      encounter.add_observed_indicator_ids(id);
      observations = true;
    }
  }
  for (const auto& id : amendment.retracted_observed_indicator_ids()) {
    observations = remove_all(*encounter.mutable_observed_indicator_ids(), id) || observations;
  }
  if (observations) changed.push_back(v1::CASE_PART_OBSERVATIONS);
  if (amendment.added_needs_size() > 0 || amendment.resolved_needs_size() > 0) {
    auto& needs = *encounter.mutable_needs();
    for (int resolved : amendment.resolved_needs()) {
      needs.erase(std::remove_if(needs.begin(), needs.end(), [&](const v1::Need& need) { return need.type() == resolved; }),
                  needs.end());
    }
    for (const auto& need : amendment.added_needs()) *encounter.add_needs() = need;
    changed.push_back(v1::CASE_PART_NEEDS);
  }
  if (amendment.has_context()) {
    *encounter.mutable_context() = amendment.context();
    changed.push_back(v1::CASE_PART_CONTEXT);
  }
  if (amendment.has_next_destination()) {
    *encounter.mutable_next_destination() = amendment.next_destination();
    changed.push_back(v1::CASE_PART_NEXT_DESTINATION);
  }
  if (amendment.has_reported_flags()) {
    *encounter.mutable_reported_flags() = amendment.reported_flags();
    changed.push_back(v1::CASE_PART_FLAGS);
  }
  if (!amendment.note().empty()) {
    v1::CaseNote& note = *case_record.add_notes();
    note.set_text(amendment.note());
    note.set_author_subject(caller.subject);
    *note.mutable_written_at() = now;
    changed.push_back(v1::CASE_PART_NOTES);
  }
  if (amendment.status() != v1::CASE_STATUS_UNSPECIFIED && amendment.status() != v1::CASE_STATUS_ERASED &&
      amendment.status() != case_record.summary().status()) {
    case_record.mutable_summary()->set_status(amendment.status());
    changed.push_back(v1::CASE_PART_STATUS);
  }
  return changed;
}

// Consent answers tell the caller what the person has agreed to now, after the change.
template <class ConsentResponse>
void answer_consent(ConsentResponse& response, const std::string& case_id, std::uint64_t sequence,
                    const v1::CaseSummary& summary) {
  response.set_case_id(case_id);
  response.set_sequence(sequence);
  for (int scope : summary.consent_scopes()) response.add_effective_scopes(static_cast<common::v1::ConsentScope>(scope));
}

}  // namespace

CaseEditor::CaseEditor(const config::Hub& hub, CaseStore& store, CaseJournal& journal,
                       const crypto::KeyWrapper& key_wrapper, GuidanceSource& guidance,
                       redis::AppendOnlyRewriter& rewriter)
    : hub_(hub),
      store_(store),
      journal_(journal),
      key_wrapper_(key_wrapper),
      guidance_(guidance),
      rewriter_(rewriter) {}

grpc::Status CaseEditor::load_settled(const std::string& case_id, const std::string& trace_id,
                                      CaseStore::Stored& stored) {
  auto loaded = store_.load(case_id);
  if (!loaded || loaded->state == "reserved") {
    if (loaded && !loaded->pending_event.empty()) {
      if (auto published = journal_.settle(case_id, loaded->pending_event, trace_id); !published.ok()) return published;
      return load_settled(case_id, trace_id, stored);
    }
    return not_found(case_id);
  }
  if (!loaded->pending_event.empty()) {
    if (auto published = journal_.settle(case_id, loaded->pending_event, trace_id); !published.ok()) return published;
    loaded = store_.load(case_id);
    if (!loaded) return not_found(case_id);
  }
  stored = std::move(*loaded);
  return grpc::Status::OK;
}

grpc::Status CaseEditor::apply(const rpc::Caller& caller, const std::string& case_id, const std::string& op_key,
                               std::uint64_t expected_sequence,
                               const std::string& trace_id, const Change& change, std::uint64_t& sequence,
                               v1::Case& result, bool& replayed) {
  replayed = false;
  CaseStore::Stored stored;
  if (auto settled = load_settled(case_id, trace_id, stored); !settled.ok()) return settled;
  if (v1::CaseSummary summary; !summary.ParseFromString(stored.summary) || !works_on(caller, summary)) return outside_scope();
  if (stored.state == "erased") return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "the case was erased");
  if (!op_key.empty()) {
    if (auto earlier = store_.operation_sequence(case_id, op_key)) {
      sequence = *earlier;
      replayed = true;
      result.mutable_summary()->ParseFromString(stored.summary);  // the case as it stands now
      return grpc::Status::OK;
    }
  }
  if (expected_sequence != 0 && expected_sequence != stored.sequence) {
    return grpc::Status(grpc::StatusCode::ABORTED, "the case changed since sequence " +
                                                       std::to_string(expected_sequence) + "; it is at " +
                                                       std::to_string(stored.sequence));
  }
  auto data_key = key_wrapper_.unwrap(stored.wrapped_key, case_id);
  common::v1::EncryptedSection sealed;
  if (!data_key || !sealed.ParseFromString(stored.sealed) ||
      !crypto::open_message(*data_key, case_id, sealed, result)) {
    return grpc::Status(grpc::StatusCode::DATA_LOSS, "the case data cannot be opened");
  }
  const auto now = TimeUtil::GetCurrentTime();
  sequence = stored.sequence + 1;
  events::v1::CaseEvent event = new_case_event(hub_, case_id, sequence, result.encounter().exercise());
  if (auto refused = change(result, event); !refused.ok()) return refused;
  result.mutable_summary()->set_sequence(sequence);
  *result.mutable_summary()->mutable_updated_at() = now;
  *result.mutable_summary() = summarise(result);
  common::v1::EncryptedSection resealed = crypto::seal_message(*data_key, case_id, result);
  events::v1::CaseSnapshot* snapshot = nullptr;
  if (event.has_case_amended()) snapshot = event.mutable_case_amended()->mutable_snapshot();
  if (event.has_consent_changed()) snapshot = event.mutable_consent_changed()->mutable_snapshot();
  if (snapshot != nullptr) {
    *snapshot->mutable_summary() = result.summary();
    *snapshot->add_sealed() = resealed;
  }
  const std::string event_bytes = event.SerializeAsString();
  auto outcome = store_.stage(case_id, stored.sequence, sequence, result.summary().SerializeAsString(),
                              resealed.SerializeAsString(), event_bytes, op_key);
  if (outcome != CaseStore::StageOutcome::staged) {
    return grpc::Status(grpc::StatusCode::ABORTED, "the case changed while this change was prepared; retry");
  }
  return journal_.publish(case_id, event_bytes, trace_id);
}

grpc::Status CaseEditor::amend(const rpc::Caller& caller, const v1::AmendCaseRequest& request,
                               const std::string& trace_id, v1::AmendCaseResponse& response) {
  auto violations = validate_amendment(request, std::chrono::system_clock::now());
  if (!violations.empty()) return rpc::invalid_argument("the amendment is not valid", violations);
  std::uint64_t sequence = 0;
  bool replayed = false;
  v1::Case result;
  std::vector<v1::CasePart> changed;
  std::optional<screening::v1::ScreeningResult> guidance;
  grpc::Status status = apply(
      caller, request.case_id(), "amend:" + request.idempotency_key(), request.expected_sequence(), trace_id,
      [&](v1::Case& case_record, events::v1::CaseEvent& event) {
        changed = amend_case(case_record, request.amendment(), caller, TimeUtil::GetCurrentTime());
        if (changed.empty()) return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "the amendment changes nothing");
        // Guidance on the case as amended; newly observed ids screening does not know are refused,
        // as at registration (ids recorded while screening was down stay until rectified).
        guidance = guidance_.screen(caller, contracts::screening_request_for(case_record, request.language()));
        if (guidance) {
          auto unknown = unknown_added_ids(request.amendment(), *guidance);
          if (!unknown.empty()) {
            return rpc::invalid_argument("some observed indicators are not in the screening catalogues", unknown);
          }
        }
        events::v1::CaseAmended& amended = *event.mutable_case_amended();
        for (auto part : changed) amended.add_changed_parts(part);
        amended.set_amended_by_subject(caller.subject);
        return grpc::Status::OK;
      },
      sequence, result, replayed);
  if (!status.ok()) return status;
  response.set_case_id(request.case_id());
  response.set_sequence(sequence);
  for (auto part : changed) response.add_changed_parts(part);
  response.mutable_guidance()->set_status(guidance ? v1::GUIDANCE_STATUS_READY : v1::GUIDANCE_STATUS_PENDING);
  if (guidance) *response.mutable_guidance()->mutable_result() = std::move(*guidance);
  return grpc::Status::OK;
}

grpc::Status CaseEditor::record_consent(const rpc::Caller& caller, const v1::RecordConsentRequest& request,
                                        const std::string& trace_id, v1::RecordConsentResponse& response) {
  auto violations = validate_consent(request, std::chrono::system_clock::now());
  if (!violations.empty()) return rpc::invalid_argument("the consent is not valid", violations);
  std::uint64_t sequence = 0;
  bool replayed = false;
  v1::Case result;
  std::string consent_id;
  grpc::Status status = apply(
      caller, request.case_id(), "consent:" + request.idempotency_key(), 0, trace_id,
      [&](v1::Case& case_record, events::v1::CaseEvent& event) {
        common::v1::Consent& consent = *case_record.add_consents();
        consent = request.consent();
        consent_id = request.case_id() + "/consent/" + std::to_string(case_record.consents_size());
        consent.set_consent_id(consent_id);
        if (!consent.has_recorded_by()) {
          consent.mutable_recorded_by()->set_subject(caller.subject);
          consent.mutable_recorded_by()->set_organization_id(caller.organisation);
        }
        events::v1::ConsentChanged& changed = *event.mutable_consent_changed();
        changed.set_change(events::v1::CONSENT_CHANGE_GRANTED);
        *changed.mutable_scopes() = consent.scopes();
        changed.set_giver(consent.given_by());
        changed.set_consent_id(consent_id);
        changed.set_recorded_by_subject(caller.subject);
        return grpc::Status::OK;
      },
      sequence, result, replayed);
  if (!status.ok()) return status;
  answer_consent(response, request.case_id(), sequence, result.summary());
  response.set_consent_id(consent_id);
  return grpc::Status::OK;
}

grpc::Status CaseEditor::withdraw_consent(const rpc::Caller& caller, const v1::WithdrawConsentRequest& request,
                                          const std::string& trace_id, v1::WithdrawConsentResponse& response) {
  auto violations = validate_withdrawal(request);
  if (!violations.empty()) return rpc::invalid_argument("the withdrawal is not valid", violations);
  std::uint64_t sequence = 0;
  bool replayed = false;
  v1::Case result;
  grpc::Status status = apply(
      caller, request.case_id(), "withdraw:" + request.idempotency_key(), 0, trace_id,
      [&](v1::Case& case_record, events::v1::CaseEvent& event) {
        const auto now = TimeUtil::GetCurrentTime();
        for (auto& consent : *case_record.mutable_consents()) {
          if (consent.withdrawn()) continue;
          auto& scopes = *consent.mutable_scopes();
          for (int withdrawn : request.scopes()) {
            scopes.erase(std::remove(scopes.begin(), scopes.end(), withdrawn), scopes.end());
          }
          if (scopes.empty()) {
            consent.set_withdrawn(true);
            *consent.mutable_withdrawn_at() = now;
            consent.mutable_withdrawn_recorded_by()->set_subject(caller.subject);
            consent.mutable_withdrawn_recorded_by()->set_organization_id(caller.organisation);
          }
        }
        if (!request.note().empty()) {
          v1::CaseNote& note = *case_record.add_notes();
          note.set_text(request.note());
          note.set_author_subject(caller.subject);
          *note.mutable_written_at() = now;
        }
        events::v1::ConsentChanged& changed = *event.mutable_consent_changed();
        changed.set_change(events::v1::CONSENT_CHANGE_WITHDRAWN);
        *changed.mutable_scopes() = request.scopes();
        changed.set_giver(request.withdrawn_by());
        changed.set_recorded_by_subject(caller.subject);
        return grpc::Status::OK;
      },
      sequence, result, replayed);
  if (!status.ok()) return status;
  answer_consent(response, request.case_id(), sequence, result.summary());
  return grpc::Status::OK;
}

CaseEditor::Shredding CaseEditor::shred(const CaseStore::Stored& stored, const v1::CaseSummary& summary,
                                        common::v1::ErasureReason reason, const std::string& erased_by,
                                        const std::string& op_key, const std::string& trace_id) {
  Shredding shredding;
  const auto now = TimeUtil::GetCurrentTime();
  const std::uint64_t sequence = stored.sequence + 1;
  // The tombstone keeps only what proves the case existed and was erased.
  v1::CaseSummary& tombstone = shredding.tombstone;
  tombstone.set_case_id(summary.case_id());
  *tombstone.mutable_reference_code() = summary.reference_code();
  tombstone.set_hub(summary.hub());
  tombstone.set_sequence(sequence);
  tombstone.set_status(v1::CASE_STATUS_ERASED);
  tombstone.set_jurisdiction(summary.jurisdiction());
  *tombstone.mutable_created_at() = summary.created_at();
  *tombstone.mutable_updated_at() = now;
  tombstone.set_exercise(summary.exercise());
  events::v1::CaseEvent event = new_case_event(hub_, summary.case_id(), sequence, summary.exercise());
  events::v1::CaseErased& erased = *event.mutable_case_erased();
  erased.set_reason(reason);
  erased.set_erased_by_subject(erased_by);
  *erased.mutable_erased_at() = now;
  const std::string event_bytes = event.SerializeAsString();
  // Refused when the case moved past the sequence it was decided on.
  const auto outcome = store_.erase(summary.case_id(), sequence, tombstone.SerializeAsString(), event_bytes, op_key);
  if (outcome == CaseStore::StageOutcome::erased) {
    shredding.already_erased = true;
    return shredding;
  }
  if (outcome != CaseStore::StageOutcome::staged) {
    shredding.status = grpc::Status(grpc::StatusCode::ABORTED, "the case changed while the erasure was prepared; retry");
    return shredding;
  }
  shredding.staged = true;
  rewriter_.request();  // the key is deleted already, whatever happens to the event
  // Not stored in Kafka yet: the event stays staged and the journal publishes it (a retry, or its
  // settler within seconds); the erasure itself is done.
  shredding.status = journal_.publish(summary.case_id(), event_bytes, trace_id);
  return shredding;
}

grpc::Status CaseEditor::erase(const rpc::Caller& caller, const v1::EraseCaseRequest& request,
                               const std::string& trace_id, v1::EraseCaseResponse& response) {
  if (request.case_id().empty()) return rpc::invalid_argument("no case", {{"case_id", "is required"}});
  if (!common::v1::ErasureReason_IsValid(request.reason()) || request.reason() == 0) {
    return rpc::invalid_argument("the erasure is not valid", {{"reason", "must say why the case is erased"}});
  }
  CaseStore::Stored stored;
  if (auto settled = load_settled(request.case_id(), trace_id, stored); !settled.ok()) return settled;
  v1::CaseSummary summary;
  summary.ParseFromString(stored.summary);
  if (!works_on(caller, summary)) return outside_scope();
  if (stored.state != "erased") {
    Shredding shredding =
        shred(stored, summary, request.reason(), caller.subject, "erase:" + request.idempotency_key(), trace_id);
    if (!shredding.status.ok()) return shredding.status;
    if (!shredding.already_erased) summary = shredding.tombstone;
  }
  response.set_case_id(request.case_id());
  response.set_sequence(summary.sequence());
  *response.mutable_erased_at() = summary.updated_at();
  return grpc::Status::OK;
}

CaseEditor::Expiry CaseEditor::erase_expired(const rpc::Caller& service, const std::string& case_id,
                                             const std::function<bool(const v1::CaseSummary&)>& still_due,
                                             const std::string& trace_id) {
  CaseStore::Stored stored;
  if (!load_settled(case_id, trace_id, stored).ok()) return Expiry::failed;
  if (stored.state == "erased") return Expiry::already_erased;
  v1::CaseSummary summary;
  // Decided again on the case as it is now: it may have been reopened since the sweep looked.
  if (!summary.ParseFromString(stored.summary) || !still_due(summary)) return Expiry::no_longer_due;
  Shredding shredding =
      shred(stored, summary, common::v1::ERASURE_REASON_RETENTION_EXPIRED, service.subject, "erase:retention", trace_id);
  if (shredding.already_erased) return Expiry::already_erased;
  if (!shredding.staged) return Expiry::failed;
  return shredding.status.ok() ? Expiry::erased : Expiry::erased_event_pending;
}

}  // namespace pact::intake
