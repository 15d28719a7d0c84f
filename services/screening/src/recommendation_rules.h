#pragma once

#include <vector>

#include "decision.h"

namespace pact::screening {

// What the recommendations depend on. Kept apart from the counting so that follow-up questions can
// ask "what would we recommend if this were observed too?" with the same rules.
struct RecommendationFacts {
  bool combination_met = false;
  FlagSet flags = 0;
  bool any_strong = false;
  bool any_observed = false;
  bool catalogue_asks_further_assessment = false;  // the catalogue's positive-dimension threshold
};

// The recommendations, in the order to act on them: urgent medical care first, immediate safety,
// child protection, interpretation, information about assistance and rights, then formal
// identification or assistance and further assessment.
// The safety rules of REFERENCE section 0 are applied here and cannot be configured:
// - a strong indicator, a child flag or a danger flag always yields a referral recommendation;
// - a presumed child always gets child protection (and a guardian when unaccompanied/separated),
//   without waiting for consent;
// - urgent medical care comes first.
void recommend(const RecommendationFacts& facts, std::vector<RecommendationEntry>& out);

}  // namespace pact::screening
