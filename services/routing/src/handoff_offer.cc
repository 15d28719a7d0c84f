#include "handoff_offer.h"

#include <algorithm>

namespace pact::routing {

namespace v1 = ::pact::routing::v1;
namespace common = ::pact::common::v1;
namespace intake = ::pact::intake::v1;

intake::Encounter minimised_encounter(const intake::Case& case_record, const std::vector<common::DataCategory>& categories,
                                      common::Jurisdiction receiving, const std::string& sending_hub) {
  auto allowed = [&](common::DataCategory category) {
    return std::find(categories.begin(), categories.end(), category) != categories.end();
  };
  const intake::Encounter& source = case_record.encounter();
  intake::Encounter out;
  auto& reporter = *out.mutable_reporter();
  reporter.set_sector(source.reporter().sector());
  reporter.set_organization_id(sending_hub);
  reporter.set_jurisdiction(receiving);
  // Where the encounter happened stays true: a site of the sending jurisdiction.
  *reporter.mutable_site() = source.reporter().site();
  const auto& person = source.person();
  auto& minimal = *out.mutable_person();
  *minimal.mutable_age() = person.age();
  minimal.set_gender(person.gender());
  *minimal.mutable_nationality() = person.nationality();
  *minimal.mutable_languages() = person.languages();
  minimal.set_companion_status(person.companion_status());
  if (allowed(common::DATA_CATEGORY_IDENTITY)) {
    minimal.set_given_name(person.given_name());
    minimal.set_family_name(person.family_name());
    *minimal.mutable_other_names() = person.other_names();
    minimal.set_date_of_birth(person.date_of_birth());
    minimal.set_place_of_birth(person.place_of_birth());
  }
  if (allowed(common::DATA_CATEGORY_IDENTIFIERS)) *minimal.mutable_identifiers() = person.identifiers();
  if (allowed(common::DATA_CATEGORY_CONTACT_DETAILS)) *minimal.mutable_contacts() = person.contacts();
  for (const auto& need : source.needs()) {
    auto& copy = *out.add_needs();
    copy.set_type(need.type());
    if (allowed(common::DATA_CATEGORY_NEED_DETAILS)) copy.set_details(need.details());
  }
  if (allowed(common::DATA_CATEGORY_INDICATORS)) *out.mutable_observed_indicator_ids() = source.observed_indicator_ids();
  // The consent travels with the case: the receiving hub must know what the person agreed to.
  if (source.has_consent()) {
    *out.mutable_consent() = source.consent();
    out.mutable_consent()->clear_consent_id();  // the receiving intake numbers its own records
  }
  out.mutable_context()->set_emergency_id(source.context().emergency_id());
  if (allowed(common::DATA_CATEGORY_LOCATION) && source.context().has_exact_location()) {
    *out.mutable_context()->mutable_exact_location() = source.context().exact_location();
  }
  if (source.has_next_destination()) {
    auto& destination = *out.mutable_next_destination();
    destination.set_jurisdiction(source.next_destination().jurisdiction());
    destination.set_country_code(source.next_destination().country_code());
    if (allowed(common::DATA_CATEGORY_TRAVEL_PLANS)) {
      destination.set_details(source.next_destination().details());
      if (source.next_destination().has_expected_departure_at()) {
        *destination.mutable_expected_departure_at() = source.next_destination().expected_departure_at();
      }
    }
  }
  *out.mutable_reported_flags() = source.reported_flags();
  if (allowed(common::DATA_CATEGORY_NOTES)) out.set_notes(source.notes());
  *out.mutable_encountered_at() = source.encountered_at();
  out.set_exercise(source.exercise());
  return out;
}

v1::HandoffOffer build_offer(const v1::Handoff& handoff, const v1::CaseRoutingState& state, const intake::Case& case_record,
                             const std::optional<v1::Decision>& exception) {
  v1::HandoffOffer offer;
  offer.set_handoff_id(handoff.handoff_id());
  offer.set_sending_hub(handoff.sending_hub());
  offer.set_sending_jurisdiction(handoff.sending_jurisdiction());
  offer.set_receiving_jurisdiction(handoff.receiving_jurisdiction());
  offer.set_sending_case_id(handoff.sending_case_id());
  *offer.mutable_sending_reference_code() = state.summary().reference_code();
  offer.set_reason(handoff.reason());
  *offer.mutable_sharing_basis() = handoff.sharing_basis();
  // The consent relied on: the latest one in force that covers cross-border sharing.
  for (const auto& consent : case_record.consents()) {
    const bool cross_border =
        std::count(consent.scopes().begin(), consent.scopes().end(), common::CONSENT_SCOPE_CROSS_BORDER) > 0;
    if (cross_border && !consent.withdrawn()) *offer.mutable_consent() = consent;
  }
  if (!offer.has_consent() && case_record.encounter().has_consent()) *offer.mutable_consent() = case_record.encounter().consent();
  if (exception) *offer.mutable_exception_decision() = *exception;
  *offer.mutable_shared_data() = handoff.shared_data();
  std::vector<common::DataCategory> categories;
  for (int category : handoff.shared_data()) categories.push_back(static_cast<common::DataCategory>(category));
  *offer.mutable_encounter() = minimised_encounter(case_record, categories, handoff.receiving_jurisdiction(), handoff.sending_hub());
  if (offer.has_consent()) {
    // The receiving case records the consent the handoff relies on (it may postdate the encounter).
    *offer.mutable_encounter()->mutable_consent() = offer.consent();
    offer.mutable_encounter()->mutable_consent()->clear_consent_id();
  }
  offer.set_screening_level(state.level());
  *offer.mutable_recommendations() = state.recommendations();
  *offer.mutable_flags() = state.flags();
  for (const auto& decision : state.decisions()) {
    const bool identification = decision.type() == v1::DECISION_TYPE_REASONABLE_GROUNDS ||
                                decision.type() == v1::DECISION_TYPE_FORMAL_IDENTIFICATION;
    if (identification && decision.outcome() == v1::DECISION_OUTCOME_POSITIVE) *offer.add_identification_decisions() = decision;
  }
  for (const auto& referral : state.referrals()) {
    const bool met = referral.status() == v1::REFERRAL_STATUS_COMPLETED;
    if (!met && referral.kind() == v1::REFERRAL_KIND_SOP &&
        std::find(offer.open_needs().begin(), offer.open_needs().end(), referral.attempt_id().need_type()) == offer.open_needs().end()) {
      offer.add_open_needs(referral.attempt_id().need_type());
    }
  }
  *offer.mutable_offered_at() = handoff.offered_at();
  offer.set_exercise(handoff.exercise());
  return offer;
}

pact::events::v1::HandoffInfo handoff_info_of(const v1::Handoff& handoff) {
  pact::events::v1::HandoffInfo info;
  info.set_handoff_id(handoff.handoff_id());
  info.set_direction(handoff.direction());
  info.set_status(handoff.status());
  info.set_sending_hub(handoff.sending_hub());
  info.set_sending_jurisdiction(handoff.sending_jurisdiction());
  info.set_sending_case_id(handoff.sending_case_id());
  info.set_receiving_hub(handoff.receiving_hub());
  info.set_receiving_jurisdiction(handoff.receiving_jurisdiction());
  info.set_receiving_case_id(handoff.receiving_case_id());
  info.set_reason(handoff.reason());
  *info.mutable_sharing_basis() = handoff.sharing_basis();
  *info.mutable_shared_data() = handoff.shared_data();
  return info;
}

std::vector<rpc::FieldViolation> offer_problems(const v1::HandoffOffer& offer) {
  std::vector<rpc::FieldViolation> problems;
  if (offer.handoff_id().empty()) problems.push_back({"offer.handoff_id", "is required"});
  if (offer.sending_hub().empty()) problems.push_back({"offer.sending_hub", "is required"});
  if (offer.sending_case_id().empty()) problems.push_back({"offer.sending_case_id", "is required"});
  if (offer.receiving_jurisdiction() == common::JURISDICTION_UNSPECIFIED) {
    problems.push_back({"offer.receiving_jurisdiction", "is required"});
  }
  const auto& basis = offer.sharing_basis();
  if (basis.kind() == common::SHARING_BASIS_KIND_CONSENT) {
    const bool cross_border = std::count(basis.consent_scopes().begin(), basis.consent_scopes().end(), common::CONSENT_SCOPE_CROSS_BORDER) > 0 &&
                              std::count(offer.consent().scopes().begin(), offer.consent().scopes().end(), common::CONSENT_SCOPE_CROSS_BORDER) > 0 &&
                              !offer.consent().withdrawn();
    if (!cross_border) problems.push_back({"offer.consent", "no effective cross-border consent"});
  } else if (basis.kind() == common::SHARING_BASIS_KIND_RECORDED_EXCEPTION) {
    const auto& decision = offer.exception_decision();
    const bool covers = decision.outcome() == v1::DECISION_OUTCOME_POSITIVE && !decision.decided_by().display_name().empty() &&
                        !decision.reason().empty() &&
                        std::count(decision.exception_scopes().begin(), decision.exception_scopes().end(), common::CONSENT_SCOPE_CROSS_BORDER) > 0;
    if (!covers) problems.push_back({"offer.exception_decision", "no recorded exception, by a named person with a reason, covering cross-border sharing"});
  } else {
    problems.push_back({"offer.sharing_basis", "cross-border consent or a recorded exception is required"});
  }
  return problems;
}

}  // namespace pact::routing
