#include "catalogue_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "screening_fixture.h"

namespace pact::screening {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;

const char* kHead = R"(catalogue:
  id: small
  version: "1"
  jurisdiction: regional
  source: "tests"
  title: {en: "Small"}
)";

std::vector<std::string> problems_of(const std::string& yaml) {
  try {
    parse_catalogue(yaml, "small.yaml");
  } catch (const CatalogueError& e) {
    return e.problems();
  }
  ADD_FAILURE() << "the catalogue was accepted";
  return {};
}

TEST(CatalogueLoader, LoadsTheSyntheticCatalogue) {
  Catalogue catalogue = parse_catalogue(testing::synthetic_catalogue_yaml(), "synthetic.yaml");
  EXPECT_EQ(catalogue.id, "synthetic");
  EXPECT_TRUE(catalogue.has_rules);
  EXPECT_EQ(catalogue.rules.dimension_positive_when.size(), 4u);
  EXPECT_EQ(catalogue.views.size(), 2u);
}

TEST(CatalogueLoader, UnknownDimensionStrengthSectorAndFlagAreReportedWithTheirLines) {
  auto problems = problems_of(std::string(kHead) + R"(rules:
  dimension_positive_when: [{strong: 2}]
  adult_combination: [[deceptive_recruitment]]
  child_combination: [[deceptive_recruitment]]
lists:
  - {list: adult_labour, title: {en: "A"}}
indicators:
  - {id: A-1, list: adult_labour, dimension: deceptive_recruitmnt, strength: strong, text: {en: "a"}, sectors: [police], source: "s"}
  - {id: A-2, list: adult_labour, dimension: coercive_recruitment, strength: strongish, text: {en: "b"}, sectors: [polize], source: "s"}
  - {id: A-3, list: adult_labour, dimension: coercive_recruitment, strength: medium, text: {en: "c"}, sectors: [police], sets_flags: [vip], source: "s"}
)");
  EXPECT_THAT(problems, Contains(AllOf(HasSubstr("small.yaml:14:"), HasSubstr("unknown dimension 'deceptive_recruitmnt'"))));
  EXPECT_THAT(problems, Contains(AllOf(HasSubstr("small.yaml:15:"), HasSubstr("unknown strength 'strongish'"))));
  EXPECT_THAT(problems, Contains(AllOf(HasSubstr("small.yaml:15:"), HasSubstr("unknown sector 'polize'"))));
  EXPECT_THAT(problems, Contains(AllOf(HasSubstr("small.yaml:16:"), HasSubstr("unknown flag 'vip'"))));
}

TEST(CatalogueLoader, DuplicateIdsAreReportedWithBothLines) {
  auto problems = problems_of(std::string(kHead) + R"(lists:
  - {list: health, title: {en: "H"}}
indicators:
  - {id: H-1, list: health, strength: strong, text: {en: "a"}, sectors: [health], source: "s"}
  - {id: H-1, list: health, strength: medium, text: {en: "b"}, sectors: [health], source: "s"}
)");
  EXPECT_THAT(problems, Contains(AllOf(HasSubstr("small.yaml:11:"), HasSubstr("duplicate indicator id 'H-1'"),
                                       HasSubstr("line 10"))));
}

TEST(CatalogueLoader, DanglingReferencesAndSectorMismatchesInViewsAreRejected) {
  auto problems = problems_of(std::string(kHead) + R"(lists:
  - {list: health, title: {en: "H"}}
indicators:
  - {id: H-1, list: health, strength: strong, text: {en: "a"}, sectors: [health], source: "s"}
sector_views:
  - sector: health
    ask_order: [H-1, H-404]
  - sector: police
    ask_order: [H-1]
)");
  EXPECT_THAT(problems, Contains(AllOf(HasSubstr("small.yaml:13:"), HasSubstr("'H-404'"), HasSubstr("dangling reference"))));
  EXPECT_THAT(problems, Contains(AllOf(HasSubstr("small.yaml:15:"), HasSubstr("does not list this sector"))));
}

TEST(CatalogueLoader, StructuralMistakesAreAllReportedAtOnce) {
  auto problems = problems_of(std::string(kHead) + R"(colour: blue
lists:
  - {list: child_labour, title: {sr: "Deca"}}
indicators:
  - {id: C-1, list: child_labour, dimension: exploitative_conditions, strength: weak, text: {en: "a"}, sectors: [health], source: "s"}
  - {id: C-2, list: adult_sexual, dimension: exploitative_conditions, strength: medium, text: {sr: "b"}, sectors: [health], source: "s"}
  - {id: C-3, list: child_labour, strength: medium, text: {en: "c"}, sectors: [health], source: "s"}
  - {id: c-4 lower, list: child_labour, dimension: exploitative_conditions, strength: medium, text: {en: "d"}, sectors: [], source: "s"}
)");
  EXPECT_THAT(problems, Contains(AllOf(HasSubstr("small.yaml:7:"), HasSubstr("unknown key 'colour'"))));
  EXPECT_THAT(problems, Contains(AllOf(HasSubstr("small.yaml:9:"), HasSubstr("no English"))));
  EXPECT_THAT(problems, Contains(AllOf(HasSubstr("small.yaml:11:"), HasSubstr("child lists have no weak tier"))));
  EXPECT_THAT(problems, Contains(AllOf(HasSubstr("small.yaml:12:"), HasSubstr("is not declared"))));
  EXPECT_THAT(problems, Contains(AllOf(HasSubstr("small.yaml:13:"), HasSubstr("need a 'dimension'"))));
  EXPECT_THAT(problems, Contains(AllOf(HasSubstr("small.yaml:14:"), HasSubstr("id must match"))));
  EXPECT_THAT(problems, Contains(AllOf(HasSubstr("small.yaml:14:"), HasSubstr("at least one sector"))));
  EXPECT_THAT(problems, Contains(HasSubstr("no 'rules' section")));
}

