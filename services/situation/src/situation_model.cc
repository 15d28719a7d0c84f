#include "situation_model.h"

#include <algorithm>

#include <google/protobuf/util/message_differencer.h>
#include <google/protobuf/util/time_util.h>

#include "pact/common/v1/common.pb.h"

namespace pact::situation {
namespace {

using google::protobuf::util::MessageDifferencer;
using google::protobuf::util::TimeUtil;
namespace rv1 = routing::v1;

std::int64_t millis(const google::protobuf::Timestamp& at) { return TimeUtil::TimestampToMilliseconds(at); }

// Where a referral stands in its lifecycle: among events that share a sequence (routing emits
// several per case event), a later stage is never undone by an earlier one arriving late.
int stage_of(rv1::ReferralStatus status) {
  switch (status) {
    case rv1::REFERRAL_STATUS_REQUESTED: return 1;
    case rv1::REFERRAL_STATUS_RECEIVED: return 2;
    case rv1::REFERRAL_STATUS_ACCEPTED: return 3;
    case rv1::REFERRAL_STATUS_IN_PROGRESS:
    case rv1::REFERRAL_STATUS_ON_HOLD: return 4;
    case rv1::REFERRAL_STATUS_REJECTED:
    case rv1::REFERRAL_STATUS_COMPLETED:
    case rv1::REFERRAL_STATUS_FAILED:
    case rv1::REFERRAL_STATUS_CANCELLED: return 5;
    default: return 0;
  }
}

int stage_of(rv1::HandoffStatus status) {
  switch (status) {
    case rv1::HANDOFF_STATUS_PENDING: return 1;
    case rv1::HANDOFF_STATUS_OFFERED: return 2;
    case rv1::HANDOFF_STATUS_UNSPECIFIED: return 0;
    default: return 3;  // accepted, declined, withdrawn, erased: settled
  }
}

// Before screening has assessed a case, its recorded age decides whether it counts as a child's:
// presumed minor, or an age or estimate under 18.
bool recorded_as_child(const common::v1::Age& age) {
  if (age.presumed_minor()) return true;
  if (age.has_years()) return age.years() < 18;
  if (age.has_estimate_max_years()) return age.estimate_max_years() < 18;
  return false;
}

void take_case_attributes(const intake::v1::CaseSummary& summary, v1::CaseEntry& entry) {
  entry.set_jurisdiction(jurisdiction_code(summary.jurisdiction()));
  entry.set_site_id(summary.site().site_id());
  entry.set_emergency_id(summary.emergency_id());
  if (entry.screened_sequence() == 0) entry.set_child(recorded_as_child(summary.age()));
}

void note_registration(const google::protobuf::Timestamp& occurred_at, v1::CaseEntry& entry) {
  const std::int64_t at = millis(occurred_at);
  if (entry.registered_at_ms() == 0 || at < entry.registered_at_ms()) entry.set_registered_at_ms(at);
}

// Applies `change` to a copy of `entry` and stores it only if it differs: duplicates do not move
// the revision (and so do not wake every open page).
template <class Entry, class Change>
bool update(Entry& entry, Change&& change) {
  Entry updated = entry;
  change(updated);
  if (MessageDifferencer::Equals(updated, entry)) return false;
  entry = std::move(updated);
  return true;
}

}  // namespace

std::string jurisdiction_code(int jurisdiction) {
  if (jurisdiction == common::v1::JURISDICTION_UNSPECIFIED) return "";
  if (!common::v1::Jurisdiction_IsValid(jurisdiction)) return "OTHER";
  const std::string& name = common::v1::Jurisdiction_Name(static_cast<common::v1::Jurisdiction>(jurisdiction));
  return name.substr(name.rfind('_') + 1);
}

std::string capacity_key(bool exercise, const std::string& service_id) {
  return std::string(exercise ? "x/" : "r/") + service_id;
}

bool SituationModel::changed() {
  state_.set_revision(state_.revision() + 1);
  return true;
}

bool SituationModel::apply(const events::v1::CaseEvent& event) {
  if (event.case_id().empty()) return false;
  v1::CaseEntry& entry = (*state_.mutable_cases())[event.case_id()];
  const bool newest = event.sequence() >= entry.sequence();
  bool did = update(entry, [&](v1::CaseEntry& e) {
    e.set_exercise(event.exercise());
    if (event.has_case_registered()) note_registration(event.occurred_at(), e);
    if (!newest) return;
    e.set_sequence(event.sequence());
    if (event.has_case_erased()) {
      e.set_erased(true);
      return;
    }
    if (e.erased()) return;
    const events::v1::CaseSnapshot* snapshot = nullptr;
    if (event.has_case_registered()) snapshot = &event.case_registered().snapshot();
    if (event.has_case_amended()) snapshot = &event.case_amended().snapshot();
    if (event.has_consent_changed()) snapshot = &event.consent_changed().snapshot();
    if (snapshot != nullptr) take_case_attributes(snapshot->summary(), e);
  });
  return did && changed();
}

bool SituationModel::apply(const events::v1::ScreeningEvent& event) {
  if (event.case_id().empty() || !event.has_assessment_completed()) return false;
  const auto& completed = event.assessment_completed();
  v1::CaseEntry& entry = (*state_.mutable_cases())[event.case_id()];
  bool did = update(entry, [&](v1::CaseEntry& e) {
    e.set_exercise(event.exercise());
    if (completed.change() == events::v1::CASE_CHANGE_REGISTERED) note_registration(event.occurred_at(), e);
    if (completed.change() == events::v1::CASE_CHANGE_ERASED) {
      e.set_sequence(std::max(e.sequence(), event.sequence()));
      e.set_erased(true);
      return;
    }
    if (e.erased() || event.sequence() < e.screened_sequence()) return;
    if (event.sequence() >= e.sequence()) {
      e.set_sequence(event.sequence());
      take_case_attributes(completed.snapshot().summary(), e);
    }
    const auto& assessment = completed.assessment();
    e.set_screened_sequence(std::max<std::uint64_t>(event.sequence(), 1));
    e.set_level(assessment.level());
    e.set_child(assessment.flags().presumed_child());
    e.set_unaccompanied_or_separated(assessment.flags().unaccompanied_or_separated());
    e.set_urgent_medical(assessment.flags().urgent_medical());
    e.set_immediate_danger(assessment.flags().immediate_danger());
  });
  return did && changed();
}

bool SituationModel::apply(const events::v1::ReferralEvent& event) {
  using E = events::v1::ReferralEvent;
  switch (event.event_case()) {
    case E::kReferralRequested:
      return apply_referral(event, event.referral_requested().referral(), &event.referral_requested().deadlines());
    case E::kReferralStatusChanged: {
      const auto& changed_status = event.referral_status_changed();
      return apply_referral(event, changed_status.referral(),
                            changed_status.has_deadlines() ? &changed_status.deadlines() : nullptr);
    }
    case E::kReferralReminderDue:
      return apply_referral(event, event.referral_reminder_due().referral(), nullptr);
    case E::kReferralEscalated: return apply_escalation(event, event.referral_escalated());
    case E::kCapacityChanged: return apply_capacity(event, event.capacity_changed());
    case E::kHandoffOffered: return apply_handoff(event, event.handoff_offered().handoff());
    case E::kHandoffAccepted: return apply_handoff(event, event.handoff_accepted().handoff());
    case E::kHandoffDeclined: return apply_handoff(event, event.handoff_declined().handoff());
    case E::kHandoffErased: return apply_handoff(event, event.handoff_erased().handoff());
    default: return false;  // decisions and cancelled deliveries change no figure
  }
}

bool SituationModel::apply_referral(const events::v1::ReferralEvent& event, const events::v1::ReferralInfo& info,
                                    const routing::v1::Deadlines* deadlines) {
  if (info.referral_id().empty()) return false;
  v1::ReferralEntry& entry = (*state_.mutable_referrals())[info.referral_id()];
  bool did = update(entry, [&](v1::ReferralEntry& e) {
    e.set_exercise(event.exercise());
    if (event.has_referral_requested()) {
      const std::int64_t at = millis(event.occurred_at());
      if (e.requested_at_ms() == 0 || at < e.requested_at_ms()) e.set_requested_at_ms(at);
    }
    if (event.sequence() < e.sequence()) return;
    const bool same_sequence = event.sequence() == e.sequence() && e.status() != rv1::REFERRAL_STATUS_UNSPECIFIED;
    if (same_sequence && stage_of(info.status()) < stage_of(e.status())) return;
    e.set_sequence(event.sequence());
    e.set_reference_code(info.reference_code().code());
    e.set_kind(info.kind());
    e.set_service_type(info.service_type());
    e.set_organization_id(info.organization_id());
    e.set_service_id(info.service_id());
    if (info.status() != rv1::REFERRAL_STATUS_UNSPECIFIED) e.set_status(info.status());
    e.set_priority(info.priority());
    e.set_jurisdiction(jurisdiction_code(info.jurisdiction()));
    e.set_site_id(info.site().site_id());
    e.set_emergency_id(info.emergency_id());
    if (info.escalation_level() != rv1::ESCALATION_LEVEL_UNSPECIFIED) e.set_escalation_level(info.escalation_level());
    if (deadlines != nullptr) {
      e.set_acknowledge_by_ms(deadlines->has_acknowledge_by() ? millis(deadlines->acknowledge_by()) : 0);
      e.set_accept_by_ms(deadlines->has_accept_by() ? millis(deadlines->accept_by()) : 0);
    }
  });
  return did && changed();
}

bool SituationModel::apply_escalation(const events::v1::ReferralEvent& event,
                                      const events::v1::ReferralEscalated& escalated) {
  const auto& info = escalated.escalation();
  bool did = apply_referral(event, info, escalated.has_deadlines() ? &escalated.deadlines() : nullptr);
  if (info.referral_id().empty()) return did;
  v1::ReferralEntry& entry = (*state_.mutable_referrals())[info.referral_id()];
  bool detailed = update(entry, [&](v1::ReferralEntry& e) {
    // An escalation is "requested" when raised: its age counts from here.
    const std::int64_t at = millis(event.occurred_at());
    if (e.requested_at_ms() == 0 || at < e.requested_at_ms()) e.set_requested_at_ms(at);
    e.set_kind(rv1::REFERRAL_KIND_ESCALATION);
    if (event.sequence() < e.sequence()) return;
    e.set_escalation_level(escalated.level());
    e.set_escalation_reason(escalated.reason());
    if (e.status() == rv1::REFERRAL_STATUS_UNSPECIFIED) e.set_status(rv1::REFERRAL_STATUS_REQUESTED);
  });
  return (detailed && changed()) || did;
}

bool SituationModel::apply_capacity(const events::v1::ReferralEvent& event,
                                    const events::v1::CapacityChanged& changed_capacity) {
  if (changed_capacity.service_id().empty()) return false;
  v1::CapacityEntry& entry = (*state_.mutable_providers())[capacity_key(event.exercise(), changed_capacity.service_id())];
  const auto& capacity = changed_capacity.capacity();
  const std::int64_t at = capacity.has_updated_at() ? millis(capacity.updated_at()) : millis(event.occurred_at());
  bool did = update(entry, [&](v1::CapacityEntry& e) {
    // Every value joins the history in time order, even one arriving late, so any order of the
    // same events gives the same history.
    auto& recent = *e.mutable_recent();
    auto position = std::find_if(recent.begin(), recent.end(),
                                 [&](const v1::CapacityPoint& point) { return millis(point.at()) >= at; });
    const bool known = position != recent.end() && millis(position->at()) == at;
    if (!known && capacity.tracked()) {
      v1::CapacityPoint point;
      *point.mutable_at() = TimeUtil::MillisecondsToTimestamp(at);
      point.set_available(capacity.available());
      const int index = static_cast<int>(position - recent.begin());  // before Add() moves the elements
      *recent.Add() = point;
      // Rotate the new point from the end into its place in time order.
      for (int i = recent.size() - 1; i > index; --i) recent.SwapElements(i, i - 1);
      if (recent.size() > kCapacityHistory) recent.DeleteSubrange(0, recent.size() - kCapacityHistory);
    }
    if (e.version() != 0 && capacity.version() <= e.version()) return;
    e.set_exercise(event.exercise());
    e.set_version(capacity.version());
    e.set_service_id(changed_capacity.service_id());
    e.set_service_name(changed_capacity.service_name());
    e.set_organization_id(changed_capacity.organization_id());
    e.set_service_type(changed_capacity.service_type());
    e.clear_jurisdictions();
    for (int j : changed_capacity.jurisdictions()) e.add_jurisdictions(jurisdiction_code(j));
    // A confidential location never reaches the console, not even as the sites it serves. Safe
    // accommodation counts as confidential whatever the event says: events routing wrote before
    // it set the flag are still in the topics a rebuild reads.
    e.clear_site_ids();
    const bool confidential = changed_capacity.confidential_location() ||
                              changed_capacity.service_type() == rv1::SERVICE_TYPE_SAFE_ACCOMMODATION;
    if (!confidential) *e.mutable_site_ids() = changed_capacity.site_ids();
    e.set_tracked(capacity.tracked());
    e.set_available(capacity.available());
    e.set_maximum(capacity.maximum());
    e.set_unit(capacity.unit());
    e.set_updated_at_ms(at);
  });
  return did && changed();
}

bool SituationModel::apply_handoff(const events::v1::ReferralEvent& event, const events::v1::HandoffInfo& handoff) {
  if (handoff.handoff_id().empty()) return false;
  using E = events::v1::ReferralEvent;
  rv1::HandoffStatus status = handoff.status();
  if (status == rv1::HANDOFF_STATUS_UNSPECIFIED) {
    if (event.event_case() == E::kHandoffOffered) status = rv1::HANDOFF_STATUS_OFFERED;
    if (event.event_case() == E::kHandoffAccepted) status = rv1::HANDOFF_STATUS_ACCEPTED;
    if (event.event_case() == E::kHandoffDeclined) status = rv1::HANDOFF_STATUS_DECLINED;
    if (event.event_case() == E::kHandoffErased) status = rv1::HANDOFF_STATUS_ERASED;
  }
  v1::HandoffEntry& entry = (*state_.mutable_handoffs())[handoff.handoff_id()];
  bool did = update(entry, [&](v1::HandoffEntry& e) {
    e.set_exercise(event.exercise());
    if (event.sequence() < e.sequence()) return;
    if (event.sequence() == e.sequence() && stage_of(status) < stage_of(e.status())) return;
    e.set_sequence(event.sequence());
    e.set_status(status);
    e.clear_jurisdictions();
    for (int j : {static_cast<int>(handoff.sending_jurisdiction()), static_cast<int>(handoff.receiving_jurisdiction())}) {
      if (j != common::v1::JURISDICTION_UNSPECIFIED) e.add_jurisdictions(jurisdiction_code(j));
    }
  });
  return did && changed();
}

}  // namespace pact::situation
