#include "evidence.h"

#include <bit>

namespace pact::screening {
namespace {

std::vector<std::uint32_t> observed_where(const CatalogueSet& catalogues, const Decision& decision, auto predicate) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t index : decision.observed) {
    if (predicate(catalogues.compiled(index))) out.push_back(index);
  }
  return out;
}

std::vector<std::uint32_t> positive_dimension_evidence(const CatalogueSet& catalogues, const Decision& decision) {
  if (decision.deciding_group < 0) return {};
  const auto group = static_cast<std::uint16_t>(decision.deciding_group);
  const DimensionMask positive = decision.groups[group].positive;
  return observed_where(catalogues, decision, [&](const CompiledIndicator& indicator) {
    return indicator.group == group && (positive & (1 << indicator.dimension)) != 0;
  });
}

}  // namespace

std::vector<std::uint32_t> dimension_evidence(const CatalogueSet& catalogues, const Decision& decision, int group,
                                              int dimension) {
  return observed_where(catalogues, decision, [&](const CompiledIndicator& indicator) {
    return indicator.group == group && indicator.dimension == dimension;
  });
}

std::vector<std::uint32_t> recommendation_evidence(const CatalogueSet& catalogues, const Decision& decision,
                                                   const RecommendationEntry& entry) {
  auto with_flag = [&](FlagSet flag) {
    return observed_where(catalogues, decision,
                          [flag](const CompiledIndicator& indicator) { return (indicator.sets_flags & flag) != 0; });
  };
  switch (entry.type) {
    case v1::RECOMMENDATION_TYPE_URGENT_MEDICAL_CARE: return with_flag(kUrgentMedical);
    case v1::RECOMMENDATION_TYPE_IMMEDIATE_SAFETY: return with_flag(kImmediateDanger);
    case v1::RECOMMENDATION_TYPE_INTERPRETATION: return with_flag(kLanguageBarrier);
    case v1::RECOMMENDATION_TYPE_REFER_FOR_FORMAL_IDENTIFICATION:
      return positive_dimension_evidence(catalogues, decision);
    case v1::RECOMMENDATION_TYPE_ASSISTANCE_AND_FURTHER_ASSESSMENT:
      if (entry.safety_rule == SafetyRule::strong_indicator_refers) {
        return observed_where(catalogues, decision, [](const CompiledIndicator& indicator) {
          return indicator.strength == v1::STRENGTH_STRONG;
        });
      }
      if (entry.safety_rule == SafetyRule::danger_refers) return with_flag(kImmediateDanger);
      return positive_dimension_evidence(catalogues, decision);
    default: return {};
  }
}

std::string describe_indicators(const CatalogueSet& catalogues, const std::vector<std::uint32_t>& indices,
                                std::string_view language) {
  std::string out;
  for (std::uint32_t index : indices) {
    const Indicator& indicator = catalogues.indicator(index);
    if (!out.empty()) out += "; ";
    out += indicator.id + " " + indicator.text.in(language);
  }
  return out.empty() ? "-" : out;
}

GroupName group_name(const CatalogueSet& catalogues, int group) {
  const IndicatorGroup& info = catalogues.groups()[static_cast<std::size_t>(group)];
  const Catalogue& catalogue = catalogues.catalogues()[info.catalogue];
  return {catalogue.id, catalogue.version, std::string(list_name(info.list))};
}

std::string recommendation_reason(const CatalogueSet& catalogues, const Phrasebook& phrases, const Decision& decision,
                                  const RecommendationEntry& entry, std::string_view language) {
  std::string text;
  switch (entry.type) {
    case v1::RECOMMENDATION_TYPE_URGENT_MEDICAL_CARE:
      text = phrases.render("recommendation.urgent_medical_care", language);
      break;
    case v1::RECOMMENDATION_TYPE_IMMEDIATE_SAFETY: text = phrases.render("recommendation.immediate_safety", language); break;
    case v1::RECOMMENDATION_TYPE_CHILD_PROTECTION_AND_GUARDIAN:
      text = phrases.render((decision.flags & kUnaccompaniedOrSeparated) != 0
                                ? "recommendation.child_protection_and_guardian"
                                : "recommendation.child_protection",
                            language);
      break;
    case v1::RECOMMENDATION_TYPE_REFER_FOR_FORMAL_IDENTIFICATION:
      text = phrases.render("recommendation.formal_identification", language);
      break;
    case v1::RECOMMENDATION_TYPE_ASSISTANCE_AND_FURTHER_ASSESSMENT:
      if (entry.safety_rule == SafetyRule::strong_indicator_refers) {
        text = phrases.render(
            "recommendation.assistance.strong_indicator", language,
            {{"indicators", describe_indicators(catalogues, recommendation_evidence(catalogues, decision, entry), language)}});
      } else if (entry.safety_rule == SafetyRule::danger_refers) {
        text = phrases.render("recommendation.assistance.danger", language);
      } else {
        const GroupName name = group_name(catalogues, decision.deciding_group);
        const std::string positive = std::to_string(decision.groups[static_cast<std::size_t>(decision.deciding_group)].positive_count());
        text = phrases.render("recommendation.assistance.catalogue", language,
                              {{"positive", positive}, {"catalogue", name.catalogue}, {"version", name.version}});
      }
      break;
    case v1::RECOMMENDATION_TYPE_INTERPRETATION: text = phrases.render("recommendation.interpretation", language); break;
    case v1::RECOMMENDATION_TYPE_INFORM_ABOUT_RIGHTS_AND_ASSISTANCE:
      text = phrases.render("recommendation.inform", language);
      break;
    default: break;
  }
  if (entry.safety_rule == SafetyRule::none) return text;
  return phrases.render("safety_rule", language, {{"rule", safety_rule_id(entry.safety_rule)}, {"text", text}});
}

}  // namespace pact::screening
