#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "decision.h"
#include "phrasebook.h"

namespace pact::screening {

// The observed indicators counted in one dimension of one group.
std::vector<std::uint32_t> dimension_evidence(const CatalogueSet& catalogues, const Decision& decision, int group,
                                              int dimension);

// The observed indicators that led to a recommendation (empty when the age or a reported flag did).
std::vector<std::uint32_t> recommendation_evidence(const CatalogueSet& catalogues, const Decision& decision,
                                                   const RecommendationEntry& entry);

// The recommendation's reason in a language.
std::string recommendation_reason(const CatalogueSet& catalogues, const Phrasebook& phrases, const Decision& decision,
                                  const RecommendationEntry& entry, std::string_view language);

// "ILO-AL-D1-01 deceived about the nature of the job; ..." for explanations.
std::string describe_indicators(const CatalogueSet& catalogues, const std::vector<std::uint32_t>& indices,
                                std::string_view language);

// "ilo-ec-2009 2009.1, adult_labour" parts of the deciding group.
struct GroupName {
  std::string catalogue;
  std::string version;
  std::string list;
};
GroupName group_name(const CatalogueSet& catalogues, int group);

}  // namespace pact::screening
