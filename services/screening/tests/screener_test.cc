#include "screener.h"

#include <algorithm>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "screening_fixture.h"

namespace pact::screening {
namespace {

using ::testing::HasSubstr;
using testing::adult_request;

Screener synthetic_screener(std::size_t follow_ups = 20) {
  return Screener(testing::synthetic_set(), testing::repository_phrases(), follow_ups);
}

TEST(Screener, TheSameInputGivesTheSameResultIdAndTexts) {
  Screener screener = synthetic_screener();
  v1::ScreeningRequest request = adult_request({"T-D1-S1", "T-D4-M1", "H-URGENT", "ZZ-UNKNOWN", "AA-UNKNOWN"});
  v1::ScreeningRequest reordered =
      adult_request({"AA-UNKNOWN", "H-URGENT", "T-D1-S1", "ZZ-UNKNOWN", "T-D4-M1", "T-D1-S1"});
  reordered.set_case_id("case-only-for-correlation");
  v1::ScreeningResult first = screener.screen(request);
  v1::ScreeningResult second = screener.screen(reordered);
  EXPECT_EQ(first.result_id(), second.result_id());
  EXPECT_EQ(first.SerializeAsString(), second.SerializeAsString());
  EXPECT_THAT(first.result_id(), ::testing::StartsWith("scr-"));

  auto steps_text = [&](const v1::ScreeningRequest& r) {
    std::string text;
    for (const auto& step : screener.explain(r, "en")) text += step.text() + "\n";
    return text;
  };
  EXPECT_EQ(steps_text(request), steps_text(reordered));

  v1::ScreeningRequest more = adult_request({"T-D1-S1", "T-D4-M1", "H-URGENT", "T-D5-M1"});
  EXPECT_NE(screener.screen(more).result_id(), first.result_id());
}

TEST(Screener, ResultCarriesLevelRecommendationsWithReasonsDimensionsEvidenceAndCatalogues) {
  Screener screener = synthetic_screener();
  v1::ScreeningResult result =
      screener.screen(adult_request({"T-D1-S1", "T-D1-M1", "T-D4-S1", "T-D4-W1", "T-D5-M1", "T-D5-M2", "T-D5-W1"}));
  EXPECT_EQ(result.level(), v1::LEVEL_COMBINATION_MET);
  ASSERT_EQ(result.dimension_results_size(), 6);
  EXPECT_TRUE(result.dimension_results(0).positive());
  EXPECT_THAT(result.dimension_results(0).evidence_indicator_ids(), ::testing::ElementsAre("T-D1-S1", "T-D1-M1"));
  EXPECT_FALSE(result.dimension_results(1).positive());
  ASSERT_EQ(result.recommendations_size(), 2);
  EXPECT_EQ(result.recommendations(0).type(), v1::RECOMMENDATION_TYPE_INFORM_ABOUT_RIGHTS_AND_ASSISTANCE);
  EXPECT_EQ(result.recommendations(1).type(), v1::RECOMMENDATION_TYPE_REFER_FOR_FORMAL_IDENTIFICATION);
  EXPECT_THAT(result.recommendations(1).reason(), HasSubstr("a person at the competent authority decides"));
  EXPECT_EQ(result.recommendations(1).evidence_indicator_ids_size(), 7);
  ASSERT_EQ(result.catalogues_size(), 2) << "the regional catalogue and Serbia's own";
  EXPECT_EQ(result.catalogues(0).catalogue_id(), "synthetic");
  EXPECT_EQ(result.language(), "en");
}

TEST(Screener, SafetyRecommendationsNameTheRule) {
  Screener screener = synthetic_screener();
  v1::ScreeningResult result = screener.screen(adult_request({"H-STRONG"}));
  EXPECT_EQ(result.level(), v1::LEVEL_INDICATIONS_PRESENT);
  bool found = false;
  for (const auto& recommendation : result.recommendations()) {
    if (recommendation.type() != v1::RECOMMENDATION_TYPE_ASSISTANCE_AND_FURTHER_ASSESSMENT) continue;
    found = true;
    EXPECT_EQ(recommendation.safety_rule(), "strong-indicator-refers");
    EXPECT_THAT(recommendation.reason(), HasSubstr("branding tattoo"));
    EXPECT_THAT(recommendation.evidence_indicator_ids(), ::testing::ElementsAre("H-STRONG"));
  }
  EXPECT_TRUE(found);
}

TEST(Screener, FollowUpQuestionsAreTheIndicatorsThatWouldChangeTheResultInTheSectorsOrder) {
  Screener screener = synthetic_screener();
  v1::ScreeningResult result = screener.screen(adult_request({"T-D4-M1", "T-D4-M2"}));
  std::vector<std::string> asked;
  for (const auto& question : result.follow_up_questions()) asked.push_back(question.indicator_id());
  // Health's order: H-URGENT, H-DANGER, T-D5-S1, T-D4-M1 (observed), T-D1-M1, H-WEAK (changes nothing),
  // then Serbia's own list.
  EXPECT_THAT(asked, ::testing::ElementsAre("H-URGENT", "H-DANGER", "T-D5-S1", "RS-OWN-01"));
  EXPECT_EQ(result.follow_up_questions(0).recommendations_if_observed(0), v1::RECOMMENDATION_TYPE_URGENT_MEDICAL_CARE);
  EXPECT_EQ(result.follow_up_questions(2).text(), "question T-D5-S1");

  // T-D1-M1 would not turn D1 positive alone; with D4 positive and D5 near, T-D5-S1 makes D5 positive.
  v1::ScreeningResult near = screener.screen(
      adult_request({"T-D4-M1", "T-D4-M2", "T-D4-M3", "T-D1-S1", "T-D1-S2", "T-D5-M1"}));
  ASSERT_GE(near.follow_up_questions_size(), 1);
  bool found = false;
  for (const auto& question : near.follow_up_questions()) {
    if (question.indicator_id() != "T-D5-S1") continue;
    found = true;
    EXPECT_EQ(question.level_if_observed(), v1::LEVEL_COMBINATION_MET);
    EXPECT_EQ(question.dimension_if_observed(), v1::DIMENSION_COERCION_AT_DESTINATION);
  }
  EXPECT_TRUE(found);

  Screener limited = synthetic_screener(1);
  EXPECT_EQ(limited.screen(adult_request()).follow_up_questions_size(), 1);
}

TEST(Screener, ExplanationWalksThroughDimensionsCombinationLevelAndRecommendations) {
  Screener screener = synthetic_screener();
  v1::ScreeningRequest request = adult_request({"T-D1-S1", "T-D4-S1", "T-D4-M1", "NOT-AN-ID"});
  request.mutable_age()->clear_years();
  request.mutable_age()->set_certainty(common::v1::AGE_CERTAINTY_ESTIMATED);
  request.mutable_age()->set_estimate_min_years(15);
  request.mutable_age()->set_estimate_max_years(19);
  std::string text;
  for (const auto& step : screener.explain(request, "en")) text += step.text() + "\n";
  EXPECT_THAT(text, HasSubstr("treated as a child"));
  EXPECT_THAT(text, HasSubstr("age presumption"));
  EXPECT_THAT(text, HasSubstr("Dimension 4 (exploitative conditions) is positive: 1 strong, 1 medium, 0 weak"));
  EXPECT_THAT(text, HasSubstr("Dimension 1 (deceptive recruitment) is not positive yet"));
  EXPECT_THAT(text, HasSubstr("combination rule is not met"));
  EXPECT_THAT(text, HasSubstr("not an identification"));
  EXPECT_THAT(text, HasSubstr("child-protection-always"));
  EXPECT_THAT(text, HasSubstr("NOT-AN-ID"));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("not a victim")));
}

