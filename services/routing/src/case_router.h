#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "directory.h"
#include "handoff_policy.h"
#include "pact/routing/v1/handoff.pb.h"
#include "pact/events/v1/notification_events.pb.h"
#include "pact/events/v1/screening_events.pb.h"
#include "routing_store.h"
#include "sop_book.h"

namespace pact::routing {

// What a routing decision needs besides the case: the rules, the providers, the deadline profile.
struct RoutingContext {
  const SopBook& book;
  const Directory& directory;
  std::string profile;  // deadline profile ("standard", "demo")
  std::string hub;
  std::chrono::system_clock::time_point now;
  std::set<std::string> full_services;  // found full while committing: skip them this time
  const HandoffPolicy* handoffs = nullptr;  // peers for cross-border handoffs; none: no handoffs
};

// A provider's answer to a referral.
enum class Answer { acknowledge, accept, reject, start, complete, fail };

// Why an answer was refused; empty when it was applied (or already had been).
struct AnswerRefusal {
  enum class Kind { none, not_found, wrong_state, bad_reason } kind = Kind::none;
  std::string message;
};

// Decides one change of one case and collects what it writes (a CaseCommit): new referral
// attempts, status changes, capacity, timers, index entries and events. Plain logic over the
// state it is given — no I/O — so the same input gives the same commit, and the caller can redo it
// from fresh state when the compare-and-set loses a race or a provider turns out full.
class CaseRouter {
 public:
  // `cause_id` is the id of what caused the change (an upstream event, a request, a timer): event
  // ids derive from it, so redoing the change yields the same events.
  CaseRouter(RoutingContext& context, v1::CaseRoutingState state, std::string cause_id);

  // A screening event: the case's latest snapshot and assessment (or its erasure).
  void apply_assessment(const events::v1::ScreeningEvent& event);
  // Makes the referrals match what the SOP requires now (after an assessment or a decision).
  void reconcile();
  // Records, sealed under the case key, the screening evidence (indicator ids, personal) behind
  // each referral this change created, by the recommendation that triggered it, and the result id.
  using Sealer = std::function<common::EncryptedSection(const google::protobuf::Message&)>;
  void attach_evidence(const screening::ScreeningResult& result, const Sealer& seal);
  // A provider's answer; `sealed_note` carries the note under the case key, if there was one.
  AnswerRefusal answer(const std::string& referral_id, Answer answer, v1::ReferralStatusReason reason,
                       const std::string& subject, const common::EncryptedSection* sealed_note);
  // A timer came due.
  void fire(const std::string& deadline_member);
  // A delivery report from notification.
  void apply_notification(const events::v1::NotificationEvent& event);
  // A decision recorded by a named person (already validated), with its sealed reason.
  void record_decision(const v1::Decision& decision, const common::EncryptedSection& sealed);

  // Cross-border handoffs, sending side (case_router_handoff.cc). A case worker asks for one.
  AnswerRefusal request_transfer(common::Jurisdiction receiving, const std::string& subject);
  // The peer answered OfferHandoff (it has the offer, or had already answered it).
  void offer_delivered(const std::string& handoff_id, const v1::OfferHandoffResponse& response);
  // The peer could not be reached (or refused the call); the sender tries again later.
  void offer_failed(const std::string& handoff_id, const std::string& error);
  // The peer accepted or declined (its AnswerHandoff call, or the offer's response).
  AnswerRefusal handoff_answered(const v1::AnswerHandoffRequest& answer);
  // The peer confirmed it erased (or discarded) what it was handed.
  void handoff_erased(const std::string& handoff_id, const google::protobuf::Timestamp& erased_at);
  const v1::Handoff* handoff(const std::string& handoff_id) const;

  const v1::CaseRoutingState& state() const { return state_; }
  // What to write: the state as changed, with everything else the change collected.
  CaseCommit& commit() {
    commit_.state = state_;
    return commit_;
  }
  // The attempt a reject/fail moved the need on to, if any.
  const std::string& next_referral_id() const { return next_referral_id_; }

 private:
  v1::Referral* find(const std::string& referral_id);
  v1::Handoff* find_handoff(const std::string& handoff_id);
  void plan_handoff();
  void start_handoff(common::Jurisdiction receiving, v1::HandoffReason reason);
  void refer_transnational(v1::EscalationReason reason, const std::string& handoff_id);
  void fire_handoff_timer(const std::string& handoff_id);
  void erase_handoffs();
  v1::NeedState& need_state(common::NeedType need);
  v1::Referral* open_attempt(common::NeedType need);
  v1::Referral* latest_attempt(common::NeedType need);

  // Creates the next attempt for the plan's need at the best provider left, or escalates.
  void start_attempt(common::NeedType need, const struct PlannedReferral& planned, const std::string& previous_id,
                     v1::ReferralStatusReason previous_reason);
  void escalate(common::NeedType need, const v1::Referral* last, v1::EscalationReason reason);
  // Whether an escalation that misses its deadline can go one level up.
  bool higher_contact_exists(const v1::Referral& escalation) const;
  v1::Referral& add_attempt(common::NeedType need, const v1::Service& service, v1::ReferralKind kind);
  void schedule(v1::Referral& referral, v1::DeadlineKind kind, std::chrono::seconds after,
                const std::vector<std::chrono::seconds>& reminders);
  void clear_timers(const v1::Referral& referral);
  void change_status(v1::Referral& referral, v1::ReferralStatus to, v1::ReferralStatusReason reason,
                     const std::string& subject, bool tell_provider, const common::EncryptedSection* sealed_note);
  // After an attempt ended without the service: the next provider, or escalation.
  void move_on(v1::Referral& ended, v1::ReferralStatusReason reason);
  void release(const v1::Referral& referral);
  void index(const v1::Referral& before, const v1::Referral& after);
  void index_new(const v1::Referral& referral);
  events::v1::ReferralEvent& emit(std::initializer_list<std::string> recipients);
  events::v1::ReferralInfo info(const v1::Referral& referral) const;
  const DeadlineSpec& deadlines_of(const v1::Referral& referral) const;

  RoutingContext& context_;
  v1::CaseRoutingState state_;
  std::string cause_id_;
  CaseCommit commit_;
  std::uint32_t event_position_ = 0;
  std::string next_referral_id_;
};

// Open attempts still wait for or receive the service.
bool is_open(v1::ReferralStatus status);
std::string referral_id_of(const std::string& case_id, common::NeedType need, std::uint32_t attempt);

}  // namespace pact::routing
