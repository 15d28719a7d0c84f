#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "catalogue_views.h"
#include "request_validator.h"
#include "screening_fixture.h"

namespace pact::screening {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> fields(const std::vector<rpc::FieldViolation>& violations) {
  std::vector<std::string> out;
  for (const auto& violation : violations) out.push_back(violation.field);
  return out;
}

TEST(RequestValidator, AValidRequestHasNoViolations) {
  EXPECT_TRUE(validate_screening_request(testing::adult_request({"T-D1-S1"}), "request.").empty());
}

TEST(RequestValidator, EachBadFieldIsNamedOnceAndObservedIdsAreNeverEchoed) {
  v1::ScreeningRequest request;
  request.set_sector(static_cast<common::v1::Sector>(99));
  request.set_jurisdiction(static_cast<common::v1::Jurisdiction>(42));
  request.set_language("english please");
  request.add_observed_indicator_ids("");
  request.add_observed_indicator_ids(std::string(65, 'X') + "-SECRET-NAME");
  request.add_catalogues()->set_catalogue_id("ilo-ec-2009");
  auto violations = validate_screening_request(request, "request.");
  EXPECT_THAT(fields(violations),
              ElementsAre("request.sector", "request.jurisdiction", "request.observed_indicator_ids[0]",
                          "request.observed_indicator_ids[1]", "request.language", "request.catalogues[0]"));
  for (const auto& violation : violations) EXPECT_EQ(violation.description.find("SECRET"), std::string::npos);
}

TEST(CatalogueViews, ASectorSeesItsIndicatorsInItsOrderWithTextsFallingBackToEnglish) {
  auto set = testing::synthetic_set();
  auto view = sector_view(*set, "synthetic", common::v1::SECTOR_POLICE, common::v1::JURISDICTION_RS, "sq");
  ASSERT_TRUE(view);
  std::vector<std::string> ids;
  for (const auto& indicator : view->indicators()) ids.push_back(indicator.id());
  EXPECT_THAT(ids, ElementsAre("T-D2-S1", "T-D5-S1", "H-DANGER"));
  EXPECT_EQ(view->indicators(0).text(), "teksti T-D2-S1");
  EXPECT_EQ(view->indicators(0).language(), "sq");
  EXPECT_EQ(view->indicators(2).text(), "threatened now");
  EXPECT_EQ(view->indicators(2).language(), "en");
  ASSERT_EQ(view->dimension_positive_when_size(), 4);
  EXPECT_TRUE(view->dimension_positive_when(1).medium_or_weak());
  EXPECT_FALSE(sector_view(*set, "nope", common::v1::SECTOR_POLICE, common::v1::JURISDICTION_RS, "en"));
}

TEST(CatalogueViews, TheMergedViewAddsACountrysOwnListOnlyInThatCountry) {
  auto set = testing::synthetic_set();
  auto in_serbia = sector_view(*set, "", common::v1::SECTOR_HEALTH, common::v1::JURISDICTION_RS, "en");
  auto in_albania = sector_view(*set, "", common::v1::SECTOR_HEALTH, common::v1::JURISDICTION_AL, "en");
  ASSERT_TRUE(in_serbia && in_albania);
  EXPECT_EQ(in_serbia->indicators_size(), in_albania->indicators_size() + 1);
  EXPECT_EQ(in_serbia->indicators(in_serbia->indicators_size() - 1).id(), "RS-OWN-01");
}

TEST(CatalogueViews, SummariesListTheLanguagesTheCatalogueHas) {
  auto set = testing::synthetic_set();
  auto summary = catalogue_summary(*set->catalogue("rs-own"), "sr");
  EXPECT_EQ(summary.title(), "Lista Srbije");
  EXPECT_THAT(summary.languages(), ElementsAre("en", "sr"));
  EXPECT_EQ(summary.jurisdiction(), common::v1::JURISDICTION_RS);
  EXPECT_EQ(summary.indicator_count(), 1u);
}

}  // namespace
}  // namespace pact::screening
