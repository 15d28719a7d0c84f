#include "case_router.h"

#include <algorithm>

#include <google/protobuf/util/time_util.h>

#include "case_facts.h"
#include "ids/ids.h"
#include "provider_selection.h"
#include "referral_plan.h"
#include "vocabulary.h"
#include "pact/notification/v1/notification.pb.h"

namespace pact::routing {
namespace {

using google::protobuf::util::TimeUtil;
using Clock = std::chrono::system_clock;

std::int64_t ms(Clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

google::protobuf::Timestamp stamp(Clock::time_point time) { return TimeUtil::MillisecondsToTimestamp(ms(time)); }

const char* deadline_tag(v1::DeadlineKind kind) { return kind == v1::DEADLINE_KIND_ACKNOWLEDGEMENT ? "ack" : "accept"; }

// Reasons after which routing does not try another provider: the person decided, or moved on.
// Not for child protection: it does not wait for anyone's consent, so a child's "no" is a matter
// for the next child protection service (or the EOC), not the end of it.
bool person_ended_it(const v1::Referral& referral, v1::ReferralStatusReason reason) {
  const bool statutory = referral.service_type() == v1::SERVICE_TYPE_CHILD_PROTECTION ||
                         referral.service_type() == v1::SERVICE_TYPE_GUARDIANSHIP;
  return !statutory &&
         (reason == v1::REFERRAL_STATUS_REASON_PERSON_DECLINED || reason == v1::REFERRAL_STATUS_REASON_PERSON_MOVED_ON);
}

// After which reasons a later reconcile starts the need again from scratch (every provider may be
// tried again): the ground for stopping went away.
bool fresh_start(v1::ReferralStatusReason reason) {
  return reason == v1::REFERRAL_STATUS_REASON_CONSENT_WITHDRAWN || reason == v1::REFERRAL_STATUS_REASON_NEED_RESOLVED ||
         reason == v1::REFERRAL_STATUS_REASON_PLAN_CHANGED || reason == v1::REFERRAL_STATUS_REASON_EXCEPTION_LAPSED;
}

// Whether a need whose latest attempt is closed may be routed again when the plan requires it.
bool may_restart(const v1::Referral& latest) {
  if (latest.status() == v1::REFERRAL_STATUS_COMPLETED) return false;
  const auto reason = latest.status_reason();
  if (reason == v1::REFERRAL_STATUS_REASON_CASE_ERASED || reason == v1::REFERRAL_STATUS_REASON_HANDED_OVER) return false;
  return !person_ended_it(latest, reason);
}

bool is_rejection_reason(v1::ReferralStatusReason reason) {
  switch (reason) {
    case v1::REFERRAL_STATUS_REASON_NO_CAPACITY:
    case v1::REFERRAL_STATUS_REASON_NOT_ELIGIBLE:
    case v1::REFERRAL_STATUS_REASON_OUTSIDE_SERVICE_AREA:
    case v1::REFERRAL_STATUS_REASON_SERVICE_UNAVAILABLE:
    case v1::REFERRAL_STATUS_REASON_LANGUAGE_NOT_SUPPORTED:
    case v1::REFERRAL_STATUS_REASON_PERSON_DECLINED:
    case v1::REFERRAL_STATUS_REASON_OTHER: return true;
    default: return false;
  }
}

bool is_failure_reason(v1::ReferralStatusReason reason) {
  switch (reason) {
    case v1::REFERRAL_STATUS_REASON_PERSON_UNREACHABLE:
    case v1::REFERRAL_STATUS_REASON_PERSON_DECLINED:
    case v1::REFERRAL_STATUS_REASON_PERSON_MOVED_ON:
    case v1::REFERRAL_STATUS_REASON_SERVICE_NOT_DELIVERED:
    case v1::REFERRAL_STATUS_REASON_OTHER: return true;
    default: return false;
  }
}

}  // namespace

bool is_open(v1::ReferralStatus status) {
  return status == v1::REFERRAL_STATUS_REQUESTED || status == v1::REFERRAL_STATUS_RECEIVED ||
         status == v1::REFERRAL_STATUS_ACCEPTED || status == v1::REFERRAL_STATUS_IN_PROGRESS ||
         status == v1::REFERRAL_STATUS_ON_HOLD;
}

std::string referral_id_of(const std::string& case_id, common::NeedType need, std::uint32_t attempt) {
  return case_id + "/" + vocabulary::need_type_name(need) + "/" + std::to_string(attempt);
}

CaseRouter::CaseRouter(RoutingContext& context, v1::CaseRoutingState state, std::string cause_id)
    : context_(context), state_(std::move(state)), cause_id_(std::move(cause_id)) {
  commit_.expected_version = state_.version();
}

v1::Referral* CaseRouter::find(const std::string& referral_id) {
  for (auto& referral : *state_.mutable_referrals()) {
    if (referral.referral_id() == referral_id) return &referral;
  }
  return nullptr;
}

v1::NeedState& CaseRouter::need_state(common::NeedType need) {
  for (auto& entry : *state_.mutable_needs()) {
    if (entry.need_type() == need) return entry;
  }
  auto* entry = state_.add_needs();
  entry->set_need_type(need);
  return *entry;
}

v1::Referral* CaseRouter::open_attempt(common::NeedType need) {
  for (auto& referral : *state_.mutable_referrals()) {
    if (referral.attempt_id().need_type() == need && is_open(referral.status())) return &referral;
  }
  return nullptr;
}

v1::Referral* CaseRouter::latest_attempt(common::NeedType need) {
  v1::Referral* latest = nullptr;
  for (auto& referral : *state_.mutable_referrals()) {
    if (referral.attempt_id().need_type() == need &&
        (!latest || referral.attempt_id().attempt() > latest->attempt_id().attempt())) {
      latest = &referral;
    }
  }
  return latest;
}

events::v1::ReferralEvent& CaseRouter::emit(std::initializer_list<std::string> recipients) {
  events::v1::ReferralEvent& event = commit_.events.emplace_back();
  event.set_event_id(ids::derive_event_id(cause_id_, "routing", event_position_++));
  event.set_case_id(state_.case_id());
  event.set_sequence(state_.sequence());
  event.set_hub(context_.hub);
  *event.mutable_occurred_at() = stamp(context_.now);
  event.set_exercise(state_.exercise());
  event.set_cause_id(cause_id_);
  for (const auto& recipient : recipients) {
    if (!recipient.empty()) event.add_notify_recipient_ids(recipient);
  }
  return event;
}

events::v1::ReferralInfo CaseRouter::info(const v1::Referral& referral) const {
  events::v1::ReferralInfo info;
  info.set_referral_id(referral.referral_id());
  *info.mutable_attempt_id() = referral.attempt_id();
  *info.mutable_reference_code() = referral.reference_code();
  info.set_kind(referral.kind());
  info.set_service_type(referral.service_type());
  info.set_organization_id(referral.organization_id());
  info.set_service_id(referral.service_id());
  info.set_status(referral.status());
  info.set_priority(referral.priority());
  info.set_jurisdiction(state_.summary().jurisdiction());
  *info.mutable_site() = state_.summary().site();
  info.set_emergency_id(state_.summary().emergency_id());
  info.set_escalation_level(referral.escalation_level());
  return info;
}

void CaseRouter::index_new(const v1::Referral& referral) {
  const std::string& id = referral.referral_id();
  commit_.index_add.push_back({"service:" + referral.service_id(), id});
  commit_.index_add.push_back({"organization:" + referral.organization_id(), id});
  commit_.index_add.push_back({"status:" + std::to_string(referral.status()), id});
  if (referral.overdue()) commit_.index_add.push_back({"overdue", id});
}

void CaseRouter::index(const v1::Referral& before, const v1::Referral& after) {
  const std::string& id = after.referral_id();
  if (before.status() != after.status()) {
    commit_.index_remove.push_back({"status:" + std::to_string(before.status()), id});
    commit_.index_add.push_back({"status:" + std::to_string(after.status()), id});
  }
  if (before.overdue() != after.overdue()) {
    if (after.overdue()) commit_.index_add.push_back({"overdue", id});
    else commit_.index_remove.push_back({"overdue", id});
  }
}

void CaseRouter::schedule(v1::Referral& referral, v1::DeadlineKind kind, std::chrono::seconds after,
                          const std::vector<std::chrono::seconds>& reminders) {
  const auto due = context_.now + after;
  auto* deadlines = referral.mutable_deadlines();
  *(kind == v1::DEADLINE_KIND_ACKNOWLEDGEMENT ? deadlines->mutable_acknowledge_by() : deadlines->mutable_accept_by()) = stamp(due);
  const std::string base = referral.referral_id() + "|" + deadline_tag(kind);
  commit_.add_deadlines.push_back({base, ms(due)});
  std::uint32_t number = 0;
  for (const auto& before : reminders) {
    ++number;
    auto* reminder = deadlines->add_reminders();
    reminder->set_deadline(kind);
    *reminder->mutable_remind_at() = stamp(due - before);
    commit_.add_deadlines.push_back({base + "-reminder-" + std::to_string(number), ms(due - before)});
  }
}

void CaseRouter::clear_timers(const v1::Referral& referral) {
  for (auto kind : {v1::DEADLINE_KIND_ACKNOWLEDGEMENT, v1::DEADLINE_KIND_ACCEPTANCE}) {
    const std::string base = referral.referral_id() + "|" + deadline_tag(kind);
    commit_.remove_deadlines.push_back(base);
    std::uint32_t number = 0;
    for (const auto& reminder : referral.deadlines().reminders()) {
      if (reminder.deadline() == kind) commit_.remove_deadlines.push_back(base + "-reminder-" + std::to_string(++number));
    }
  }
}

const DeadlineSpec& CaseRouter::deadlines_of(const v1::Referral& referral) const {
  const auto jurisdiction = state_.summary().jurisdiction();
  if (referral.kind() != v1::REFERRAL_KIND_SOP) return context_.book.escalation_deadlines(jurisdiction, context_.profile);
  // The rule's class when the rule still exists; the safety net's otherwise.
  for (const EffectiveRule& effective : context_.book.rules_for(jurisdiction)) {
    if (effective.rule->id != referral.rule().rule_id() || effective.sop->id != referral.rule().sop_id()) continue;
    for (const ReferralTemplate& referral_template : effective.rule->refer) {
      if (referral_template.need == referral.attempt_id().need_type()) {
        return context_.book.deadlines(jurisdiction, referral_template.deadline_class, context_.profile);
      }
    }
  }
  return context_.book.deadlines(jurisdiction, "immediate", context_.profile);
}

v1::Referral& CaseRouter::add_attempt(common::NeedType need, const v1::Service& service, v1::ReferralKind kind) {
  v1::NeedState& need_entry = need_state(need);
  const std::uint32_t attempt = need_entry.latest_attempt() + 1;
  need_entry.set_latest_attempt(attempt);
  need_entry.add_tried_service_ids(service.service_id());
  v1::Referral& referral = *state_.add_referrals();
  referral.set_referral_id(referral_id_of(state_.case_id(), need, attempt));
  referral.mutable_attempt_id()->set_case_id(state_.case_id());
  referral.mutable_attempt_id()->set_need_type(need);
  referral.mutable_attempt_id()->set_attempt(attempt);
  *referral.mutable_reference_code() = state_.summary().reference_code();
  referral.set_kind(kind);
  referral.set_hub(context_.hub);
  *referral.mutable_case_summary() = state_.summary();
  referral.set_service_type(service.type());
  referral.set_organization_id(service.organization_id());
  referral.set_service_id(service.service_id());
  referral.set_status(v1::REFERRAL_STATUS_REQUESTED);
  referral.set_case_sequence(state_.sequence());
  *referral.mutable_created_at() = stamp(context_.now);
  *referral.mutable_updated_at() = stamp(context_.now);
  referral.set_exercise(state_.exercise());
  auto* first = referral.add_history();
  first->set_to_status(v1::REFERRAL_STATUS_REQUESTED);
  *first->mutable_changed_at() = stamp(context_.now);
  return referral;
}

void CaseRouter::start_attempt(common::NeedType need, const PlannedReferral& planned, const std::string& previous_id,
                               v1::ReferralStatusReason previous_reason) {
  const bool presumed_child = facts_of(state_, context_.now).presumed_child();
  std::set<std::string> excluded = context_.full_services;
  for (const auto& tried : need_state(need).tried_service_ids()) excluded.insert(tried);
  const auto ranked = rank_providers(context_.directory, planned.service, profile_of(state_.summary(), presumed_child),
                                     excluded, context_.now);
  if (ranked.empty()) {
    escalate(need, previous_id.empty() ? nullptr : find(previous_id), v1::ESCALATION_REASON_NO_ELIGIBLE_PROVIDER);
    return;
  }
  const v1::Service& provider = *ranked.front();
  v1::Referral& referral = add_attempt(need, provider, v1::REFERRAL_KIND_SOP);
  referral.set_priority(planned.priority);
  *referral.mutable_rule() = planned.rule;
  referral.set_recommendation_type(planned.recommendation);
  *referral.mutable_sharing_basis() = planned.basis;
  for (auto category : planned.shared) referral.add_shared_data(category);
  referral.set_previous_referral_id(previous_id);
  schedule(referral, v1::DEADLINE_KIND_ACKNOWLEDGEMENT, planned.deadlines.acknowledge, planned.deadlines.reminders);
  // The acceptance deadline runs from the acknowledgement; until then it is provisional.
  *referral.mutable_deadlines()->mutable_accept_by() = stamp(context_.now + planned.deadlines.acknowledge + planned.deadlines.accept);
  need_state(need).mutable_rule()->CopyFrom(planned.rule);
  commit_.capacity.push_back({CapacityOp::Kind::reserve, provider.service_id(), referral.referral_id()});
  index_new(referral);
  next_referral_id_ = referral.referral_id();

  auto& requested = *emit({provider.service_id()}).mutable_referral_requested();
  *requested.mutable_referral() = info(referral);
  *requested.mutable_deadlines() = referral.deadlines();
  *requested.mutable_rule() = referral.rule();
  requested.set_recommendation_type(referral.recommendation_type());
  *requested.mutable_sharing_basis() = referral.sharing_basis();
  *requested.mutable_shared_data() = referral.shared_data();
  *requested.mutable_case_summary() = state_.summary();
  requested.set_previous_referral_id(previous_id);
  requested.set_reroute_reason(previous_reason);
}

void CaseRouter::escalate(common::NeedType need, const v1::Referral* last, v1::EscalationReason reason) {
  v1::NeedState& need_entry = need_state(need);
  const auto jurisdiction = state_.summary().jurisdiction();
  // EOC duty desk first, then the national coordinator; a level without a contact is skipped.
  std::vector<std::pair<v1::EscalationLevel, v1::ServiceType>> levels = {
      {v1::ESCALATION_LEVEL_EOC_DUTY_DESK, v1::SERVICE_TYPE_EOC_DUTY_DESK},
      {v1::ESCALATION_LEVEL_NATIONAL_COORDINATOR, v1::SERVICE_TYPE_NATIONAL_COORDINATOR}};
  for (const auto& [level, type] : levels) {
    if (level <= need_entry.escalation_level()) continue;
    const v1::Service* contact = coordination_contact(context_.directory, type, jurisdiction);
    if (!contact) continue;
    need_entry.set_escalation_level(level);
    v1::Referral& escalation = add_attempt(need, *contact, v1::REFERRAL_KIND_ESCALATION);
    escalation.set_priority(last ? std::max(last->priority(), v1::REFERRAL_PRIORITY_URGENT) : v1::REFERRAL_PRIORITY_URGENT);
    escalation.set_escalation_level(level);
    escalation.set_escalation_reason(reason);
    if (last) {
      escalation.set_previous_referral_id(last->referral_id());
      *escalation.mutable_rule() = last->rule();
    }
    // Coordinators get the reference code and coarse attributes, never personal data.
    escalation.mutable_sharing_basis()->set_kind(common::SHARING_BASIS_KIND_NO_PERSONAL_DATA);
    const DeadlineSpec& spec = context_.book.escalation_deadlines(jurisdiction, context_.profile);
    schedule(escalation, v1::DEADLINE_KIND_ACKNOWLEDGEMENT, spec.acknowledge, spec.reminders);
    *escalation.mutable_deadlines()->mutable_accept_by() = stamp(context_.now + spec.acknowledge + spec.accept);
    index_new(escalation);
    next_referral_id_ = escalation.referral_id();
    auto& escalated = *emit({contact->service_id()}).mutable_referral_escalated();
    *escalated.mutable_escalation() = info(escalation);
    escalated.set_level(level);
    escalated.set_reason(reason);
    if (last) escalated.set_escalated_referral_id(last->referral_id());
    *escalated.mutable_deadlines() = escalation.deadlines();
    *escalated.mutable_case_summary() = state_.summary();
    return;
  }
  // Nobody left to escalate to: the last attempt stays visible as overdue rather than vanishing,
  // and a need no one was ever asked about is listed as unroutable for the operators.
  if (last) {
    v1::Referral* kept = find(last->referral_id());
    if (kept && !kept->overdue()) {
      const v1::Referral before = *kept;
      kept->set_overdue(true);
      index(before, *kept);
    }
  } else {
    commit_.index_add.push_back({"unroutable", state_.case_id() + "/" + vocabulary::need_type_name(need)});
  }
}

bool CaseRouter::higher_contact_exists(const v1::Referral& escalation) const {
  if (escalation.kind() == v1::REFERRAL_KIND_TRANSNATIONAL) return false;  // the national coordinator is the top
  if (escalation.escalation_level() >= v1::ESCALATION_LEVEL_NATIONAL_COORDINATOR) return false;
  return coordination_contact(context_.directory, v1::SERVICE_TYPE_NATIONAL_COORDINATOR, state_.summary().jurisdiction()) != nullptr;
}

void CaseRouter::release(const v1::Referral& referral) {
  if (referral.kind() == v1::REFERRAL_KIND_SOP) {
    commit_.capacity.push_back({CapacityOp::Kind::release, referral.service_id(), referral.referral_id()});
  }
}

void CaseRouter::change_status(v1::Referral& referral, v1::ReferralStatus to, v1::ReferralStatusReason reason,
                               const std::string& subject, bool tell_provider, const common::EncryptedSection* sealed_note) {
  const v1::Referral before = referral;
  const v1::ReferralStatus from = referral.status();
  referral.set_status(to);
  referral.set_status_reason(reason);
  *referral.mutable_updated_at() = stamp(context_.now);
  auto* change = referral.add_history();
  change->set_from_status(from);
  change->set_to_status(to);
  change->set_reason(reason);
  change->set_changed_by_subject(subject);
  *change->mutable_changed_at() = stamp(context_.now);
  if (sealed_note) *state_.add_sealed() = *sealed_note;
  if (!is_open(to) || to == v1::REFERRAL_STATUS_ACCEPTED || to == v1::REFERRAL_STATUS_IN_PROGRESS) {
    clear_timers(referral);
    referral.set_overdue(false);
  }
  index(before, referral);

  auto& changed = *emit({tell_provider ? referral.service_id() : std::string()}).mutable_referral_status_changed();
  *changed.mutable_referral() = info(referral);
  changed.set_previous_status(from);
  changed.set_reason(reason);
  changed.set_changed_by_subject(subject);
  *changed.mutable_deadlines() = referral.deadlines();
  if (sealed_note) *changed.add_sealed() = *sealed_note;
  // Pending deliveries and reminders stop once the provider answered or the attempt ended.
  if (from == v1::REFERRAL_STATUS_REQUESTED || !is_open(to)) {
    auto& cancelled = *emit({}).mutable_delivery_cancelled();
    cancelled.set_referral_id(referral.referral_id());
    cancelled.set_reason(reason);
  }
}

void CaseRouter::move_on(v1::Referral& ended, v1::ReferralStatusReason reason) {
  const common::NeedType need = ended.attempt_id().need_type();
  if (ended.kind() == v1::REFERRAL_KIND_ESCALATION) {
    escalate(need, &ended, v1::ESCALATION_REASON_COORDINATION_DEADLINE_MISSED);
    return;
  }
  const ReferralPlan plan = plan_referrals(context_.book, facts_of(state_, context_.now), context_.profile);
  for (const PlannedReferral& planned : plan.referrals) {
    if (planned.need == need) {
      start_attempt(need, planned, ended.referral_id(), reason);
      return;
    }
  }
}

void CaseRouter::apply_assessment(const events::v1::ScreeningEvent& event) {
  const auto& completed = event.assessment_completed();
  state_.set_case_id(event.case_id());
  state_.set_sequence(event.sequence());
  state_.set_exercise(event.exercise());
  *state_.mutable_updated_at() = stamp(context_.now);
  if (completed.has_erasure() || !completed.has_snapshot()) {
    state_.set_erased(true);
    state_.clear_sealed_case();
    state_.clear_sealed();
    for (auto& referral : *state_.mutable_referrals()) {
      if (!is_open(referral.status())) continue;
      change_status(referral, v1::REFERRAL_STATUS_CANCELLED, v1::REFERRAL_STATUS_REASON_CASE_ERASED, "", true, nullptr);
      release(referral);
    }
    erase_handoffs();
    return;
  }
  *state_.mutable_summary() = completed.snapshot().summary();
  *state_.mutable_sealed_case() = completed.snapshot().sealed();
  state_.set_level(completed.assessment().level());
  *state_.mutable_recommendations() = completed.assessment().recommendations();
  *state_.mutable_flags() = completed.assessment().flags();
  reconcile();
}

void CaseRouter::reconcile() {
  if (state_.erased()) return;
  const CaseFacts facts = facts_of(state_, context_.now);
  const ReferralPlan plan = plan_referrals(context_.book, facts, context_.profile);
  // Open attempts the plan no longer holds: consent withdrawn (held now) or the need is gone.
  for (auto& referral : *state_.mutable_referrals()) {
    if (!is_open(referral.status())) continue;
    const common::NeedType need = referral.attempt_id().need_type();
    if (need == common::NEED_TYPE_TRANSNATIONAL_REFERRAL) continue;  // the handoff decides those
    auto planned = std::find_if(plan.referrals.begin(), plan.referrals.end(), [&](const auto& p) { return p.need == need; });
    if (planned != plan.referrals.end() && referral.kind() == v1::REFERRAL_KIND_SOP && referral.service_type() != planned->service) {
      // The SOP now sends this need to another kind of service: this provider must not keep it,
      // nor read under the new basis.
      change_status(referral, v1::REFERRAL_STATUS_CANCELLED, v1::REFERRAL_STATUS_REASON_PLAN_CHANGED, "", true, nullptr);
      release(referral);
      continue;
    }
    if (planned != plan.referrals.end()) {
      if (referral.kind() == v1::REFERRAL_KIND_SOP) {
        // The basis follows the consent as it stands, and never widens what a provider may read:
        // narrower consent, less to read; broader consent, a new referral is not needed for it.
        std::vector<int> kept;
        for (int category : referral.shared_data()) {
          if (std::find(planned->shared.begin(), planned->shared.end(), category) != planned->shared.end()) kept.push_back(category);
        }
        *referral.mutable_sharing_basis() = planned->basis;
        referral.clear_shared_data();
        for (int category : kept) referral.add_shared_data(static_cast<common::DataCategory>(category));
      }
      continue;
    }
    const bool held = std::any_of(plan.held.begin(), plan.held.end(), [&](const auto& h) { return h.need == need; });
    v1::ReferralStatusReason reason = held ? v1::REFERRAL_STATUS_REASON_CONSENT_WITHDRAWN : v1::REFERRAL_STATUS_REASON_NEED_RESOLVED;
    if (held && referral.sharing_basis().kind() == common::SHARING_BASIS_KIND_RECORDED_EXCEPTION) {
      reason = v1::REFERRAL_STATUS_REASON_EXCEPTION_LAPSED;
    }
    change_status(referral, v1::REFERRAL_STATUS_CANCELLED, reason, "", true, nullptr);
    release(referral);
  }
  for (auto& need : *state_.mutable_needs()) need.set_awaiting_consent(false);
  for (const HeldReferral& held : plan.held) {
    need_state(held.need).set_awaiting_consent(true);
    *need_state(held.need).mutable_rule() = held.rule;
  }
  // Planned needs without an open attempt: a first attempt, or a new one after consent returned.
  for (const PlannedReferral& planned : plan.referrals) {
    if (open_attempt(planned.need)) continue;
    const v1::Referral* latest = latest_attempt(planned.need);
    std::string previous;
    v1::ReferralStatusReason previous_reason = v1::REFERRAL_STATUS_REASON_UNSPECIFIED;
    if (latest) {
      if (!may_restart(*latest)) continue;  // done, or ended by the person's own choice
      previous = latest->referral_id();
      previous_reason = latest->status_reason();
      if (fresh_start(previous_reason)) {
        need_state(planned.need).set_escalation_level(v1::ESCALATION_LEVEL_UNSPECIFIED);
        need_state(planned.need).clear_tried_service_ids();
      } else if (need_state(planned.need).escalation_level() == v1::ESCALATION_LEVEL_NATIONAL_COORDINATOR) {
        continue;  // every provider and every coordination level was tried: it stays with them
      }
    }
    start_attempt(planned.need, planned, previous, previous_reason);
  }
  plan_handoff();
}

void CaseRouter::attach_evidence(const screening::ScreeningResult& result, const Sealer& seal) {
  for (auto& event : commit_.events) {
    if (!event.has_referral_requested()) continue;
    auto& requested = *event.mutable_referral_requested();
    v1::Referral* referral = find(requested.referral().referral_id());
    if (!referral) continue;
    v1::Referral evidence;
    evidence.set_referral_id(referral->referral_id());
    evidence.set_screening_result_id(result.result_id());
    for (const auto& recommendation : result.recommendations()) {
      if (recommendation.type() != referral->recommendation_type()) continue;
      *evidence.mutable_evidence_indicator_ids() = recommendation.evidence_indicator_ids();
    }
    const common::EncryptedSection section = seal(evidence);
    *state_.add_sealed() = section;
    *requested.add_sealed() = section;
  }
}

AnswerRefusal CaseRouter::answer(const std::string& referral_id, Answer answer, v1::ReferralStatusReason reason,
                                 const std::string& subject, const common::EncryptedSection* sealed_note) {
  v1::Referral* referral = find(referral_id);
  if (!referral) return {AnswerRefusal::Kind::not_found, "no referral " + referral_id};
  const v1::ReferralStatus status = referral->status();
  auto wrong_state = [&](const char* what) {
    return AnswerRefusal{AnswerRefusal::Kind::wrong_state,
                         std::string("cannot ") + what + " a referral that is " + v1::ReferralStatus_Name(status)};
  };
  switch (answer) {
    case Answer::acknowledge: {
      if (status != v1::REFERRAL_STATUS_REQUESTED) {
        return is_open(status) || status == v1::REFERRAL_STATUS_COMPLETED ? AnswerRefusal{} : wrong_state("acknowledge");
      }
      const auto spec = deadlines_of(*referral);
      clear_timers(*referral);  // the acknowledgement deadline and its reminders are met
      referral->mutable_deadlines()->clear_reminders();
      // The acceptance deadline runs from now; the status event carries it.
      schedule(*referral, v1::DEADLINE_KIND_ACCEPTANCE, spec.accept, spec.reminders);
      referral->set_overdue(false);
      change_status(*referral, v1::REFERRAL_STATUS_RECEIVED, v1::REFERRAL_STATUS_REASON_UNSPECIFIED, subject, false, nullptr);
      return {};
    }
    case Answer::accept:
      if (status == v1::REFERRAL_STATUS_ACCEPTED) return {};
      if (status != v1::REFERRAL_STATUS_REQUESTED && status != v1::REFERRAL_STATUS_RECEIVED) return wrong_state("accept");
      change_status(*referral, v1::REFERRAL_STATUS_ACCEPTED, v1::REFERRAL_STATUS_REASON_UNSPECIFIED, subject, false, sealed_note);
      return {};
    case Answer::reject:
      if (status == v1::REFERRAL_STATUS_REJECTED) return {};
      if (!is_rejection_reason(reason)) return {AnswerRefusal::Kind::bad_reason, "a rejection needs a rejection reason"};
      if (status != v1::REFERRAL_STATUS_REQUESTED && status != v1::REFERRAL_STATUS_RECEIVED) return wrong_state("reject");
      change_status(*referral, v1::REFERRAL_STATUS_REJECTED, reason, subject, false, sealed_note);
      release(*referral);
      if (!person_ended_it(*find(referral_id), reason)) move_on(*find(referral_id), reason);
      return {};
    case Answer::start:
      if (status == v1::REFERRAL_STATUS_IN_PROGRESS) return {};
      if (status != v1::REFERRAL_STATUS_ACCEPTED) return wrong_state("start");
      change_status(*referral, v1::REFERRAL_STATUS_IN_PROGRESS, v1::REFERRAL_STATUS_REASON_UNSPECIFIED, subject, false, sealed_note);
      return {};
    case Answer::complete:
      if (status == v1::REFERRAL_STATUS_COMPLETED) return {};
      if (status != v1::REFERRAL_STATUS_ACCEPTED && status != v1::REFERRAL_STATUS_IN_PROGRESS) return wrong_state("complete");
      change_status(*referral, v1::REFERRAL_STATUS_COMPLETED, v1::REFERRAL_STATUS_REASON_UNSPECIFIED, subject, false, sealed_note);
      release(*referral);
      return {};
    case Answer::fail:
      if (status == v1::REFERRAL_STATUS_FAILED) return {};
      if (!is_failure_reason(reason)) return {AnswerRefusal::Kind::bad_reason, "a failure needs a failure reason"};
      if (!is_open(status)) return wrong_state("fail");
      change_status(*referral, v1::REFERRAL_STATUS_FAILED, reason, subject, false, sealed_note);
      release(*referral);
      if (!person_ended_it(*find(referral_id), reason)) move_on(*find(referral_id), reason);
      return {};
  }
  return {};
}

void CaseRouter::fire(const std::string& member) {
  commit_.fired_deadline = member;
  const auto bar = member.find('|');
  if (bar == std::string::npos) return;
  if (const auto handoff_at = member.find("/handoff/"); handoff_at != std::string::npos && handoff_at < bar) {
    fire_handoff_timer(member.substr(handoff_at + 9, bar - handoff_at - 9));
    return;
  }
  if (member.find("/exception/") < bar) {
    reconcile();  // an exception lapsed: what it allowed stops now, not at the next case event
    return;
  }
  v1::Referral* referral = find(member.substr(0, bar));
  if (!referral || state_.erased()) return;
  const std::string tag = member.substr(bar + 1);
  const bool acknowledgement = tag.rfind("ack", 0) == 0;
  const v1::ReferralStatus awaited = acknowledgement ? v1::REFERRAL_STATUS_REQUESTED : v1::REFERRAL_STATUS_RECEIVED;
  if (referral->status() != awaited) return;  // answered in the meantime: the timer has nothing to do
  const auto reminder_at = tag.find("-reminder-");
  const v1::DeadlineKind kind = acknowledgement ? v1::DEADLINE_KIND_ACKNOWLEDGEMENT : v1::DEADLINE_KIND_ACCEPTANCE;
  if (reminder_at != std::string::npos) {
    auto& due = *emit({referral->service_id()}).mutable_referral_reminder_due();
    *due.mutable_referral() = info(*referral);
    due.set_deadline(kind);
    *due.mutable_deadline_at() = acknowledgement ? referral->deadlines().acknowledge_by() : referral->deadlines().accept_by();
    due.set_reminder_number(static_cast<std::uint32_t>(std::stoul(tag.substr(reminder_at + 10))));
    return;
  }
  const auto reason = acknowledgement ? v1::REFERRAL_STATUS_REASON_ACKNOWLEDGEMENT_DEADLINE_MISSED
                                      : v1::REFERRAL_STATUS_REASON_ACCEPTANCE_DEADLINE_MISSED;
  const std::string id = referral->referral_id();
  if (referral->kind() != v1::REFERRAL_KIND_SOP && !higher_contact_exists(*referral)) {
    // Nobody above the national coordinator: keep the escalation open and visibly overdue.
    const v1::Referral before = *referral;
    referral->set_overdue(true);
    referral->set_overdue_deadline(kind);
    index(before, *referral);
    return;
  }
  change_status(*referral, v1::REFERRAL_STATUS_CANCELLED, reason, "", true, nullptr);
  release(*referral);
  move_on(*find(id), reason);
}

void CaseRouter::apply_notification(const events::v1::NotificationEvent& event) {
  if (event.has_notification_acknowledged()) {
    const auto& acknowledged = event.notification_acknowledged();
    answer(acknowledged.delivery().referral_id(), Answer::acknowledge, v1::REFERRAL_STATUS_REASON_UNSPECIFIED,
           acknowledged.acknowledged_by_subject(), nullptr);
    return;
  }
  if (event.has_notification_failed()) {
    // Only the referral itself not reaching its provider ends the attempt; a reminder or a notice
    // that failed after the provider acknowledged changes nothing about who has the referral.
    const auto& delivery = event.notification_failed().delivery();
    v1::Referral* referral = find(delivery.referral_id());
    const bool the_referral = delivery.kind() == notification::v1::MESSAGE_KIND_REFERRAL_REQUEST ||
                              delivery.kind() == notification::v1::MESSAGE_KIND_ESCALATION;
    if (!referral || !the_referral || referral->status() != v1::REFERRAL_STATUS_REQUESTED ||
        (!delivery.recipient_id().empty() && delivery.recipient_id() != referral->service_id())) {
      return;
    }
    const std::string id = referral->referral_id();
    change_status(*referral, v1::REFERRAL_STATUS_CANCELLED, v1::REFERRAL_STATUS_REASON_UNDELIVERABLE, "", false, nullptr);
    release(*referral);
    move_on(*find(id), v1::REFERRAL_STATUS_REASON_UNDELIVERABLE);
  }
}

void CaseRouter::record_decision(const v1::Decision& decision, const common::EncryptedSection& sealed) {
  for (const auto& existing : state_.decisions()) {
    if (existing.decision_id() == decision.decision_id()) return;  // a retried request
  }
  *state_.add_decisions() = decision;
  *state_.add_sealed() = sealed;
  if (decision.has_exception_valid_until()) {
    commit_.add_deadlines.push_back({state_.case_id() + "/exception/" + decision.decision_id() + "|lapse",
                                     TimeUtil::TimestampToMilliseconds(decision.exception_valid_until())});
  }
  auto& recorded = *emit({}).mutable_decision_recorded();
  recorded.set_decision_id(decision.decision_id());
  recorded.set_type(decision.type());
  recorded.set_outcome(decision.outcome());
  recorded.set_decided_by_subject(decision.decided_by().subject());
  recorded.set_authority_organization_id(decision.authority_organization_id());
  *recorded.mutable_decided_at() = decision.decided_at();
  if (decision.has_reflection_period_start()) *recorded.mutable_reflection_period_start() = decision.reflection_period_start();
  if (decision.has_reflection_period_end()) *recorded.mutable_reflection_period_end() = decision.reflection_period_end();
  *recorded.mutable_exception_scopes() = decision.exception_scopes();
  *recorded.mutable_exception_data() = decision.exception_data();
  if (decision.has_exception_valid_until()) *recorded.mutable_exception_valid_until() = decision.exception_valid_until();
  recorded.set_referral_id(decision.referral_id());
  *recorded.add_sealed() = sealed;
  reconcile();  // an exception may allow a referral that was held
}

}  // namespace pact::routing
