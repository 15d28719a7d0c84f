#include "case_facts.h"

#include <google/protobuf/util/time_util.h>

namespace pact::routing {

bool CaseFacts::has_flag(const std::string& name) const {
  if (name == "presumed_child") return flags.presumed_child();
  if (name == "unaccompanied_or_separated") return flags.unaccompanied_or_separated();
  if (name == "urgent_medical") return flags.urgent_medical();
  if (name == "immediate_danger") return flags.immediate_danger();
  if (name == "language_barrier") return flags.language_barrier();
  return false;
}

bool CaseFacts::has_exception(v1::DecisionType type) const {
  for (const auto& exception : exceptions) {
    if (exception.type == type) return true;
  }
  return false;
}

const ExceptionInForce* CaseFacts::exception_covering(common::ConsentScope scope) const {
  for (const auto& exception : exceptions) {
    // A child protection exception stands in for consent only while the person is a presumed child.
    if (exception.type == v1::DECISION_TYPE_CHILD_PROTECTION_EXCEPTION && !presumed_child()) continue;
    if (exception.scopes.count(scope)) return &exception;
  }
  return nullptr;
}

CaseFacts facts_of(const v1::CaseRoutingState& state, std::chrono::system_clock::time_point now) {
  using google::protobuf::util::TimeUtil;
  CaseFacts facts;
  const auto& summary = state.summary();
  facts.jurisdiction = summary.jurisdiction();
  facts.level = state.level();
  for (int recommendation : state.recommendations()) {
    facts.recommendations.insert(static_cast<screening::RecommendationType>(recommendation));
  }
  facts.flags = state.flags();
  // Flags the reporter raised count even before screening concluded them: a child stays a child.
  const auto& reported = summary.reported_flags();
  if (reported.presumed_child()) facts.flags.set_presumed_child(true);
  if (reported.unaccompanied_or_separated()) facts.flags.set_unaccompanied_or_separated(true);
  if (reported.urgent_medical()) facts.flags.set_urgent_medical(true);
  if (reported.immediate_danger()) facts.flags.set_immediate_danger(true);
  if (reported.language_barrier()) facts.flags.set_language_barrier(true);
  for (int need : summary.need_types()) facts.needs.insert(static_cast<common::NeedType>(need));
  for (int scope : summary.consent_scopes()) facts.consent.insert(static_cast<common::ConsentScope>(scope));
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  for (const v1::Decision& decision : state.decisions()) {
    if (decision.outcome() != v1::DECISION_OUTCOME_POSITIVE) continue;
    switch (decision.type()) {
      case v1::DECISION_TYPE_REASONABLE_GROUNDS: facts.reasonable_grounds = true; break;
      case v1::DECISION_TYPE_FORMAL_IDENTIFICATION: facts.formal_identification = true; break;
      case v1::DECISION_TYPE_RISK_TO_LIFE_EXCEPTION:
      case v1::DECISION_TYPE_CHILD_PROTECTION_EXCEPTION: {
        if (decision.has_exception_valid_until() && TimeUtil::TimestampToMilliseconds(decision.exception_valid_until()) <= now_ms) {
          break;  // expired: an exception holds only as long as the person who recorded it said
        }
        ExceptionInForce exception{decision.decision_id(), decision.type(), {}, {}};
        for (int scope : decision.exception_scopes()) exception.scopes.insert(static_cast<common::ConsentScope>(scope));
        for (int category : decision.exception_data()) exception.data.push_back(static_cast<common::DataCategory>(category));
        facts.exceptions.push_back(std::move(exception));
        break;
      }
      default: break;
    }
  }
  return facts;
}

}  // namespace pact::routing
