#pragma once

#include <memory>
#include <string>

#include "catalogue_loader.h"
#include "catalogue_set.h"
#include "phrasebook.h"
#include "screener.h"

namespace pact::screening::testing {

// A synthetic catalogue for decision tables: for every dimension d of the adult labour list,
// strong indicators T-D<d>-S1..S3, medium T-D<d>-M1..M4, weak T-D<d>-W1..W3; a child list with
// strong and medium only; a health list whose indicators set flags. Rules are the published ones.
inline std::string synthetic_catalogue_yaml() {
  std::string yaml = R"(catalogue:
  id: synthetic
  version: "1"
  jurisdiction: regional
  source: "unit tests"
  title: {en: "Synthetic"}
rules:
  dimension_positive_when:
    - {strong: 2}
    - {strong: 1, medium_or_weak: 1}
    - {medium: 3}
    - {medium: 2, weak: 1}
  adult_combination:
    - [deceptive_recruitment, coercive_recruitment, recruitment_by_abuse_of_vulnerability]
    - [exploitative_conditions]
    - [coercion_at_destination, abuse_of_vulnerability_at_destination]
  child_combination:
    - [deceptive_recruitment, coercive_recruitment, recruitment_by_abuse_of_vulnerability, coercion_at_destination, abuse_of_vulnerability_at_destination]
    - [exploitative_conditions]
  further_assessment_when_positive_dimensions: 1
lists:
  - {list: adult_labour, title: {en: "Adult labour"}}
  - {list: adult_sexual, title: {en: "Adult sexual"}}
  - {list: health, title: {en: "Health"}}
indicators:
)";
  const char* dimensions[] = {"", "deceptive_recruitment", "coercive_recruitment",
                              "recruitment_by_abuse_of_vulnerability", "exploitative_conditions",
                              "coercion_at_destination", "abuse_of_vulnerability_at_destination"};
  for (int d = 1; d <= 6; ++d) {
    for (auto [letter, strength, count] : {std::tuple{"S", "strong", 3}, std::tuple{"M", "medium", 4},
                                           std::tuple{"W", "weak", 3}}) {
      for (int i = 1; i <= count; ++i) {
        std::string id = "T-D" + std::to_string(d) + "-" + letter + std::to_string(i);
        yaml += "  - {id: " + id + ", list: adult_labour, dimension: " + dimensions[d] + ", strength: " + strength +
                ", text: {en: \"text " + id + "\", sq: \"teksti " + id + "\"}, question: {en: \"question " + id +
                "\"}, sectors: [police, health], source: \"test\"}\n";
      }
    }
  }
  yaml += R"(  - {id: X-D4-M1, list: adult_sexual, dimension: exploitative_conditions, strength: medium, text: {en: "x1"}, sectors: [health], source: "test"}
  - {id: X-D4-M2, list: adult_sexual, dimension: exploitative_conditions, strength: medium, text: {en: "x2"}, sectors: [health], source: "test"}
  - {id: H-URGENT, list: health, category: physical, strength: medium, text: {en: "acute injury"}, sectors: [health], sets_flags: [urgent_medical], source: "test"}
  - {id: H-DANGER, list: health, category: situational, strength: medium, text: {en: "threatened now"}, sectors: [health, police], sets_flags: [immediate_danger], source: "test"}
  - {id: H-LANGUAGE, list: health, category: behavioural, strength: weak, text: {en: "no common language"}, sectors: [health], sets_flags: [language_barrier], source: "test"}
  - {id: H-WEAK, list: health, category: physical, strength: weak, text: {en: "poor nutrition"}, sectors: [health], source: "test"}
  - {id: H-STRONG, list: health, category: physical, strength: strong, text: {en: "branding tattoo"}, sectors: [health], source: "test"}
sector_views:
  - sector: health
    ask_order: [H-URGENT, H-DANGER, T-D5-S1, T-D4-M1, T-D1-M1, H-WEAK]
  - sector: police
    ask_order: [T-D2-S1, T-D5-S1, H-DANGER]
)";
  return yaml;
}

inline std::string country_catalogue_yaml() {
  return R"(catalogue:
  id: rs-own
  version: "2024.1"
  jurisdiction: RS
  source: "unit tests"
  title: {en: "Serbia's own list", sr: "Lista Srbije"}
lists:
  - {list: sector_specific, title: {en: "Own"}}
indicators:
  - {id: RS-OWN-01, list: sector_specific, strength: strong, text: {en: "own strong"}, sectors: [health], source: "test"}
sector_views:
  - {sector: health, ask_order: [RS-OWN-01]}
)";
}

inline std::shared_ptr<const CatalogueSet> synthetic_set() {
  std::vector<Catalogue> catalogues;
  catalogues.push_back(parse_catalogue(synthetic_catalogue_yaml(), "synthetic.yaml"));
  catalogues.push_back(parse_catalogue(country_catalogue_yaml(), "rs-own.yaml"));
  return std::make_shared<const CatalogueSet>(std::move(catalogues));
}

inline std::shared_ptr<const CatalogueSet> repository_set() {
  return std::make_shared<const CatalogueSet>(
      load_catalogue_dirs({std::string(PACT_REFERENCE_DIR) + "/screening/catalogues"}));
}

inline std::shared_ptr<const Phrasebook> repository_phrases() {
  return std::make_shared<const Phrasebook>(
      Phrasebook::load(std::string(PACT_REFERENCE_DIR) + "/screening/messages.yaml"));
}

// An adult, documented age, screened by health in Serbia.
inline v1::ScreeningRequest adult_request(std::initializer_list<const char*> observed = {}) {
  v1::ScreeningRequest request;
  request.set_sector(common::v1::SECTOR_HEALTH);
  request.set_jurisdiction(common::v1::JURISDICTION_RS);
  request.mutable_age()->set_years(30);
  request.mutable_age()->set_certainty(common::v1::AGE_CERTAINTY_DOCUMENTED);
  request.mutable_age()->set_band(common::v1::AGE_BAND_30_38);
  request.set_language("en");
  for (const char* id : observed) request.add_observed_indicator_ids(id);
  return request;
}

}  // namespace pact::screening::testing
