#pragma once

// Builders of the hub's events as the services emit them, for the situation tests.

#include <chrono>
#include <string>

#include <google/protobuf/util/time_util.h>

#include "pact/events/v1/case_events.pb.h"
#include "pact/events/v1/referral_events.pb.h"
#include "pact/events/v1/screening_events.pb.h"

namespace pact::situation::testing {

using Clock = std::chrono::system_clock;
namespace ev = pact::events::v1;
namespace rv1 = pact::routing::v1;

inline google::protobuf::Timestamp at(Clock::time_point when) {
  return google::protobuf::util::TimeUtil::MillisecondsToTimestamp(
      std::chrono::duration_cast<std::chrono::milliseconds>(when.time_since_epoch()).count());
}

struct Person {
  std::string case_id{};
  common::v1::Jurisdiction jurisdiction = common::v1::JURISDICTION_RS;
  std::string site = "rs-presevo-rc";
  std::string emergency{};
  int age = 30;
  bool exercise = false;
};

inline intake::v1::CaseSummary summary_of(const Person& person, std::uint64_t sequence) {
  intake::v1::CaseSummary summary;
  summary.set_case_id(person.case_id);
  summary.mutable_reference_code()->set_code("REF-" + person.case_id);
  summary.set_sequence(sequence);
  summary.set_jurisdiction(person.jurisdiction);
  summary.mutable_site()->set_site_id(person.site);
  summary.set_emergency_id(person.emergency);
  summary.mutable_age()->set_years(static_cast<std::uint32_t>(person.age));
  return summary;
}

// The envelope every case event shares.
inline ev::CaseEvent case_event(const Person& person, Clock::time_point when, std::uint64_t sequence) {
  ev::CaseEvent event;
  event.set_event_id(person.case_id + "-case-" + std::to_string(sequence));
  event.set_case_id(person.case_id);
  event.set_sequence(sequence);
  event.set_exercise(person.exercise);
  *event.mutable_occurred_at() = at(when);
  return event;
}

inline ev::CaseEvent registered(const Person& person, Clock::time_point when, std::uint64_t sequence = 1) {
  auto event = case_event(person, when, sequence);
  *event.mutable_case_registered()->mutable_snapshot()->mutable_summary() = summary_of(person, sequence);
  return event;
}

inline ev::CaseEvent amended(const Person& person, Clock::time_point when, std::uint64_t sequence) {
  auto event = case_event(person, when, sequence);
  *event.mutable_case_amended()->mutable_snapshot()->mutable_summary() = summary_of(person, sequence);
  return event;
}

inline ev::CaseEvent erased(const Person& person, Clock::time_point when, std::uint64_t sequence) {
  auto event = case_event(person, when, sequence);
  event.mutable_case_erased()->set_reason(common::v1::ERASURE_REASON_RETENTION_EXPIRED);
  return event;
}

struct Assessment {
  screening::v1::Level level = screening::v1::LEVEL_INDICATIONS_PRESENT;
  bool child = false;
  bool unaccompanied = false;
  bool urgent_medical = false;
};

inline ev::ScreeningEvent screened(const Person& person, Clock::time_point when, std::uint64_t sequence,
                                   Assessment assessment = {},
                                   ev::CaseChange change = ev::CASE_CHANGE_REGISTERED) {
  ev::ScreeningEvent event;
  event.set_event_id(person.case_id + "-screening-" + std::to_string(sequence));
  event.set_case_id(person.case_id);
  event.set_sequence(sequence);
  event.set_exercise(person.exercise);
  *event.mutable_occurred_at() = at(when);
  auto& completed = *event.mutable_assessment_completed();
  completed.set_change(change);
  *completed.mutable_snapshot()->mutable_summary() = summary_of(person, sequence);
  completed.mutable_assessment()->set_level(assessment.level);
  completed.mutable_assessment()->mutable_flags()->set_presumed_child(assessment.child);
  completed.mutable_assessment()->mutable_flags()->set_unaccompanied_or_separated(assessment.unaccompanied);
  completed.mutable_assessment()->mutable_flags()->set_urgent_medical(assessment.urgent_medical);
  return event;
}

struct Referral {
  std::string referral_id{};
  const Person* person = nullptr;
  rv1::ServiceType service_type = rv1::SERVICE_TYPE_SAFE_ACCOMMODATION;
  std::string service_id = "svc-shelter-1";
  rv1::ReferralKind kind = rv1::REFERRAL_KIND_SOP;
};

inline ev::ReferralInfo info_of(const Referral& referral, rv1::ReferralStatus status) {
  ev::ReferralInfo info;
  info.set_referral_id(referral.referral_id);
  info.mutable_reference_code()->set_code("REF-" + referral.person->case_id);
  info.set_kind(referral.kind);
  info.set_service_type(referral.service_type);
  info.set_organization_id("org-" + referral.service_id);
  info.set_service_id(referral.service_id);
  info.set_status(status);
  info.set_priority(rv1::REFERRAL_PRIORITY_URGENT);
  info.set_jurisdiction(referral.person->jurisdiction);
  info.mutable_site()->set_site_id(referral.person->site);
  info.set_emergency_id(referral.person->emergency);
  return info;
}

inline ev::ReferralEvent referral_event(const Referral& referral, Clock::time_point when, std::uint64_t sequence) {
  ev::ReferralEvent event;
  event.set_event_id(referral.referral_id + "-" + std::to_string(sequence) + "-" +
                     std::to_string(when.time_since_epoch().count()));
  event.set_case_id(referral.person->case_id);
  event.set_sequence(sequence);
  event.set_exercise(referral.person->exercise);
  *event.mutable_occurred_at() = at(when);
  return event;
}

inline ev::ReferralEvent requested(const Referral& referral, Clock::time_point when, std::uint64_t sequence,
                                   std::chrono::seconds acknowledge_within = std::chrono::minutes(30)) {
  auto event = referral_event(referral, when, sequence);
  auto& requested = *event.mutable_referral_requested();
  *requested.mutable_referral() = info_of(referral, rv1::REFERRAL_STATUS_REQUESTED);
  *requested.mutable_deadlines()->mutable_acknowledge_by() = at(when + acknowledge_within);
  *requested.mutable_deadlines()->mutable_accept_by() = at(when + 4 * acknowledge_within);
  return event;
}

inline ev::ReferralEvent status_changed(const Referral& referral, Clock::time_point when, std::uint64_t sequence,
                                        rv1::ReferralStatus status) {
  auto event = referral_event(referral, when, sequence);
  *event.mutable_referral_status_changed()->mutable_referral() = info_of(referral, status);
  return event;
}

inline ev::ReferralEvent escalated(const Referral& escalation, Clock::time_point when, std::uint64_t sequence) {
  auto event = referral_event(escalation, when, sequence);
  auto& escalated = *event.mutable_referral_escalated();
  *escalated.mutable_escalation() = info_of(escalation, rv1::REFERRAL_STATUS_REQUESTED);
  escalated.mutable_escalation()->set_kind(rv1::REFERRAL_KIND_ESCALATION);
  escalated.set_level(rv1::ESCALATION_LEVEL_EOC_DUTY_DESK);
  escalated.set_reason(rv1::ESCALATION_REASON_NO_ELIGIBLE_PROVIDER);
  return event;
}

struct Provider {
  std::string service_id = "svc-shelter-1";
  std::string name = "Safe House Alpha";
  rv1::ServiceType type = rv1::SERVICE_TYPE_SAFE_ACCOMMODATION;
  bool confidential = false;
  bool exercise = false;
};

inline ev::ReferralEvent capacity(const Provider& provider, Clock::time_point when, std::uint64_t version,
                                  std::uint32_t available, std::uint32_t maximum = 20) {
  ev::ReferralEvent event;
  event.set_event_id(provider.service_id + "-capacity-" + std::to_string(version));
  event.set_exercise(provider.exercise);
  *event.mutable_occurred_at() = at(when);
  auto& changed = *event.mutable_capacity_changed();
  changed.set_service_id(provider.service_id);
  changed.set_organization_id("org-" + provider.service_id);
  changed.set_service_name(provider.name);
  changed.set_service_type(provider.type);
  changed.add_jurisdictions(common::v1::JURISDICTION_RS);
  changed.add_site_ids("rs-presevo-rc");
  changed.set_confidential_location(provider.confidential);
  changed.mutable_capacity()->set_tracked(true);
  changed.mutable_capacity()->set_available(available);
  changed.mutable_capacity()->set_maximum(maximum);
  changed.mutable_capacity()->set_unit("beds");
  changed.mutable_capacity()->set_version(version);
  *changed.mutable_capacity()->mutable_updated_at() = at(when);
  return event;
}

inline ev::ReferralEvent handoff(const std::string& handoff_id, Clock::time_point when, std::uint64_t sequence,
                                 rv1::HandoffStatus status, bool exercise = false) {
  ev::ReferralEvent event;
  event.set_event_id(handoff_id + "-" + std::to_string(sequence));
  event.set_case_id("case-" + handoff_id);
  event.set_sequence(sequence);
  event.set_exercise(exercise);
  *event.mutable_occurred_at() = at(when);
  ev::HandoffInfo info;
  info.set_handoff_id(handoff_id);
  info.set_status(status);
  switch (status) {
    case rv1::HANDOFF_STATUS_ACCEPTED: *event.mutable_handoff_accepted()->mutable_handoff() = info; break;
    case rv1::HANDOFF_STATUS_DECLINED: *event.mutable_handoff_declined()->mutable_handoff() = info; break;
    case rv1::HANDOFF_STATUS_ERASED: *event.mutable_handoff_erased()->mutable_handoff() = info; break;
    default: *event.mutable_handoff_offered()->mutable_handoff() = info; break;
  }
  return event;
}

}  // namespace pact::situation::testing
