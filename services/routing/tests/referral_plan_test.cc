#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include <google/protobuf/util/time_util.h>

#include "case_facts.h"
#include "referral_plan.h"
#include "routing_fixture.h"

namespace pact::routing {
namespace {

// Facts as plan_referrals sees them, built the way routing builds them (from a state).
CaseFacts facts(const testing::CaseSpec& spec, std::vector<v1::Decision> decisions = {}) {
  v1::CaseRoutingState state;
  const auto event = testing::assessment(spec);
  *state.mutable_summary() = event.assessment_completed().snapshot().summary();
  state.set_level(spec.level);
  for (auto r : spec.recommendations) state.add_recommendations(r);
  *state.mutable_flags() = spec.flags;
  for (auto& decision : decisions) *state.add_decisions() = decision;
  return facts_of(state, testing::monday_morning());
}

ReferralPlan plan(const testing::CaseSpec& spec, std::vector<v1::Decision> decisions = {}) {
  return plan_referrals(testing::repository_sop(), facts(spec, std::move(decisions)), "standard");
}

const PlannedReferral* find(const ReferralPlan&& plan, v1::ServiceType service) = delete;  // would dangle
const PlannedReferral* find(const ReferralPlan& plan, v1::ServiceType service) {
  for (const auto& referral : plan.referrals) {
    if (referral.service == service) return &referral;
  }
  return nullptr;
}

bool held(const ReferralPlan& plan, common::NeedType need) {
  for (const auto& entry : plan.held) {
    if (entry.need == need) return true;
  }
  return false;
}

screening::Flags flags(bool child, bool unaccompanied, bool medical, bool danger) {
  screening::Flags out;
  out.set_presumed_child(child);
  out.set_unaccompanied_or_separated(unaccompanied);
  out.set_urgent_medical(medical);
  out.set_immediate_danger(danger);
  return out;
}

v1::Decision exception(v1::DecisionType type, common::ConsentScope scope) {
  v1::Decision decision;
  decision.set_decision_id("dec-1");
  decision.set_type(type);
  decision.set_outcome(v1::DECISION_OUTCOME_POSITIVE);
  decision.add_exception_scopes(scope);
  decision.add_exception_data(common::DATA_CATEGORY_IDENTITY);
  *decision.mutable_exception_valid_until() = google::protobuf::util::TimeUtil::MillisecondsToTimestamp(
      std::chrono::duration_cast<std::chrono::milliseconds>((testing::monday_morning() + std::chrono::hours(24)).time_since_epoch()).count());
  return decision;
}

TEST(ReferralPlan, UrgentMedicalCareComesFirstAtStat) {
  testing::CaseSpec spec;
  spec.flags = flags(true, true, true, false);
  spec.needs = {common::NEED_TYPE_SHELTER};
  spec.consent = {common::CONSENT_SCOPE_SERVICES};
  const ReferralPlan result = plan(spec);
  ASSERT_FALSE(result.referrals.empty());
  EXPECT_EQ(result.referrals.front().service, v1::SERVICE_TYPE_EMERGENCY_MEDICAL_CARE);
  EXPECT_EQ(result.referrals.front().priority, v1::REFERRAL_PRIORITY_STAT);
  EXPECT_EQ(result.referrals.front().rule.rule_id(), "urgent-medical-care");
  EXPECT_EQ(result.referrals.front().rule.sop_id(), "marri-emergency");
}

TEST(ReferralPlan, APresumedChildGetsChildProtectionWithoutConsentAndAGuardianWhenUnaccompanied) {
  testing::CaseSpec spec;
  spec.age = 16;
  spec.flags = flags(true, true, false, false);
  const ReferralPlan result = plan(spec);
  const auto* protection = find(result, v1::SERVICE_TYPE_CHILD_PROTECTION);
  ASSERT_NE(protection, nullptr);
  EXPECT_EQ(protection->basis.kind(), common::SHARING_BASIS_KIND_CHILD_PROTECTION_LAW);
  EXPECT_FALSE(protection->shared.empty());
  const auto* guardian = find(result, v1::SERVICE_TYPE_GUARDIANSHIP);
  ASSERT_NE(guardian, nullptr);
  EXPECT_EQ(guardian->need, common::NEED_TYPE_GUARDIAN);
}

TEST(ReferralPlan, TheSafetyNetHoldsWhenNoRuleSaysSo) {
  // A jurisdiction's SOP that forgot children entirely still protects them.
  const SopFile regional = parse_sop(R"(sop: bare
version: "1"
applies_to: regional
profiles: [standard]
deadline_classes:
  immediate:
    standard: {acknowledge: 30m, accept: 2h}
escalation: {deadlines: immediate}
rules:
  - id: shelter
    version: 1
    when: {needs: [shelter]}
    refer: [{need: shelter, service: safe_accommodation, priority: routine, deadlines: immediate, consent: services}]
)",
                                     "bare.yaml");
  const SopBook book = SopBook::build({regional});
  testing::CaseSpec spec;
  spec.flags = flags(true, true, true, false);
  const ReferralPlan result = plan_referrals(book, facts(spec), "standard");
  ASSERT_EQ(result.referrals.size(), 3U);
  EXPECT_EQ(result.referrals[0].service, v1::SERVICE_TYPE_EMERGENCY_MEDICAL_CARE);
  EXPECT_EQ(result.referrals[0].safety_rule, "urgent-medical-care-first");
  EXPECT_NE(find(result, v1::SERVICE_TYPE_CHILD_PROTECTION), nullptr);
  EXPECT_NE(find(result, v1::SERVICE_TYPE_GUARDIANSHIP), nullptr);
}

TEST(ReferralPlan, FormalIdentificationWaitsForIdentificationConsent) {
  testing::CaseSpec spec;
  spec.level = screening::LEVEL_COMBINATION_MET;
  spec.recommendations = {screening::RECOMMENDATION_TYPE_REFER_FOR_FORMAL_IDENTIFICATION};
  const ReferralPlan without = plan(spec);
  EXPECT_EQ(find(without, v1::SERVICE_TYPE_FORMAL_IDENTIFICATION_AUTHORITY), nullptr);
  EXPECT_TRUE(held(without, common::NEED_TYPE_FORMAL_IDENTIFICATION));
  spec.consent = {common::CONSENT_SCOPE_IDENTIFICATION};
  const ReferralPlan with = plan(spec);
  const auto* identification = find(with, v1::SERVICE_TYPE_FORMAL_IDENTIFICATION_AUTHORITY);
  ASSERT_NE(identification, nullptr);
  EXPECT_EQ(identification->basis.kind(), common::SHARING_BASIS_KIND_CONSENT);
  EXPECT_EQ(identification->rule.sop_id(), "rs-emergency");  // Serbia's override for adults
}

TEST(ReferralPlan, NobodyIsSentToThePoliceOnAFlagOrAnAssessment) {
  testing::CaseSpec spec;
  spec.level = screening::LEVEL_COMBINATION_MET;
  spec.flags = flags(false, false, false, true);
  spec.recommendations = {screening::RECOMMENDATION_TYPE_IMMEDIATE_SAFETY, screening::RECOMMENDATION_TYPE_REFER_FOR_FORMAL_IDENTIFICATION};
  spec.consent = {common::CONSENT_SCOPE_SERVICES, common::CONSENT_SCOPE_IDENTIFICATION};
  const ReferralPlan without_consent = plan(spec);
  EXPECT_EQ(find(without_consent, v1::SERVICE_TYPE_POLICE_ANTI_TRAFFICKING), nullptr);
  spec.consent.push_back(common::CONSENT_SCOPE_POLICE);
  const ReferralPlan with_consent = plan(spec);
  const auto* police = find(with_consent, v1::SERVICE_TYPE_POLICE_ANTI_TRAFFICKING);
  ASSERT_NE(police, nullptr);
  EXPECT_EQ(police->basis.kind(), common::SHARING_BASIS_KIND_CONSENT);
}

TEST(ReferralPlan, ARecordedRiskToLifeDecisionIsABasisForPoliceAFlagIsNot) {
  testing::CaseSpec spec;
  spec.level = screening::LEVEL_COMBINATION_MET;
  spec.flags = flags(false, false, false, true);
  spec.needs = {common::NEED_TYPE_LAW_ENFORCEMENT_CONTACT};
  // The sample SOP refers to police only with police consent, so an exception alone adds no rule
  // of its own; the gate itself must accept it for a rule that asks for police.
  const auto decision = exception(v1::DECISION_TYPE_RISK_TO_LIFE_EXCEPTION, common::CONSENT_SCOPE_POLICE);
  const CaseFacts with_exception = facts(spec, {decision});
  ASSERT_NE(with_exception.exception_covering(common::CONSENT_SCOPE_POLICE), nullptr);
  const CaseFacts without = facts(spec);
  EXPECT_EQ(without.exception_covering(common::CONSENT_SCOPE_POLICE), nullptr);
}

TEST(ReferralPlan, AnExpiredExceptionIsNoBasis) {
  testing::CaseSpec spec;
  auto decision = exception(v1::DECISION_TYPE_RISK_TO_LIFE_EXCEPTION, common::CONSENT_SCOPE_POLICE);
  *decision.mutable_exception_valid_until() = google::protobuf::util::TimeUtil::MillisecondsToTimestamp(1000);
  EXPECT_EQ(facts(spec, {decision}).exception_covering(common::CONSENT_SCOPE_POLICE), nullptr);
}

TEST(ReferralPlan, WithoutServicesConsentAReferralSharesNothingPersonal) {
  testing::CaseSpec spec;
  spec.flags = flags(false, false, false, false);
  spec.flags.set_language_barrier(true);
  const ReferralPlan result = plan(spec);
  const auto* interpretation = find(result, v1::SERVICE_TYPE_INTERPRETATION);
  ASSERT_NE(interpretation, nullptr);
  EXPECT_EQ(interpretation->basis.kind(), common::SHARING_BASIS_KIND_NO_PERSONAL_DATA);
  EXPECT_TRUE(interpretation->shared.empty());
}

TEST(ReferralPlan, NeedsAreMetOnlyWithinTheConsentScope) {
  testing::CaseSpec spec;
  spec.needs = {common::NEED_TYPE_SHELTER, common::NEED_TYPE_LEGAL_AID};
  const ReferralPlan without = plan(spec);
  EXPECT_EQ(find(without, v1::SERVICE_TYPE_SAFE_ACCOMMODATION), nullptr);
  EXPECT_TRUE(held(without, common::NEED_TYPE_SHELTER));
  spec.consent = {common::CONSENT_SCOPE_SERVICES};
  const ReferralPlan with = plan(spec);
  EXPECT_NE(find(with, v1::SERVICE_TYPE_SAFE_ACCOMMODATION), nullptr);
  EXPECT_NE(find(with, v1::SERVICE_TYPE_LEGAL_AID), nullptr);
  EXPECT_TRUE(with.held.empty() || !held(with, common::NEED_TYPE_SHELTER));
}

TEST(ReferralPlan, OneReferralPerNeedAndThePlanIsDeterministic) {
  testing::CaseSpec spec;
  spec.flags = flags(true, true, true, true);
  spec.level = screening::LEVEL_COMBINATION_MET;
  spec.recommendations = {screening::RECOMMENDATION_TYPE_URGENT_MEDICAL_CARE, screening::RECOMMENDATION_TYPE_CHILD_PROTECTION_AND_GUARDIAN,
                          screening::RECOMMENDATION_TYPE_INTERPRETATION};
  spec.needs = {common::NEED_TYPE_URGENT_MEDICAL_CARE, common::NEED_TYPE_SHELTER, common::NEED_TYPE_INTERPRETER};
  spec.consent = {common::CONSENT_SCOPE_SERVICES};
  const ReferralPlan first = plan(spec);
  std::set<common::NeedType> needs;
  for (const auto& referral : first.referrals) EXPECT_TRUE(needs.insert(referral.need).second) << referral.need;
  const ReferralPlan second = plan(spec);
  ASSERT_EQ(first.referrals.size(), second.referrals.size());
  for (std::size_t i = 0; i < first.referrals.size(); ++i) EXPECT_EQ(first.referrals[i].need, second.referrals[i].need);
}

// Every clause of every jurisdiction's SOP, as the files say it today: when one alternative of a
// rule's condition holds and the consent its referrals need is given, the plan refers each of its
// needs (by that rule, or by a more urgent rule for the same need or kind of service). The police
// gate is satisfied by the police consent the police rule asks for.
TEST(ReferralPlan, EveryRuleOfEverySopReferWhenItsConditionHolds) {
  const SopBook& book = testing::repository_sop();
  for (auto jurisdiction : {common::JURISDICTION_AL, common::JURISDICTION_BA, common::JURISDICTION_XK, common::JURISDICTION_ME,
                            common::JURISDICTION_MK, common::JURISDICTION_RS}) {
    for (const EffectiveRule& effective : book.rules_for(jurisdiction)) {
      for (const Condition& condition : effective.rule->when) {
        if (!condition.jurisdictions.empty() &&
            std::find(condition.jurisdictions.begin(), condition.jurisdictions.end(), jurisdiction) == condition.jurisdictions.end()) {
          continue;
        }
        CaseFacts facts;
        facts.jurisdiction = jurisdiction;
        facts.level = condition.levels.empty() ? screening::LEVEL_INDICATIONS_PRESENT : condition.levels.front();
        if (!condition.recommendations.empty()) facts.recommendations.insert(condition.recommendations.front());
        if (!condition.needs.empty()) facts.needs.insert(condition.needs.front());
        if (!condition.flags.empty()) {
          const std::string& flag = condition.flags.front();
          if (flag == "presumed_child") facts.flags.set_presumed_child(true);
          if (flag == "unaccompanied_or_separated") facts.flags.set_unaccompanied_or_separated(true);
          if (flag == "urgent_medical") facts.flags.set_urgent_medical(true);
          if (flag == "immediate_danger") facts.flags.set_immediate_danger(true);
          if (flag == "language_barrier") facts.flags.set_language_barrier(true);
        }
        if (condition.age == AgeCondition::child) facts.flags.set_presumed_child(true);
        for (auto scope : condition.consent) facts.consent.insert(scope);
        for (auto decision : condition.decisions) {
          if (decision == DecisionCondition::reasonable_grounds) facts.reasonable_grounds = true;
          if (decision == DecisionCondition::formal_identification) facts.formal_identification = true;
          if (decision == DecisionCondition::risk_to_life_exception) facts.exceptions.push_back({"d1", v1::DECISION_TYPE_RISK_TO_LIFE_EXCEPTION, {}, {}});
          if (decision == DecisionCondition::child_protection_exception) {
            facts.exceptions.push_back({"d2", v1::DECISION_TYPE_CHILD_PROTECTION_EXCEPTION, {}, {}});
          }
        }
        for (const ReferralTemplate& referral : effective.rule->refer) {
          if (referral.consent) facts.consent.insert(*referral.consent);
        }
        const ReferralPlan plan = plan_referrals(book, facts, "standard");
        for (const ReferralTemplate& referral : effective.rule->refer) {
          const bool referred = std::any_of(plan.referrals.begin(), plan.referrals.end(), [&](const PlannedReferral& planned) {
            return planned.need == referral.need || planned.service == referral.service;
          });
          EXPECT_TRUE(referred) << effective.sop->file << ":" << effective.rule->line << " rule " << effective.rule->id << " in "
                                << common::Jurisdiction_Name(jurisdiction) << " did not refer " << common::NeedType_Name(referral.need);
        }
      }
    }
  }
}

}  // namespace
}  // namespace pact::routing
