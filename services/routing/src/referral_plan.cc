#include "referral_plan.h"

#include <algorithm>

#include "safety_net.h"
#include "sharing_gate.h"

namespace pact::routing {
namespace {

template <typename T>
bool any_in(const std::vector<T>& wanted, const std::set<T>& present) {
  return std::any_of(wanted.begin(), wanted.end(), [&](const T& value) { return present.count(value) > 0; });
}

bool decision_holds(DecisionCondition decision, const CaseFacts& facts) {
  switch (decision) {
    case DecisionCondition::reasonable_grounds: return facts.reasonable_grounds;
    case DecisionCondition::formal_identification: return facts.formal_identification;
    case DecisionCondition::risk_to_life_exception: return facts.has_exception(v1::DECISION_TYPE_RISK_TO_LIFE_EXCEPTION);
    case DecisionCondition::child_protection_exception:
      return facts.has_exception(v1::DECISION_TYPE_CHILD_PROTECTION_EXCEPTION);
  }
  return false;
}

// Whether one alternative holds, and the recommendation it matched (if it named any).
bool holds(const Condition& condition, const CaseFacts& facts, screening::RecommendationType& matched) {
  if (!condition.levels.empty() &&
      std::find(condition.levels.begin(), condition.levels.end(), facts.level) == condition.levels.end()) {
    return false;
  }
  if (!condition.recommendations.empty()) {
    auto found = std::find_if(condition.recommendations.begin(), condition.recommendations.end(),
                              [&](auto type) { return facts.recommendations.count(type) > 0; });
    if (found == condition.recommendations.end()) return false;
    matched = *found;
  }
  if (!condition.flags.empty() &&
      std::none_of(condition.flags.begin(), condition.flags.end(), [&](const std::string& f) { return facts.has_flag(f); })) {
    return false;
  }
  if (!condition.needs.empty() && !any_in(condition.needs, facts.needs)) return false;
  if (condition.age == AgeCondition::child && !facts.presumed_child()) return false;
  if (condition.age == AgeCondition::adult && facts.presumed_child()) return false;
  if (!std::all_of(condition.consent.begin(), condition.consent.end(), [&](auto scope) { return facts.consent.count(scope) > 0; })) {
    return false;
  }
  if (!condition.jurisdictions.empty() &&
      std::find(condition.jurisdictions.begin(), condition.jurisdictions.end(), facts.jurisdiction) == condition.jurisdictions.end()) {
    return false;
  }
  if (!condition.decisions.empty() &&
      std::none_of(condition.decisions.begin(), condition.decisions.end(), [&](auto d) { return decision_holds(d, facts); })) {
    return false;
  }
  return true;
}

v1::SopRuleRef rule_ref(const EffectiveRule& effective) {
  v1::SopRuleRef ref;
  ref.set_sop_id(effective.sop->id);
  ref.set_sop_version(effective.sop->version);
  ref.set_rule_id(effective.rule->id);
  ref.set_rule_version(std::to_string(effective.rule->version));
  return ref;
}

}  // namespace

ReferralPlan plan_referrals(const SopBook& book, const CaseFacts& facts, const std::string& profile) {
  ReferralPlan plan;
  for (const EffectiveRule& effective : book.rules_for(facts.jurisdiction)) {
    screening::RecommendationType matched = screening::RECOMMENDATION_TYPE_UNSPECIFIED;
    bool applies = false;
    for (const Condition& condition : effective.rule->when) {
      if (holds(condition, facts, matched)) {
        applies = true;
        break;
      }
    }
    if (!applies) continue;
    for (const ReferralTemplate& referral : effective.rule->refer) {
      // One referral per need: the highest priority wins, then the earlier rule.
      auto existing = std::find_if(plan.referrals.begin(), plan.referrals.end(),
                                   [&](const PlannedReferral& planned) { return planned.need == referral.need; });
      if (existing != plan.referrals.end() && existing->priority >= referral.priority) continue;
      auto sharing = sharing_for(referral.service, referral.consent, referral.share, facts);
      if (!sharing) {
        const bool already_held = std::any_of(plan.held.begin(), plan.held.end(), [&](const HeldReferral& h) { return h.need == referral.need; });
        if (existing == plan.referrals.end() && !already_held) {
          plan.held.push_back({referral.need, referral.service,
                               referral.consent.value_or(common::CONSENT_SCOPE_POLICE), rule_ref(effective)});
        }
        continue;
      }
      PlannedReferral planned;
      planned.need = referral.need;
      planned.service = referral.service;
      planned.priority = referral.priority;
      planned.deadlines = book.deadlines(facts.jurisdiction, referral.deadline_class, profile);
      planned.rule = rule_ref(effective);
      planned.recommendation = matched;
      planned.basis = sharing->basis;
      planned.shared = sharing->shared;
      std::erase_if(plan.held, [&](const HeldReferral& held) { return held.need == referral.need; });
      if (existing != plan.referrals.end()) *existing = std::move(planned);
      else plan.referrals.push_back(std::move(planned));
    }
  }
  apply_safety_net(facts, book.deadlines(facts.jurisdiction, "immediate", profile), plan);
  // One referral per kind of service: two needs one shelter meets are one bed, not two (the first,
  // most urgent, carries them both).
  std::set<v1::ServiceType> seen;
  std::erase_if(plan.referrals, [&](const PlannedReferral& referral) { return !seen.insert(referral.service).second; });
  return plan;
}

}  // namespace pact::routing
