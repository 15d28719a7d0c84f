#pragma once

#include <optional>
#include <string>

#include "catalogue_set.h"

namespace pact::screening {

// What frontline apps show: catalogue summaries and a sector's view of one catalogue (or of every
// catalogue that applies), with texts in the requested language, falling back to English.
v1::CatalogueSummary catalogue_summary(const Catalogue& catalogue, std::string_view language);

// Nullopt when catalogue_id names no loaded catalogue.
std::optional<v1::Catalogue> sector_view(const CatalogueSet& catalogues, const std::string& catalogue_id,
                                         common::v1::Sector sector, common::v1::Jurisdiction jurisdiction,
                                         std::string_view language);

}  // namespace pact::screening
