#include "case_assessment.h"

#include <google/protobuf/util/time_util.h>

#include "catalogue.h"
#include "ids/ids.h"

namespace pact::screening {
namespace {

bool same_coarse_assessment(const StoredAssessment& previous, const v1::ScreeningResult& result) {
  if (previous.level != result.level() || previous.flags != flags_from_proto(result.flags())) return false;
  if (previous.recommendations.size() != static_cast<std::size_t>(result.recommendations_size())) return false;
  for (int i = 0; i < result.recommendations_size(); ++i) {
    if (previous.recommendations[static_cast<std::size_t>(i)] != result.recommendations(i).type()) return false;
  }
  return true;
}

}  // namespace

const events::v1::CaseSnapshot* snapshot_of(const events::v1::CaseEvent& event) {
  switch (event.event_case()) {
    case events::v1::CaseEvent::kCaseRegistered: return &event.case_registered().snapshot();
    case events::v1::CaseEvent::kCaseAmended: return &event.case_amended().snapshot();
    case events::v1::CaseEvent::kConsentChanged: return &event.consent_changed().snapshot();
    default: return nullptr;
  }
}

events::v1::ScreeningEvent assessment_event(const config::Hub& hub, const events::v1::CaseEvent& input,
                                            const v1::ScreeningResult* result,
                                            const common::v1::EncryptedSection* sealed_result,
                                            const std::optional<StoredAssessment>& previous) {
  events::v1::ScreeningEvent event;
  event.set_event_id(ids::derive_event_id(input.event_id(), "screening", 0));
  event.set_case_id(input.case_id());
  event.set_sequence(input.sequence());
  event.set_hub(hub.prefix());
  *event.mutable_occurred_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
  event.set_exercise(input.exercise());
  events::v1::AssessmentCompleted& completed = *event.mutable_assessment_completed();
  completed.set_upstream_event_id(input.event_id());
  switch (input.event_case()) {
    case events::v1::CaseEvent::kCaseRegistered: completed.set_change(events::v1::CASE_CHANGE_REGISTERED); break;
    case events::v1::CaseEvent::kCaseAmended:
      completed.set_change(events::v1::CASE_CHANGE_AMENDED);
      *completed.mutable_changed_parts() = input.case_amended().changed_parts();
      break;
    case events::v1::CaseEvent::kConsentChanged:
      completed.set_change(events::v1::CASE_CHANGE_CONSENT_CHANGED);
      completed.set_consent_change(input.consent_changed().change());
      *completed.mutable_consent_scopes_changed() = input.consent_changed().scopes();
      break;
    case events::v1::CaseEvent::kCaseErased:
      completed.set_change(events::v1::CASE_CHANGE_ERASED);
      *completed.mutable_erasure() = input.case_erased();
      break;
    default: break;
  }
  if (const events::v1::CaseSnapshot* snapshot = snapshot_of(input)) *completed.mutable_snapshot() = *snapshot;
  if (previous) completed.set_previous_level(previous->level);
  if (result == nullptr) return event;

  events::v1::AssessmentSummary& summary = *completed.mutable_assessment();
  // No result id in clear: it is an unkeyed hash of the request, and everything else it hashes is in
  // the clear snapshot, so the observed ids could be guessed back from it. It is in the sealed result.
  summary.set_level(result->level());
  for (const auto& recommendation : result->recommendations()) summary.add_recommendations(recommendation.type());
  *summary.mutable_flags() = result->flags();
  *summary.mutable_catalogues() = result->catalogues();
  summary.set_child_rule_applied(result->child_rule_applied());
  summary.set_unknown_indicator_count(static_cast<std::uint32_t>(result->unknown_indicator_ids_size()));
  if (sealed_result != nullptr) *completed.add_sealed() = *sealed_result;
  completed.set_assessment_changed(!previous || !same_coarse_assessment(*previous, *result));
  return event;
}

StoredAssessment stored_assessment(std::uint64_t sequence, common::v1::Jurisdiction jurisdiction,
                                   const v1::ScreeningResult& result, common::v1::EncryptedSection sealed_request) {
  StoredAssessment stored;
  stored.sequence = sequence;
  stored.jurisdiction = jurisdiction;
  stored.level = result.level();
  for (const auto& recommendation : result.recommendations()) stored.recommendations.push_back(recommendation.type());
  stored.flags = flags_from_proto(result.flags());
  stored.sealed_request = std::move(sealed_request);
  return stored;
}

}  // namespace pact::screening
