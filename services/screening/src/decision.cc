#include "decision.h"

#include <algorithm>
#include <bit>

#include "recommendation_rules.h"

namespace pact::screening {

std::string_view safety_rule_id(SafetyRule rule) {
  switch (rule) {
    case SafetyRule::urgent_medical_first: return "urgent-medical-first";
    case SafetyRule::danger_refers: return "danger-refers";
    case SafetyRule::child_protection_always: return "child-protection-always";
    case SafetyRule::strong_indicator_refers: return "strong-indicator-refers";
    case SafetyRule::language_barrier_interpreter: return "language-barrier-interpreter";
    case SafetyRule::inform_before_referral: return "inform-before-referral";
    case SafetyRule::none: break;
  }
  return "";
}

int GroupOutcome::positive_count() const { return std::popcount(static_cast<unsigned>(positive)); }

bool Decision::recommends(v1::RecommendationType type) const {
  return std::any_of(recommendations.begin(), recommendations.end(),
                     [type](const RecommendationEntry& entry) { return entry.type == type; });
}

void Decision::clear() {
  level = v1::LEVEL_UNSPECIFIED;
  flags = reported_flags = child_basis = 0;
  child_rule_applied = any_strong = further_assessment_by_catalogue = false;
  recommendations.clear();
  observed.clear();
  unknown_ids.clear();
  for (GroupOutcome& group : groups) group = GroupOutcome{};
  deciding_group = -1;
}

std::uint8_t child_basis(const v1::ScreeningRequest& request) {
  std::uint8_t basis = 0;
  const common::v1::Age& age = request.age();
  if (request.reported_flags().presumed_child()) basis |= kChildReportedFlag;
  if (age.has_years() && age.years() < 18) basis |= kChildAgeUnder18;
  if (age.band() == common::v1::AGE_BAND_0_8 || age.band() == common::v1::AGE_BAND_9_17) basis |= kChildAgeBand;
  if (age.presumed_minor()) basis |= kChildPresumedMinor;
  // "Unaccompanied or separated" describes a child (CRC General Comment 6): the flag alone is a
  // reason to treat the person as one.
  if (request.reported_flags().unaccompanied_or_separated()) basis |= kChildReportedUnaccompanied;
  if (age.has_estimate_max_years() && age.estimate_max_years() < 18) basis |= kChildEstimateIncludesMinor;
  // Age presumption (CoE Convention art. 10(3)): an undocumented age whose estimate reaches below 18
  // is a reason to believe the person may be a child.
  if (age.certainty() != common::v1::AGE_CERTAINTY_DOCUMENTED && age.has_estimate_min_years() &&
      age.estimate_min_years() < 18) {
    basis |= kChildEstimateIncludesMinor;
  }
  return basis;
}

bool combination_met(const CatalogueSet& catalogues, std::uint32_t group, DimensionMask positive, bool child) {
  const CatalogueRules& rules = catalogues.catalogues()[catalogues.groups()[group].catalogue].rules;
  // Safety rule: for a child the "means" are not required, so whatever meets the adult rule meets
  // the child rule too, however a file writes child_combination.
  if (child && rules.child_combination.met_by(positive)) return true;
  return rules.adult_combination.met_by(positive);
}

namespace {

bool tally_positive(const CatalogueRules& rules, const DimensionTally& tally) {
  return tally.total() != 0 && rules.dimension_positive(tally.strong, tally.medium, tally.weak);
}

// Which group the result reports: one that meets the combination, else the one that went furthest.
int deciding_group(const Decision& decision) {
  int best = -1;
  auto rank = [](const GroupOutcome& group) {
    return std::tuple(group.combination_met, group.positive_count(), group.observed);
  };
  for (int g = 0; g < static_cast<int>(decision.groups.size()); ++g) {
    if (decision.groups[g].observed == 0) continue;
    if (best < 0 || rank(decision.groups[g]) > rank(decision.groups[best])) best = g;
  }
  return best;
}

}  // namespace

void decide(const CatalogueSet& catalogues, const v1::ScreeningRequest& request, Decision& out) {
  out.groups.resize(catalogues.groups().size());
  out.clear();
  const common::v1::Jurisdiction jurisdiction = request.jurisdiction();

  for (const std::string& id : request.observed_indicator_ids()) {
    std::uint32_t index = catalogues.find(id);
    // A country's own list applies in that country only; elsewhere its ids are unknown.
    if (index == CatalogueSet::kUnknown || !catalogues.catalogue_of(index).applies_in(jurisdiction)) {
      if (std::find(out.unknown_ids.begin(), out.unknown_ids.end(), std::string_view(id)) == out.unknown_ids.end()) {
        out.unknown_ids.emplace_back(id);
      }
      continue;
    }
    out.observed.push_back(index);
  }
  std::sort(out.unknown_ids.begin(), out.unknown_ids.end());  // the same ids in any order give the same result
  std::sort(out.observed.begin(), out.observed.end());
  out.observed.erase(std::unique(out.observed.begin(), out.observed.end()), out.observed.end());

  out.reported_flags = flags_from_proto(request.reported_flags());
  out.flags = out.reported_flags;
  out.child_basis = child_basis(request);
  if (out.child_basis != 0) out.flags |= kPresumedChild;
  const bool child = (out.flags & kPresumedChild) != 0;
  out.child_rule_applied = child;
  const auto companion = request.companion_status();
  if (child && (companion == common::v1::COMPANION_STATUS_UNACCOMPANIED ||
                companion == common::v1::COMPANION_STATUS_SEPARATED)) {
    out.flags |= kUnaccompaniedOrSeparated;
  }

  for (std::uint32_t index : out.observed) {
    const CompiledIndicator& indicator = catalogues.compiled(index);
    out.flags |= indicator.sets_flags;
    if (indicator.strength == v1::STRENGTH_STRONG) out.any_strong = true;
    if (indicator.group == CompiledIndicator::kNoGroup) continue;
    GroupOutcome& group = out.groups[indicator.group];
    DimensionTally& tally = group.tallies[indicator.dimension];
    ++group.observed;
    switch (indicator.strength) {
      case v1::STRENGTH_STRONG: ++tally.strong; break;
      case v1::STRENGTH_MEDIUM: ++tally.medium; break;
      default: ++tally.weak; break;
    }
  }

  bool combination = false;
  for (std::uint32_t g = 0; g < out.groups.size(); ++g) {
    GroupOutcome& group = out.groups[g];
    if (group.observed == 0) continue;
    const CatalogueRules& rules = catalogues.catalogues()[catalogues.groups()[g].catalogue].rules;
    for (int d = 1; d <= kDimensionCount; ++d) {
      if (tally_positive(rules, group.tallies[d])) group.positive |= static_cast<DimensionMask>(1 << d);
    }
    group.combination_met = combination_met(catalogues, g, group.positive, child);
    combination = combination || group.combination_met;
    const std::uint32_t threshold = rules.further_assessment_when_positive_dimensions;
    if (threshold != 0 && static_cast<std::uint32_t>(group.positive_count()) >= threshold) {
      out.further_assessment_by_catalogue = true;
    }
  }
  out.deciding_group = deciding_group(out);

  // Safety rule: any observed indicator gives at least "indications present" (never "not a victim").
  if (combination) {
    out.level = v1::LEVEL_COMBINATION_MET;
  } else if (!out.observed.empty()) {
    out.level = v1::LEVEL_INDICATIONS_PRESENT;
  } else {
    out.level = v1::LEVEL_NO_INDICATORS_OBSERVED;
  }

  RecommendationFacts facts;
  facts.combination_met = combination;
  facts.flags = out.flags;
  facts.any_strong = out.any_strong;
  facts.any_observed = !out.observed.empty();
  facts.catalogue_asks_further_assessment = out.further_assessment_by_catalogue;
  recommend(facts, out.recommendations);
}

}  // namespace pact::screening
