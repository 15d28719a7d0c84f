#include <gtest/gtest.h>

#include "opening_hours.h"
#include "provider_selection.h"
#include "routing_fixture.h"

namespace pact::routing {
namespace {

PersonProfile adult_in_presevo() {
  PersonProfile person;
  person.jurisdiction = common::JURISDICTION_RS;
  person.municipality = "Preševo";
  person.site_id = "rs-presevo-rc";
  person.age_years = 30;
  person.gender = common::GENDER_FEMALE;
  person.languages = {"ar"};
  return person;
}

std::vector<std::string> ids(const std::vector<const v1::Service*>& services) {
  std::vector<std::string> out;
  for (const auto* service : services) out.push_back(service->service_id());
  return out;
}

TEST(ProviderSelection, OnlyEligibleProvidersAreOffered) {
  auto closed = testing::service("closed", v1::SERVICE_TYPE_SAFE_ACCOMMODATION);
  closed.set_status(v1::SERVICE_STATUS_TEMPORARILY_CLOSED);
  auto elsewhere = testing::service("elsewhere", v1::SERVICE_TYPE_SAFE_ACCOMMODATION, common::JURISDICTION_MK);
  auto children = testing::service("children", v1::SERVICE_TYPE_SAFE_ACCOMMODATION);
  children.mutable_eligibility()->set_maximum_age(17);
  auto men = testing::service("men", v1::SERVICE_TYPE_SAFE_ACCOMMODATION);
  men.mutable_eligibility()->add_genders(common::GENDER_MALE);
  auto full = testing::with_capacity(testing::service("full", v1::SERVICE_TYPE_SAFE_ACCOMMODATION), 0, 10);
  auto office = testing::service("office", v1::SERVICE_TYPE_SAFE_ACCOMMODATION);
  office.mutable_schedule()->set_open_24_7(false);
  office.mutable_schedule()->set_time_zone("Europe/Belgrade");
  auto* hours = office.mutable_schedule()->add_hours();
  hours->set_weekday(2);  // Tuesdays only
  hours->set_opens_at("08:00");
  hours->set_closes_at("16:00");
  auto other_type = testing::service("legal", v1::SERVICE_TYPE_LEGAL_AID);
  auto good = testing::service("good", v1::SERVICE_TYPE_SAFE_ACCOMMODATION);
  const Directory directory({}, {closed, elsewhere, children, men, full, office, other_type, good});
  const auto now = testing::monday_morning();
  EXPECT_EQ(ids(rank_providers(directory, v1::SERVICE_TYPE_SAFE_ACCOMMODATION, adult_in_presevo(), {}, now)),
            std::vector<std::string>{"good"});
  EXPECT_EQ(eligibility(closed, adult_in_presevo(), now), Ineligible::not_active);
  EXPECT_EQ(eligibility(elsewhere, adult_in_presevo(), now), Ineligible::outside_area);
  EXPECT_EQ(eligibility(children, adult_in_presevo(), now), Ineligible::age);
  EXPECT_EQ(eligibility(men, adult_in_presevo(), now), Ineligible::gender);
  EXPECT_EQ(eligibility(full, adult_in_presevo(), now), Ineligible::full);
  EXPECT_EQ(eligibility(office, adult_in_presevo(), now), Ineligible::closed);
}

TEST(ProviderSelection, APresumedChildIsAChildWhateverAgeWasWrittenDown) {
  auto adults = testing::service("adults", v1::SERVICE_TYPE_SAFE_ACCOMMODATION);
  adults.mutable_eligibility()->set_minimum_age(18);
  auto children = testing::service("children", v1::SERVICE_TYPE_SAFE_ACCOMMODATION);
  children.mutable_eligibility()->set_maximum_age(17);
  PersonProfile person = adult_in_presevo();
  person.age_years = 19;  // estimated, but the professional believes a minor
  person.presumed_child = true;
  const Directory directory({}, {adults, children});
  EXPECT_EQ(ids(rank_providers(directory, v1::SERVICE_TYPE_SAFE_ACCOMMODATION, person, {}, testing::monday_morning())),
            std::vector<std::string>{"children"});
}

TEST(ProviderSelection, RankedByClosenessThenLanguageThenFreeCapacity) {
  auto jurisdiction_wide = testing::service("a-jurisdiction", v1::SERVICE_TYPE_PSYCHOSOCIAL_SUPPORT);
  auto municipality = testing::service("b-municipality", v1::SERVICE_TYPE_PSYCHOSOCIAL_SUPPORT);
  municipality.mutable_area()->add_municipalities("Preševo");
  auto site = testing::service("c-site", v1::SERVICE_TYPE_PSYCHOSOCIAL_SUPPORT);
  site.mutable_area()->add_site_ids("rs-presevo-rc");
  auto arabic = testing::service("d-arabic", v1::SERVICE_TYPE_PSYCHOSOCIAL_SUPPORT);
  arabic.add_languages("ar");
  auto roomy = testing::with_capacity(testing::service("e-roomy", v1::SERVICE_TYPE_PSYCHOSOCIAL_SUPPORT), 9, 10);
  auto tight = testing::with_capacity(testing::service("f-tight", v1::SERVICE_TYPE_PSYCHOSOCIAL_SUPPORT), 1, 10);
  auto other_town = testing::service("g-other-town", v1::SERVICE_TYPE_PSYCHOSOCIAL_SUPPORT);
  other_town.mutable_area()->add_municipalities("Šid");
  const Directory directory({}, {tight, roomy, arabic, site, municipality, jurisdiction_wide, other_town});
  EXPECT_EQ(ids(rank_providers(directory, v1::SERVICE_TYPE_PSYCHOSOCIAL_SUPPORT, adult_in_presevo(), {}, testing::monday_morning())),
            (std::vector<std::string>{"c-site", "b-municipality", "d-arabic", "a-jurisdiction", "e-roomy", "f-tight"}));
}

TEST(ProviderSelection, TriedProvidersAreSkipped) {
  const Directory directory({}, {testing::service("one", v1::SERVICE_TYPE_LEGAL_AID), testing::service("two", v1::SERVICE_TYPE_LEGAL_AID)});
  EXPECT_EQ(ids(rank_providers(directory, v1::SERVICE_TYPE_LEGAL_AID, adult_in_presevo(), {"one"}, testing::monday_morning())),
            std::vector<std::string>{"two"});
}

TEST(ProviderSelection, CoordinationContactsAreFoundByTheJurisdictionTheyCoordinate) {
  const Directory directory({}, testing::one_of_each());
  const auto* desk = coordination_contact(directory, v1::SERVICE_TYPE_EOC_DUTY_DESK, common::JURISDICTION_RS);
  ASSERT_NE(desk, nullptr);
  EXPECT_EQ(desk->service_id(), "eoc-desk");
  EXPECT_EQ(coordination_contact(directory, v1::SERVICE_TYPE_EOC_DUTY_DESK, common::JURISDICTION_MK), nullptr);
}

TEST(OpeningHours, LocalTimeAndHoursPastMidnight) {
  v1::Schedule schedule;
  schedule.set_time_zone("Europe/Skopje");
  auto* evening = schedule.add_hours();
  evening->set_weekday(1);  // Monday 16:00 to Tuesday 02:00
  evening->set_opens_at("16:00");
  evening->set_closes_at("02:00");
  const auto monday_10_utc = testing::monday_morning();  // 11:00 in Skopje
  EXPECT_FALSE(open_at(schedule, monday_10_utc));
  EXPECT_TRUE(open_at(schedule, monday_10_utc + std::chrono::hours(6)));   // 17:00
  EXPECT_TRUE(open_at(schedule, monday_10_utc + std::chrono::hours(14)));  // Tuesday 01:00
  EXPECT_FALSE(open_at(schedule, monday_10_utc + std::chrono::hours(16))); // Tuesday 03:00
  schedule.set_time_zone("Mars/Olympus_Mons");
  EXPECT_FALSE(open_at(schedule, monday_10_utc + std::chrono::hours(6)));
  schedule.set_open_24_7(true);
  EXPECT_TRUE(open_at(schedule, monday_10_utc));
}

}  // namespace
}  // namespace pact::routing
