// CaseRouter's cross-border handoffs, sending side: when a person moves on to a jurisdiction
// another hub serves, a handoff is recorded here and a HandoffSender delivers it; answers, outages,
// declines and erasure come back through these methods. A destination no hub serves becomes a
// transnational referral to the national coordinator.
#include <algorithm>

#include <google/protobuf/util/time_util.h>

#include "case_facts.h"
#include "case_router.h"
#include "handoff_offer.h"
#include "ids/ids.h"
#include "provider_selection.h"
#include "vocabulary.h"

namespace pact::routing {
namespace {

using google::protobuf::util::TimeUtil;

std::int64_t ms(std::chrono::system_clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

bool settled(v1::HandoffStatus status) {
  return status == v1::HANDOFF_STATUS_DECLINED || status == v1::HANDOFF_STATUS_WITHDRAWN || status == v1::HANDOFF_STATUS_ERASED;
}

std::string pending_member(const std::string& case_id, const std::string& handoff_id) { return case_id + "|" + handoff_id; }

}  // namespace

const v1::Handoff* CaseRouter::handoff(const std::string& handoff_id) const {
  for (const auto& handoff : state_.handoffs()) {
    if (handoff.handoff_id() == handoff_id) return &handoff;
  }
  return nullptr;
}

v1::Handoff* CaseRouter::find_handoff(const std::string& handoff_id) {
  for (auto& handoff : *state_.mutable_handoffs()) {
    if (handoff.handoff_id() == handoff_id) return &handoff;
  }
  return nullptr;
}

void CaseRouter::plan_handoff() {
  if (!context_.handoffs || state_.erased()) return;
  const auto& summary = state_.summary();
  const common::Jurisdiction destination = summary.next_destination_jurisdiction();
  if (destination == common::JURISDICTION_UNSPECIFIED || destination == summary.jurisdiction()) return;
  if (context_.handoffs->serves(destination)) return;  // moving within this hub's area is no handoff
  start_handoff(destination, v1::HANDOFF_REASON_NEXT_DESTINATION);
}

AnswerRefusal CaseRouter::request_transfer(common::Jurisdiction receiving, const std::string& subject) {
  if (state_.erased()) return {AnswerRefusal::Kind::wrong_state, "the case was erased"};
  if (!context_.handoffs || receiving == state_.summary().jurisdiction() || context_.handoffs->serves(receiving)) {
    return {AnswerRefusal::Kind::bad_reason, "this hub serves that jurisdiction itself: no handoff needed"};
  }
  (void)subject;  // recorded with the request's audit log line by the caller
  const CaseFacts facts = facts_of(state_, context_.now);
  const bool basis = facts.consent.count(common::CONSENT_SCOPE_CROSS_BORDER) > 0 ||
                     facts.exception_covering(common::CONSENT_SCOPE_CROSS_BORDER) != nullptr;
  if (!basis && context_.handoffs->peer_for(receiving)) {
    return {AnswerRefusal::Kind::wrong_state, "no cross-border consent and no recorded exception: nothing can be handed over"};
  }
  start_handoff(receiving, v1::HANDOFF_REASON_TRANSFER_REQUESTED);
  return {};
}

void CaseRouter::start_handoff(common::Jurisdiction receiving, v1::HandoffReason reason) {
  const std::string handoff_id =
      ids::content_id("hof", {context_.hub, state_.case_id(), vocabulary::jurisdiction_name(receiving)});
  if (const v1::Handoff* existing = handoff(handoff_id); existing && !settled(existing->status())) return;
  const PeerHub* peer = context_.handoffs->peer_for(receiving);
  if (!peer) {
    // No hub serves it (another country, or a MARRI participant without a hub yet): the national
    // coordinator arranges it by other means, recorded as a transnational referral.
    refer_transnational(v1::ESCALATION_REASON_NO_PEER_HUB, "");
    return;
  }
  if (handoff(handoff_id)) return;  // declined or withdrawn before: escalated then, not offered again
  const CaseFacts facts = facts_of(state_, context_.now);
  common::SharingBasis basis;
  if (facts.consent.count(common::CONSENT_SCOPE_CROSS_BORDER)) {
    basis.set_kind(common::SHARING_BASIS_KIND_CONSENT);
    basis.add_consent_scopes(common::CONSENT_SCOPE_CROSS_BORDER);
  } else if (const auto* exception = facts.exception_covering(common::CONSENT_SCOPE_CROSS_BORDER)) {
    basis.set_kind(common::SHARING_BASIS_KIND_RECORDED_EXCEPTION);
    basis.set_decision_id(exception->decision_id);
  } else {
    state_.set_handoff_awaiting_consent(receiving);  // a later consent or exception brings it
    return;
  }
  state_.set_handoff_awaiting_consent(common::JURISDICTION_UNSPECIFIED);
  v1::Handoff& handoff = *state_.add_handoffs();
  handoff.set_handoff_id(handoff_id);
  handoff.set_direction(v1::HANDOFF_DIRECTION_OUTGOING);
  handoff.set_status(v1::HANDOFF_STATUS_PENDING);
  handoff.set_sending_hub(context_.hub);
  handoff.set_sending_jurisdiction(state_.summary().jurisdiction());
  handoff.set_sending_case_id(state_.case_id());
  handoff.set_receiving_hub(peer->hub);
  handoff.set_receiving_jurisdiction(receiving);
  handoff.set_reason(reason);
  *handoff.mutable_sharing_basis() = basis;
  for (auto category : context_.handoffs->shared_data) {
    // An exception allows only the data its decision names.
    if (basis.kind() == common::SHARING_BASIS_KIND_RECORDED_EXCEPTION) {
      const auto* exception = facts.exception_covering(common::CONSENT_SCOPE_CROSS_BORDER);
      if (std::find(exception->data.begin(), exception->data.end(), category) == exception->data.end()) continue;
    }
    handoff.add_shared_data(category);
  }
  *handoff.mutable_offered_at() = TimeUtil::MillisecondsToTimestamp(ms(context_.now));
  handoff.set_exercise(state_.exercise());
  commit_.index_add.push_back({"handoffs-pending", pending_member(state_.case_id(), handoff_id)});
  commit_.index_add.push_back({"handoff:" + handoff_id, state_.case_id()});
  commit_.add_deadlines.push_back({state_.case_id() + "/handoff/" + handoff_id + "|answer",
                                   ms(context_.now + context_.handoffs->answer_timeout)});
}

void CaseRouter::refer_transnational(v1::EscalationReason reason, const std::string& handoff_id) {
  const common::NeedType need = common::NEED_TYPE_TRANSNATIONAL_REFERRAL;
  if (open_attempt(need)) return;
  const v1::Service* coordinator =
      coordination_contact(context_.directory, v1::SERVICE_TYPE_NATIONAL_COORDINATOR, state_.summary().jurisdiction());
  if (!coordinator) return;  // the directory lacks the contact; --check of the directory reports it
  v1::Referral& referral = add_attempt(need, *coordinator, v1::REFERRAL_KIND_TRANSNATIONAL);
  referral.set_priority(v1::REFERRAL_PRIORITY_URGENT);
  referral.set_escalation_level(v1::ESCALATION_LEVEL_NATIONAL_COORDINATOR);
  referral.set_escalation_reason(reason);
  referral.set_handoff_id(handoff_id);
  referral.mutable_sharing_basis()->set_kind(common::SHARING_BASIS_KIND_NO_PERSONAL_DATA);
  need_state(need).set_escalation_level(v1::ESCALATION_LEVEL_NATIONAL_COORDINATOR);
  const DeadlineSpec& spec = context_.book.escalation_deadlines(state_.summary().jurisdiction(), context_.profile);
  schedule(referral, v1::DEADLINE_KIND_ACKNOWLEDGEMENT, spec.acknowledge, spec.reminders);
  *referral.mutable_deadlines()->mutable_accept_by() =
      TimeUtil::MillisecondsToTimestamp(ms(context_.now + spec.acknowledge + spec.accept));
  index_new(referral);
  auto& escalated = *emit({coordinator->service_id()}).mutable_referral_escalated();
  *escalated.mutable_escalation() = info(referral);
  escalated.set_level(v1::ESCALATION_LEVEL_NATIONAL_COORDINATOR);
  escalated.set_reason(reason);
  escalated.set_handoff_id(handoff_id);
  *escalated.mutable_deadlines() = referral.deadlines();
  *escalated.mutable_case_summary() = state_.summary();
  if (v1::Handoff* sent = find_handoff(handoff_id)) sent->set_escalation_referral_id(referral.referral_id());
}

void CaseRouter::offer_delivered(const std::string& handoff_id, const v1::OfferHandoffResponse& response) {
  v1::Handoff* sent = find_handoff(handoff_id);
  if (!sent || sent->status() != v1::HANDOFF_STATUS_PENDING) return;
  sent->set_offer_attempts(sent->offer_attempts() + 1);
  sent->clear_last_error();
  sent->set_status(v1::HANDOFF_STATUS_OFFERED);
  commit_.index_remove.push_back({"handoffs-pending", pending_member(state_.case_id(), handoff_id)});
  auto& offered = *emit({}).mutable_handoff_offered();
  *offered.mutable_handoff() = handoff_info_of(*sent);
  offered.set_offer_attempts(sent->offer_attempts());
  // A retried offer the peer had already answered carries the answer.
  if (response.status() == v1::HANDOFF_STATUS_ACCEPTED || response.status() == v1::HANDOFF_STATUS_DECLINED) {
    v1::AnswerHandoffRequest answer;
    answer.set_handoff_id(handoff_id);
    if (response.status() == v1::HANDOFF_STATUS_ACCEPTED) {
      answer.mutable_accepted()->set_receiving_hub(sent->receiving_hub());
      answer.mutable_accepted()->set_receiving_case_id(response.receiving_case_id());
    } else {
      answer.mutable_declined()->set_reason(v1::HANDOFF_DECLINE_REASON_OTHER);
      answer.mutable_declined()->set_note("declined by the receiving hub");
    }
    *answer.mutable_answered_at() = TimeUtil::MillisecondsToTimestamp(ms(context_.now));
    handoff_answered(answer);
  }
}

void CaseRouter::offer_failed(const std::string& handoff_id, const std::string& error) {
  v1::Handoff* sent = find_handoff(handoff_id);
  if (!sent || sent->status() != v1::HANDOFF_STATUS_PENDING) return;
  sent->set_offer_attempts(sent->offer_attempts() + 1);
  sent->set_last_error(error);
}

AnswerRefusal CaseRouter::handoff_answered(const v1::AnswerHandoffRequest& answer) {
  v1::Handoff* sent = find_handoff(answer.handoff_id());
  if (!sent) return {AnswerRefusal::Kind::not_found, "no handoff " + answer.handoff_id()};
  const bool accepted = answer.has_accepted();
  if (sent->status() == v1::HANDOFF_STATUS_ACCEPTED && accepted) return {};  // a retried answer
  if (sent->status() == v1::HANDOFF_STATUS_DECLINED && !accepted) return {};
  if (sent->status() != v1::HANDOFF_STATUS_PENDING && sent->status() != v1::HANDOFF_STATUS_OFFERED) {
    return {AnswerRefusal::Kind::wrong_state, "the handoff is " + v1::HandoffStatus_Name(sent->status())};
  }
  if (sent->status() == v1::HANDOFF_STATUS_PENDING) {
    commit_.index_remove.push_back({"handoffs-pending", pending_member(state_.case_id(), sent->handoff_id())});
  }
  commit_.remove_deadlines.push_back(state_.case_id() + "/handoff/" + sent->handoff_id() + "|answer");
  *sent->mutable_answered_at() = answer.has_answered_at() ? answer.answered_at() : TimeUtil::MillisecondsToTimestamp(ms(context_.now));
  const std::string handoff_id = sent->handoff_id();
  if (accepted) {
    sent->set_status(v1::HANDOFF_STATUS_ACCEPTED);
    sent->set_receiving_case_id(answer.accepted().receiving_case_id());
    *emit({}).mutable_handoff_accepted()->mutable_handoff() = handoff_info_of(*sent);
    // The receiving hub refers there now; this hub's open referrals are moot.
    for (auto& referral : *state_.mutable_referrals()) {
      if (!is_open(referral.status()) || referral.kind() != v1::REFERRAL_KIND_SOP) continue;
      change_status(referral, v1::REFERRAL_STATUS_CANCELLED, v1::REFERRAL_STATUS_REASON_HANDED_OVER, "", true, nullptr);
      release(referral);
    }
    return {};
  }
  sent->set_status(v1::HANDOFF_STATUS_DECLINED);
  *sent->mutable_decline() = answer.declined();
  auto& declined = *emit({}).mutable_handoff_declined();
  *declined.mutable_handoff() = handoff_info_of(*find_handoff(handoff_id));
  declined.set_reason(answer.declined().reason());
  // The note is personal free text: it stays out of the event (the Handoff record keeps it).
  find_handoff(handoff_id)->mutable_decline()->clear_note();
  refer_transnational(v1::ESCALATION_REASON_HANDOFF_DECLINED, handoff_id);
  return {};
}

void CaseRouter::fire_handoff_timer(const std::string& handoff_id) {
  const v1::Handoff* sent = handoff(handoff_id);
  if (!sent || (sent->status() != v1::HANDOFF_STATUS_PENDING && sent->status() != v1::HANDOFF_STATUS_OFFERED)) return;
  // Never answered (the peer may be down for good): the national coordinator takes it up. The
  // offer stays open, so a late acceptance still links the cases.
  refer_transnational(v1::ESCALATION_REASON_HANDOFF_UNANSWERED, handoff_id);
}

void CaseRouter::erase_handoffs() {
  for (auto& sent : *state_.mutable_handoffs()) {
    const std::string member = pending_member(state_.case_id(), sent.handoff_id());
    commit_.remove_deadlines.push_back(state_.case_id() + "/handoff/" + sent.handoff_id() + "|answer");
    if (sent.status() == v1::HANDOFF_STATUS_PENDING) {
      // Never reached the peer: nothing to erase there.
      sent.set_status(v1::HANDOFF_STATUS_WITHDRAWN);
      commit_.index_remove.push_back({"handoffs-pending", member});
    } else if (sent.status() == v1::HANDOFF_STATUS_OFFERED || sent.status() == v1::HANDOFF_STATUS_ACCEPTED) {
      commit_.index_add.push_back({"handoffs-erase", member});
    }
  }
}

void CaseRouter::handoff_erased(const std::string& handoff_id, const google::protobuf::Timestamp& erased_at) {
  v1::Handoff* sent = find_handoff(handoff_id);
  if (!sent || sent->status() == v1::HANDOFF_STATUS_ERASED || sent->status() == v1::HANDOFF_STATUS_WITHDRAWN) return;
  sent->set_status(sent->status() == v1::HANDOFF_STATUS_ACCEPTED ? v1::HANDOFF_STATUS_ERASED : v1::HANDOFF_STATUS_WITHDRAWN);
  *sent->mutable_erased_at() = erased_at;
  commit_.index_remove.push_back({"handoffs-erase", pending_member(state_.case_id(), handoff_id)});
  auto& erased = *emit({}).mutable_handoff_erased();
  *erased.mutable_handoff() = handoff_info_of(*sent);
  erased.set_reason(common::ERASURE_REASON_ERASED_AT_SENDING_HUB);
  *erased.mutable_erased_at() = erased_at;
}

}  // namespace pact::routing
