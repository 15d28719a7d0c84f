#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "decision.h"

namespace pact::screening {

// A question worth asking next: observing this indicator would change the result.
struct FollowUp {
  std::uint32_t indicator = 0;
  v1::Level level_if_observed = v1::LEVEL_UNSPECIFIED;
  std::vector<v1::RecommendationType> recommendations_if_observed;  // those it would add
  int dimension_if_observed = 0;                                     // the dimension it would turn positive
};

// The indicators of the sector's view (in the sector's order) that would raise the level, add a
// recommendation or turn a dimension positive if observed too; at most `limit` of them. A presumed
// child is asked from the child lists, anyone else from the adult ones (the general lists, such as
// health, apply to both).
std::vector<FollowUp> follow_up_questions(const CatalogueSet& catalogues, const v1::ScreeningRequest& request,
                                          const Decision& decision, std::size_t limit);

}  // namespace pact::screening
