#include "follow_up.h"

#include <algorithm>

#include "recommendation_rules.h"

namespace pact::screening {
namespace {

bool positive_with_one_more(const CatalogueRules& rules, DimensionTally tally, std::uint8_t strength) {
  switch (strength) {
    case v1::STRENGTH_STRONG: ++tally.strong; break;
    case v1::STRENGTH_MEDIUM: ++tally.medium; break;
    default: ++tally.weak; break;
  }
  return rules.dimension_positive(tally.strong, tally.medium, tally.weak);
}

}  // namespace

std::vector<FollowUp> follow_up_questions(const CatalogueSet& catalogues, const v1::ScreeningRequest& request,
                                          const Decision& decision, std::size_t limit) {
  std::vector<FollowUp> questions;
  const bool child = (decision.flags & kPresumedChild) != 0;
  std::vector<RecommendationEntry> would_recommend;
  for (std::uint32_t index : catalogues.ask_order(request.sector(), request.jurisdiction())) {
    if (questions.size() >= limit) break;
    if (std::binary_search(decision.observed.begin(), decision.observed.end(), index)) continue;
    const CompiledIndicator& candidate = catalogues.compiled(index);
    // Ask a child the child lists' questions and an adult the adult lists' ones.
    if (child ? candidate.adult_list : candidate.child_list) continue;

    RecommendationFacts facts;
    facts.combination_met = decision.level == v1::LEVEL_COMBINATION_MET;
    facts.flags = decision.flags | candidate.sets_flags;
    facts.any_strong = decision.any_strong || candidate.strength == v1::STRENGTH_STRONG;
    facts.any_observed = true;
    facts.catalogue_asks_further_assessment = decision.further_assessment_by_catalogue;

    FollowUp question;
    question.indicator = index;
    if (candidate.group != CompiledIndicator::kNoGroup) {
      const GroupOutcome& group = decision.groups[candidate.group];
      const auto bit = static_cast<DimensionMask>(1 << candidate.dimension);
      const CatalogueRules& rules = catalogues.catalogues()[candidate.catalogue].rules;
      if ((group.positive & bit) == 0 &&
          positive_with_one_more(rules, group.tallies[candidate.dimension], candidate.strength)) {
        question.dimension_if_observed = candidate.dimension;
        const auto positive = static_cast<DimensionMask>(group.positive | bit);
        facts.combination_met = facts.combination_met || combination_met(catalogues, candidate.group, positive, child);
        const std::uint32_t threshold = rules.further_assessment_when_positive_dimensions;
        if (threshold != 0 && static_cast<std::uint32_t>(group.positive_count() + 1) >= threshold) {
          facts.catalogue_asks_further_assessment = true;
        }
      }
    }
    question.level_if_observed = facts.combination_met ? v1::LEVEL_COMBINATION_MET : v1::LEVEL_INDICATIONS_PRESENT;
    recommend(facts, would_recommend);
    for (const RecommendationEntry& entry : would_recommend) {
      if (!decision.recommends(entry.type)) question.recommendations_if_observed.push_back(entry.type);
    }
    const bool changes = question.level_if_observed > decision.level || !question.recommendations_if_observed.empty() ||
                         question.dimension_if_observed != 0;
    if (changes) questions.push_back(std::move(question));
  }
  return questions;
}

}  // namespace pact::screening