TEST(CatalogueLoader, RulesMustNameKnownDimensionsAndRequireSomething) {
  auto problems = problems_of(std::string(kHead) + R"(rules:
  dimension_positive_when: [{strong: 0}, {strong: -1}]
  adult_combination: [[exploitation]]
  child_combination: []
lists:
  - {list: health, title: {en: "H"}}
indicators:
  - {id: H-1, list: health, strength: strong, text: {en: "a"}, sectors: [health], source: "s"}
)");
  EXPECT_THAT(problems, Contains(HasSubstr("a clause must require at least one indicator")));
  EXPECT_THAT(problems, Contains(HasSubstr("must be a whole number")));
  EXPECT_THAT(problems, Contains(AllOf(HasSubstr("small.yaml:10:"), HasSubstr("child_combination needs at least one group"))));
  EXPECT_THAT(problems, Contains(AllOf(HasSubstr("small.yaml:9:"), HasSubstr("unknown dimension 'exploitation'"))));
}

TEST(CatalogueLoader, InvalidYamlNamesTheLine) {
  auto problems = problems_of(std::string(kHead) + "lists: [\n  - {list: health\n");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0], AllOf(HasSubstr("small.yaml:"), HasSubstr("not valid YAML")));
}

TEST(CatalogueSet, AnIdDefinedInTwoFilesIsRejectedNamingBoth) {
  std::vector<Catalogue> catalogues;
  catalogues.push_back(parse_catalogue(testing::country_catalogue_yaml(), "one.yaml"));
  std::string copy = testing::country_catalogue_yaml();
  copy.replace(copy.find("id: rs-own"), 10, "id: rs-two");
  catalogues.push_back(parse_catalogue(copy, "two.yaml"));
  try {
    CatalogueSet set(std::move(catalogues));
    FAIL() << "accepted";
  } catch (const CatalogueError& e) {
    EXPECT_THAT(e.problems(), Contains(AllOf(HasSubstr("two.yaml:"), HasSubstr("RS-OWN-01"), HasSubstr("one.yaml:"))));
  }
}

TEST(RepositoryCatalogues, LoadWithoutProblemsAndCoverEverySector) {
  auto set = testing::repository_set();
  ASSERT_NE(set->catalogue("ilo-ec-2009"), nullptr);
  ASSERT_NE(set->catalogue("health-2009"), nullptr);
  ASSERT_NE(set->catalogue("child-unodc"), nullptr);
  std::size_t adult_labour = 0;
  for (const Indicator& indicator : set->catalogue("ilo-ec-2009")->indicators) {
    if (indicator.list == v1::INDICATOR_LIST_ADULT_LABOUR) ++adult_labour;
  }
  EXPECT_EQ(adult_labour, 67u) << "REFERENCE section 2: 67 adult labour indicators";
  for (auto sector : {common::v1::SECTOR_POLICE, common::v1::SECTOR_SOCIAL_WELFARE, common::v1::SECTOR_HEALTH,
                      common::v1::SECTOR_PROTECTION_FACILITY, common::v1::SECTOR_EDUCATION,
                      common::v1::SECTOR_EMPLOYMENT}) {
    EXPECT_FALSE(set->ask_order(sector, common::v1::JURISDICTION_RS).empty()) << sector;
  }
}

TEST(RepositoryCatalogues, TheExampleCountryListLoadsBesideTheRegionalOnes) {
  auto catalogues = load_catalogue_dirs({std::string(PACT_REFERENCE_DIR) + "/screening/catalogues",
                                         std::string(PACT_REFERENCE_DIR) + "/screening/examples"});
  CatalogueSet set(std::move(catalogues));
  const Catalogue* own = set.catalogue("rs-health-example");
  ASSERT_NE(own, nullptr);
  EXPECT_EQ(own->jurisdiction, common::v1::JURISDICTION_RS);
}

TEST(Phrasebook, RepositoryMessagesHaveEveryMessageTheServiceRenders) {
  auto phrases = testing::repository_phrases();
  EXPECT_EQ(phrases->render("dimension.positive", "sr-Latn", {{"number", "4"}}).substr(0, 11), "Dimension 4");
}

TEST(Phrasebook, AMissingMessageOrEnglishTextIsReported) {
  try {
    Phrasebook::parse("messages:\n  level.combination_met:\n    sq: \"x\"\n", "messages.yaml");
    FAIL() << "accepted";
  } catch (const CatalogueError& e) {
    EXPECT_THAT(e.problems(), Contains(AllOf(HasSubstr("messages.yaml:2:"), HasSubstr("no English"))));
    EXPECT_THAT(e.problems(), Contains(HasSubstr("message 'level.indications_present' is missing")));
  }
}

}  // namespace
}  // namespace pact::screening
