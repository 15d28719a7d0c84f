#include "recommendation_rules.h"

namespace pact::screening {

void recommend(const RecommendationFacts& facts, std::vector<RecommendationEntry>& out) {
  out.clear();
  const bool danger = (facts.flags & kImmediateDanger) != 0;
  if ((facts.flags & kUrgentMedical) != 0) {
    out.push_back({v1::RECOMMENDATION_TYPE_URGENT_MEDICAL_CARE, SafetyRule::urgent_medical_first});
  }
  if (danger) out.push_back({v1::RECOMMENDATION_TYPE_IMMEDIATE_SAFETY, SafetyRule::danger_refers});
  if ((facts.flags & kPresumedChild) != 0) {
    out.push_back({v1::RECOMMENDATION_TYPE_CHILD_PROTECTION_AND_GUARDIAN, SafetyRule::child_protection_always});
  }
  // OSCE frontline sequence: an interpreter when needed, then the person is told about assistance
  // and their rights, before any referral to identification or assessment.
  const bool refers = facts.combination_met || facts.any_strong || danger || facts.catalogue_asks_further_assessment;
  if ((facts.flags & kLanguageBarrier) != 0) {
    out.push_back({v1::RECOMMENDATION_TYPE_INTERPRETATION, SafetyRule::language_barrier_interpreter});
  }
  if (facts.any_observed || refers || !out.empty()) {
    out.push_back({v1::RECOMMENDATION_TYPE_INFORM_ABOUT_RIGHTS_AND_ASSISTANCE, SafetyRule::inform_before_referral});
  }
  if (facts.combination_met) {
    out.push_back({v1::RECOMMENDATION_TYPE_REFER_FOR_FORMAL_IDENTIFICATION, SafetyRule::none});
  } else if (facts.any_strong) {
    out.push_back({v1::RECOMMENDATION_TYPE_ASSISTANCE_AND_FURTHER_ASSESSMENT, SafetyRule::strong_indicator_refers});
  } else if (danger) {
    out.push_back({v1::RECOMMENDATION_TYPE_ASSISTANCE_AND_FURTHER_ASSESSMENT, SafetyRule::danger_refers});
  } else if (facts.catalogue_asks_further_assessment) {
    out.push_back({v1::RECOMMENDATION_TYPE_ASSISTANCE_AND_FURTHER_ASSESSMENT, SafetyRule::none});
  }
}

}  // namespace pact::screening
