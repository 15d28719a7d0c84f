#include "decision.h"

#include <functional>

#include <gtest/gtest.h>

#include "screening_fixture.h"

namespace pact::screening {
namespace {

using testing::adult_request;
using testing::synthetic_set;

std::string id(int dimension, char strength, int n) {
  return "T-D" + std::to_string(dimension) + "-" + strength + std::to_string(n);
}

void observe(v1::ScreeningRequest& request, int dimension, int strong, int medium, int weak) {
  for (int i = 1; i <= strong; ++i) request.add_observed_indicator_ids(id(dimension, 'S', i));
  for (int i = 1; i <= medium; ++i) request.add_observed_indicator_ids(id(dimension, 'M', i));
  for (int i = 1; i <= weak; ++i) request.add_observed_indicator_ids(id(dimension, 'W', i));
}

// The published rule, written out independently of the engine: 2 S; or 1 S + 1 M or W; or 3 M;
// or 2 M + 1 W.
bool published_dimension_rule(int strong, int medium, int weak) {
  return strong >= 2 || (strong >= 1 && medium + weak >= 1) || medium >= 3 || (medium >= 2 && weak >= 1);
}

TEST(DimensionRule, EveryCombinationOfCountsAroundTheThresholdsFollowsThePublishedRule) {
  auto set = synthetic_set();
  Decision decision;
  int cases = 0;
  for (int dimension = 1; dimension <= 6; ++dimension) {
    for (int strong = 0; strong <= 3; ++strong) {
      for (int medium = 0; medium <= 4; ++medium) {
        for (int weak = 0; weak <= 3; ++weak) {
          v1::ScreeningRequest request = adult_request();
          observe(request, dimension, strong, medium, weak);
          decide(*set, request, decision);
          const bool positive = decision.deciding_group >= 0 &&
                                (decision.groups[0].positive & (1 << dimension)) != 0;
          EXPECT_EQ(positive, published_dimension_rule(strong, medium, weak))
              << "dimension " << dimension << ": " << strong << " S, " << medium << " M, " << weak << " W";
          const auto& tally = decision.groups[0].tallies[dimension];
          EXPECT_EQ(tally.strong, strong);
          EXPECT_EQ(tally.medium, medium);
          EXPECT_EQ(tally.weak, weak);
          ++cases;
        }
      }
    }
  }
  EXPECT_EQ(cases, 6 * 4 * 5 * 4);
}

// Positive dimensions as a mask (bits 1..6) -> the published combination rules.
bool published_adult_combination(unsigned mask) {
  auto on = [mask](int d) { return (mask & (1u << d)) != 0; };
  return (on(1) || on(2) || on(3)) && on(4) && (on(5) || on(6));
}
bool published_child_combination(unsigned mask) {
  auto on = [mask](int d) { return (mask & (1u << d)) != 0; };
  return (on(1) || on(2) || on(3) || on(5) || on(6)) && on(4);
}

TEST(CombinationRule, EverySetOfPositiveDimensionsForAdultsAndChildren) {
  auto set = synthetic_set();
  Decision decision;
  for (unsigned subset = 0; subset < 64; ++subset) {
    const unsigned mask = subset << 1;
    for (bool child : {false, true}) {
      v1::ScreeningRequest request = adult_request();
      if (child) {
        request.mutable_age()->set_years(15);
        request.mutable_age()->set_band(common::v1::AGE_BAND_9_17);
      }
      for (int d = 1; d <= 6; ++d) {
        if ((mask & (1u << d)) != 0) observe(request, d, 2, 0, 0);
      }
      decide(*set, request, decision);
      const bool expected = child ? published_child_combination(mask) : published_adult_combination(mask);
      EXPECT_EQ(decision.level == v1::LEVEL_COMBINATION_MET, expected) << "mask " << mask << " child " << child;
      EXPECT_EQ(decision.recommends(v1::RECOMMENDATION_TYPE_REFER_FOR_FORMAL_IDENTIFICATION), expected);
      if (mask != 0 && !expected) {
        EXPECT_EQ(decision.level, v1::LEVEL_INDICATIONS_PRESENT);
      }
      EXPECT_EQ(decision.child_rule_applied, child);
    }
  }
}

TEST(SafetyRules, NothingObservedIsNeverAFindingAndStillNoReferralIsForced) {
  auto set = synthetic_set();
  Decision decision;
  decide(*set, adult_request(), decision);
  EXPECT_EQ(decision.level, v1::LEVEL_NO_INDICATORS_OBSERVED);
  EXPECT_TRUE(decision.recommendations.empty());
}

TEST(SafetyRules, AnyObservedIndicatorGivesAtLeastIndicationsPresent) {
  auto set = synthetic_set();
  Decision decision;
  for (const char* weak : {"T-D3-W1", "H-WEAK", "T-D6-M1"}) {
    decide(*set, adult_request({weak}), decision);
    EXPECT_EQ(decision.level, v1::LEVEL_INDICATIONS_PRESENT) << weak;
    EXPECT_TRUE(decision.recommends(v1::RECOMMENDATION_TYPE_INFORM_ABOUT_RIGHTS_AND_ASSISTANCE));
  }
}

TEST(SafetyRules, OneStrongIndicatorAloneYieldsAReferralRecommendation) {
  auto set = synthetic_set();
  Decision decision;
  for (const char* strong : {"T-D1-S1", "T-D4-S1", "H-STRONG", "RS-OWN-01"}) {
    decide(*set, adult_request({strong}), decision);
    EXPECT_EQ(decision.level, v1::LEVEL_INDICATIONS_PRESENT) << strong;
    ASSERT_TRUE(decision.recommends(v1::RECOMMENDATION_TYPE_ASSISTANCE_AND_FURTHER_ASSESSMENT)) << strong;
    auto found = std::find_if(decision.recommendations.begin(), decision.recommendations.end(), [](const auto& entry) {
      return entry.type == v1::RECOMMENDATION_TYPE_ASSISTANCE_AND_FURTHER_ASSESSMENT;
    });
    EXPECT_EQ(found->safety_rule, SafetyRule::strong_indicator_refers);
  }
}

TEST(SafetyRules, ADangerFlagYieldsImmediateSafetyAndAssistance) {
  auto set = synthetic_set();
  Decision decision;
  v1::ScreeningRequest reported = adult_request();
  reported.mutable_reported_flags()->set_immediate_danger(true);
  decide(*set, reported, decision);
  EXPECT_EQ(decision.level, v1::LEVEL_NO_INDICATORS_OBSERVED);
  EXPECT_TRUE(decision.recommends(v1::RECOMMENDATION_TYPE_IMMEDIATE_SAFETY));
  EXPECT_TRUE(decision.recommends(v1::RECOMMENDATION_TYPE_ASSISTANCE_AND_FURTHER_ASSESSMENT));

  decide(*set, adult_request({"H-DANGER"}), decision);
  EXPECT_TRUE(decision.flags & kImmediateDanger);
  EXPECT_TRUE(decision.recommends(v1::RECOMMENDATION_TYPE_IMMEDIATE_SAFETY));
}

TEST(SafetyRules, UrgentMedicalCareComesFirst) {
  auto set = synthetic_set();
  Decision decision;
  v1::ScreeningRequest request = adult_request({"H-URGENT", "T-D1-S1", "T-D1-S2", "T-D4-S1", "T-D4-S2", "T-D5-S1",
                                                "T-D5-S2"});
  request.mutable_reported_flags()->set_immediate_danger(true);
  decide(*set, request, decision);
  ASSERT_FALSE(decision.recommendations.empty());
  EXPECT_EQ(decision.recommendations.front().type, v1::RECOMMENDATION_TYPE_URGENT_MEDICAL_CARE);
  EXPECT_EQ(decision.level, v1::LEVEL_COMBINATION_MET);
}

TEST(SafetyRules, AChildWithExploitationAndRecruitmentButNoMeansMeetsTheCombination) {
  auto set = synthetic_set();
  Decision decision;
  v1::ScreeningRequest request = adult_request({"T-D1-S1", "T-D1-S2", "T-D4-S1", "T-D4-S2"});
  decide(*set, request, decision);
  EXPECT_EQ(decision.level, v1::LEVEL_INDICATIONS_PRESENT) << "an adult needs the means (dimension 5 or 6)";

  request.mutable_age()->set_years(16);
  request.mutable_age()->set_band(common::v1::AGE_BAND_9_17);
  decide(*set, request, decision);
  EXPECT_EQ(decision.level, v1::LEVEL_COMBINATION_MET);
  EXPECT_TRUE(decision.child_rule_applied);
  EXPECT_TRUE(decision.recommends(v1::RECOMMENDATION_TYPE_CHILD_PROTECTION_AND_GUARDIAN));
}

TEST(SafetyRules, AChildWithExploitationOnlyGetsChildProtectionWithoutTheCombination) {
  auto set = synthetic_set();
  Decision decision;
  v1::ScreeningRequest request = adult_request({"T-D4-M1"});
  request.mutable_age()->set_years(12);
  request.mutable_age()->set_band(common::v1::AGE_BAND_9_17);
  decide(*set, request, decision);
  EXPECT_EQ(decision.level, v1::LEVEL_INDICATIONS_PRESENT);
  EXPECT_TRUE(decision.recommends(v1::RECOMMENDATION_TYPE_CHILD_PROTECTION_AND_GUARDIAN));
  EXPECT_EQ(decision.recommendations.front().type, v1::RECOMMENDATION_TYPE_CHILD_PROTECTION_AND_GUARDIAN);
}

TEST(SafetyRules, AChildWithNothingObservedStillGetsChildProtection) {
  auto set = synthetic_set();
  Decision decision;
  v1::ScreeningRequest request = adult_request();
  request.mutable_age()->set_years(9);
  request.mutable_age()->set_band(common::v1::AGE_BAND_9_17);
  request.set_companion_status(common::v1::COMPANION_STATUS_UNACCOMPANIED);
  decide(*set, request, decision);
  EXPECT_EQ(decision.level, v1::LEVEL_NO_INDICATORS_OBSERVED);
  EXPECT_TRUE(decision.flags & kUnaccompaniedOrSeparated);
  EXPECT_TRUE(decision.recommends(v1::RECOMMENDATION_TYPE_CHILD_PROTECTION_AND_GUARDIAN));
}

TEST(SafetyRules, AgePresumptionTreatsAnUncertainAgeWithReasonsToBelieveAMinorAsAChild) {
  auto set = synthetic_set();
  Decision decision;
  struct Case {
    const char* name;
    std::function<void(common::v1::Age&)> age;
    bool child;
  };
  const Case cases[] = {
      {"estimated 16-20, not documented", [](auto& age) {
         age.clear_years();
         age.set_certainty(common::v1::AGE_CERTAINTY_ESTIMATED);
         age.set_estimate_min_years(16);
         age.set_estimate_max_years(20);
         age.set_band(common::v1::AGE_BAND_18_20);
       }, true},
      {"unknown age, professional believes a minor", [](auto& age) {
         age.clear_years();
         age.set_certainty(common::v1::AGE_CERTAINTY_UNKNOWN);
         age.set_band(common::v1::AGE_BAND_UNKNOWN);
         age.set_presumed_minor(true);
       }, true},
      {"stated 19 but presumed minor", [](auto& age) {
         age.set_years(19);
         age.set_certainty(common::v1::AGE_CERTAINTY_STATED);
         age.set_band(common::v1::AGE_BAND_18_20);
         age.set_presumed_minor(true);
       }, true},
      {"documented 19", [](auto& age) {
         age.set_years(19);
         age.set_band(common::v1::AGE_BAND_18_20);
       }, false},
      {"estimated 20-25", [](auto& age) {
         age.clear_years();
         age.set_certainty(common::v1::AGE_CERTAINTY_ESTIMATED);
         age.set_estimate_min_years(20);
         age.set_estimate_max_years(25);
         age.set_band(common::v1::AGE_BAND_21_23);
       }, false},
  };
  for (const Case& test : cases) {
    v1::ScreeningRequest request = adult_request({"T-D4-M1"});
    test.age(*request.mutable_age());
    decide(*set, request, decision);
    EXPECT_EQ((decision.flags & kPresumedChild) != 0, test.child) << test.name;
    EXPECT_EQ(decision.child_rule_applied, test.child) << test.name;
    EXPECT_EQ(decision.recommends(v1::RECOMMENDATION_TYPE_CHILD_PROTECTION_AND_GUARDIAN), test.child) << test.name;
  }
}

TEST(SafetyRules, AReportedUnaccompaniedOrSeparatedChildIsTreatedAsAChildWhateverTheAge) {
  // Review finding: the flag alone left the person without child protection.
  auto set = synthetic_set();
  Decision decision;
  v1::ScreeningRequest request = adult_request();
  request.mutable_age()->clear_years();
  request.mutable_age()->set_certainty(common::v1::AGE_CERTAINTY_UNKNOWN);
  request.mutable_age()->set_band(common::v1::AGE_BAND_UNKNOWN);
  request.mutable_reported_flags()->set_unaccompanied_or_separated(true);
  decide(*set, request, decision);
  EXPECT_TRUE(decision.flags & kPresumedChild);
  EXPECT_TRUE(decision.child_rule_applied);
  EXPECT_TRUE(decision.recommends(v1::RECOMMENDATION_TYPE_CHILD_PROTECTION_AND_GUARDIAN));
}

TEST(SafetyRules, AnEstimateEntirelyBelow18IsAChildEvenWithoutALowerBound) {
  auto set = synthetic_set();
  Decision decision;
  v1::ScreeningRequest request = adult_request();
  request.mutable_age()->clear_years();
  request.mutable_age()->set_certainty(common::v1::AGE_CERTAINTY_ESTIMATED);
  request.mutable_age()->set_band(common::v1::AGE_BAND_UNKNOWN);
  request.mutable_age()->set_estimate_max_years(16);
  decide(*set, request, decision);
  EXPECT_TRUE(decision.flags & kPresumedChild);
}

TEST(SafetyRules, NoFileCanMakeTheChildRuleStricterThanTheAdultOne) {
  // A child_combination that asks for more than the adult rule: whatever meets the adult rule still
  // meets the combination for a child (the "means" are never required of a child).
  std::string yaml = testing::synthetic_catalogue_yaml();
  const std::string child_rule =
      "    - [deceptive_recruitment, coercive_recruitment, recruitment_by_abuse_of_vulnerability, coercion_at_destination, "
      "abuse_of_vulnerability_at_destination]\n    - [exploitative_conditions]\n";
  ASSERT_NE(yaml.find(child_rule), std::string::npos);
  yaml.replace(yaml.find(child_rule), child_rule.size(),
               "    - [deceptive_recruitment]\n    - [coercive_recruitment]\n    - [exploitative_conditions]\n"
               "    - [coercion_at_destination]\n    - [abuse_of_vulnerability_at_destination]\n");
  std::vector<Catalogue> catalogues;
  catalogues.push_back(parse_catalogue(yaml, "strict-child.yaml"));
  CatalogueSet set(std::move(catalogues));
  Decision decision;
  v1::ScreeningRequest request = adult_request();
  request.mutable_age()->set_years(15);
  request.mutable_age()->set_band(common::v1::AGE_BAND_9_17);
  observe(request, 1, 2, 0, 0);
  observe(request, 4, 2, 0, 0);
  observe(request, 5, 2, 0, 0);
  decide(set, request, decision);
  EXPECT_EQ(decision.level, v1::LEVEL_COMBINATION_MET);
}

TEST(SafetyRules, ThePersonIsInformedBeforeAnyReferral) {
  auto set = synthetic_set();
  Decision decision;
  const v1::ScreeningRequest request =
      adult_request({"H-LANGUAGE", "T-D1-S1", "T-D1-S2", "T-D4-S1", "T-D4-S2", "T-D5-S1", "T-D5-S2"});
  decide(*set, request, decision);
  std::vector<v1::RecommendationType> order;
  for (const auto& entry : decision.recommendations) order.push_back(entry.type);
  EXPECT_EQ(order, (std::vector<v1::RecommendationType>{v1::RECOMMENDATION_TYPE_INTERPRETATION,
                                                        v1::RECOMMENDATION_TYPE_INFORM_ABOUT_RIGHTS_AND_ASSISTANCE,
                                                        v1::RECOMMENDATION_TYPE_REFER_FOR_FORMAL_IDENTIFICATION}));
}

TEST(Decision, ReportedFlagsAreKeptAndIndicatorsAddTheirOwn) {
  auto set = synthetic_set();
  Decision decision;
  v1::ScreeningRequest request = adult_request({"H-LANGUAGE", "H-URGENT"});
  request.mutable_reported_flags()->set_immediate_danger(true);
  decide(*set, request, decision);
  EXPECT_EQ(decision.flags, kImmediateDanger | kLanguageBarrier | kUrgentMedical);
  EXPECT_TRUE(decision.recommends(v1::RECOMMENDATION_TYPE_INTERPRETATION));
}

TEST(Decision, UnknownIdsAreReportedOnceAndDoNotCount) {
  auto set = synthetic_set();
  Decision decision;
  const v1::ScreeningRequest request = adult_request({"NOPE-1", "T-D1-M1", "NOPE-1", "T-D1-M1"});
  decide(*set, request, decision);
  ASSERT_EQ(decision.unknown_ids.size(), 1u);
  EXPECT_EQ(decision.unknown_ids[0], "NOPE-1");
  EXPECT_EQ(decision.observed.size(), 1u) << "duplicates of an observed id count once";
}

TEST(Decision, ACountrysOwnListAppliesInThatCountryOnly) {
  auto set = synthetic_set();
  Decision decision;
  v1::ScreeningRequest request = adult_request({"RS-OWN-01"});
  decide(*set, request, decision);
  EXPECT_TRUE(decision.unknown_ids.empty());
  EXPECT_EQ(decision.level, v1::LEVEL_INDICATIONS_PRESENT);
  request.set_jurisdiction(common::v1::JURISDICTION_AL);
  decide(*set, request, decision);
  ASSERT_EQ(decision.unknown_ids.size(), 1u);
  EXPECT_EQ(decision.level, v1::LEVEL_NO_INDICATORS_OBSERVED);
}

TEST(Decision, ListsAreEvaluatedSeparately) {
  // Medium indicators of one dimension from two lists must not add up to a positive dimension.
  auto set = synthetic_set();
  Decision decision;
  decide(*set, adult_request({"T-D4-M1", "T-D4-M2", "X-D4-M1"}), decision);
  EXPECT_EQ(decision.groups[0].positive, 0);
  EXPECT_EQ(decision.groups[1].positive, 0);
  EXPECT_EQ(decision.deciding_group, 0) << "the list that went furthest is reported";
  decide(*set, adult_request({"T-D4-M1", "X-D4-M1", "X-D4-M2", "T-D4-M2", "T-D4-M3"}), decision);
  EXPECT_NE(decision.groups[0].positive, 0);
}

}  // namespace
}  // namespace pact::screening