TEST(Screener, TextsFallBackToEnglishAndTheResultSaysSo) {
  Screener screener = synthetic_screener();
  v1::ScreeningRequest request = adult_request({"T-D1-S1"});
  request.set_language("ps");
  EXPECT_EQ(screener.screen(request).language(), "en");
}

TEST(Screener, APinnedCatalogueVersionThatIsNotLoadedIsRefused) {
  Screener screener = synthetic_screener();
  v1::ScreeningRequest request = adult_request();
  auto* pinned = request.add_catalogues();
  pinned->set_catalogue_id("synthetic");
  pinned->set_version("0.9");
  EXPECT_THROW(screener.screen(request), CatalogueVersionUnavailable);
  pinned->set_version("1");
  EXPECT_NO_THROW(screener.screen(request));
}

TEST(Screener, RepositoryCataloguesGiveACombinationForAClassicLabourCase) {
  Screener screener(testing::repository_set(), testing::repository_phrases(), 10);
  // Deceived about the job (D1 S) + a medium D1 item, excessive hours (D4 S) + bad living conditions (D4 M),
  // confiscated documents (D5 S) + debt bondage (D5 S).
  v1::ScreeningRequest request = adult_request({"ILO-AL-D1-01", "ILO-AL-D1-02", "ILO-AL-D4-01", "ILO-AL-D4-02",
                                                "ILO-AL-D5-01", "ILO-AL-D5-02"});
  v1::ScreeningResult result = screener.screen(request);
  EXPECT_TRUE(result.unknown_indicator_ids().empty());
  EXPECT_EQ(result.level(), v1::LEVEL_COMBINATION_MET) << result.ShortDebugString();
}

TEST(Screener, AChildIsAskedTheChildListsAndAnAdultTheAdultOnes) {
  Screener screener(testing::repository_set(), testing::repository_phrases(), 200);
  v1::ScreeningRequest adult = adult_request();
  adult.set_sector(common::v1::SECTOR_SOCIAL_WELFARE);
  v1::ScreeningRequest child = adult;
  child.mutable_age()->set_years(14);
  child.mutable_age()->set_band(common::v1::AGE_BAND_9_17);
  auto asked = [&](const v1::ScreeningRequest& request) {
    std::vector<std::string> ids;
    const v1::ScreeningResult result = screener.screen(request);
    for (const auto& question : result.follow_up_questions()) ids.push_back(question.indicator_id());
    return ids;
  };
  auto from = [](const std::vector<std::string>& ids, const std::string& prefix) {
    return std::count_if(ids.begin(), ids.end(), [&](const std::string& id) { return id.rfind(prefix, 0) == 0; });
  };
  const auto child_questions = asked(child);
  const auto adult_questions = asked(adult);
  EXPECT_EQ(from(child_questions, "ILO-AL-") + from(child_questions, "ILO-AS-"), 0);
  EXPECT_GT(from(child_questions, "ILO-CL-") + from(child_questions, "ILO-CS-"), 0);
  EXPECT_EQ(from(adult_questions, "ILO-CL-") + from(adult_questions, "ILO-CS-") + from(adult_questions, "CHD-"), 0);
  EXPECT_GT(from(adult_questions, "ILO-AL-"), 0);
}

}  // namespace
}  // namespace pact::screening
