#include "screener.h"

#include <algorithm>

#include "evidence.h"
#include "follow_up.h"
#include "ids/ids.h"

namespace pact::screening {
namespace {

void add_evidence(const CatalogueSet& catalogues, const std::vector<std::uint32_t>& indices,
                  google::protobuf::RepeatedPtrField<std::string>& out) {
  for (std::uint32_t index : indices) out.Add()->assign(catalogues.indicator(index).id);
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : ", ") + part;
  return out.empty() ? "-" : out;
}

}  // namespace

Screener::Screener(std::shared_ptr<const CatalogueSet> catalogues, std::shared_ptr<const Phrasebook> phrases,
                   std::size_t max_follow_up_questions)
    : catalogues_(std::move(catalogues)),
      phrases_(std::move(phrases)),
      max_follow_up_questions_(max_follow_up_questions) {}

std::string Screener::result_language(std::string_view requested) const {
  std::string language = normalise_language(requested);
  return phrases_->speaks(language) ? language : "en";
}

void Screener::check_pinned_versions(const v1::ScreeningRequest& request) const {
  for (const v1::CatalogueRef& pinned : request.catalogues()) {
    const Catalogue* loaded = catalogues_->catalogue(pinned.catalogue_id());
    if (loaded == nullptr || loaded->version != pinned.version()) {
      throw CatalogueVersionUnavailable("catalogue " + pinned.catalogue_id() + " version " + pinned.version() +
                                        " is not loaded" +
                                        (loaded ? " (loaded: " + loaded->version + ")" : std::string()));
    }
  }
}

std::string Screener::result_id(const v1::ScreeningRequest& request) const {
  std::vector<std::string_view> observed(request.observed_indicator_ids().begin(),
                                         request.observed_indicator_ids().end());
  std::sort(observed.begin(), observed.end());
  observed.erase(std::unique(observed.begin(), observed.end()), observed.end());
  std::string canonical;
  auto field = [&canonical](std::string_view name, const std::string& value) {
    canonical += name;
    canonical += '=';
    canonical += value;
    canonical += '\n';
  };
  const common::v1::Age& age = request.age();
  field("sector", std::to_string(request.sector()));
  field("jurisdiction", std::to_string(request.jurisdiction()));
  field("age", (age.has_years() ? std::to_string(age.years()) : "-") + "/" +
                   (age.has_estimate_min_years() ? std::to_string(age.estimate_min_years()) : "-") + "/" +
                   (age.has_estimate_max_years() ? std::to_string(age.estimate_max_years()) : "-") + "/" +
                   std::to_string(age.certainty()) + "/" + std::to_string(age.band()) + "/" +
                   (age.presumed_minor() ? "1" : "0"));
  field("flags", std::to_string(flags_from_proto(request.reported_flags())));
  field("companion", std::to_string(request.companion_status()));
  field("language", result_language(request.language()));
  for (std::string_view id : observed) field("observed", std::string(id));
  for (const Catalogue& catalogue : catalogues_->catalogues()) {
    if (catalogue.applies_in(request.jurisdiction())) field("catalogue", catalogue.id + "@" + catalogue.version);
  }
  return ids::content_id("scr", {"pact.screening.v1.ScreeningResult", canonical});
}

v1::ScreeningResult Screener::screen(const v1::ScreeningRequest& request) const {
  check_pinned_versions(request);
  const CatalogueSet& catalogues = *catalogues_;
  const std::string language = result_language(request.language());
  Decision decision;
  decide(catalogues, request, decision);

  v1::ScreeningResult result;
  result.set_result_id(result_id(request));
  result.set_level(decision.level);
  result.set_language(language);
  result.set_child_rule_applied(decision.child_rule_applied);
  flags_to_proto(decision.flags, *result.mutable_flags());
  for (const RecommendationEntry& entry : decision.recommendations) {
    v1::Recommendation* recommendation = result.add_recommendations();
    recommendation->set_type(entry.type);
    recommendation->set_reason(recommendation_reason(catalogues, *phrases_, decision, entry, language));
    add_evidence(catalogues, recommendation_evidence(catalogues, decision, entry),
                 *recommendation->mutable_evidence_indicator_ids());
    recommendation->set_safety_rule(std::string(safety_rule_id(entry.safety_rule)));
  }
  if (decision.deciding_group >= 0) {
    const GroupOutcome& group = decision.groups[static_cast<std::size_t>(decision.deciding_group)];
    for (int d = 1; d <= kDimensionCount; ++d) {
      v1::DimensionResult* dimension = result.add_dimension_results();
      dimension->set_dimension(static_cast<v1::Dimension>(d));
      dimension->set_positive((group.positive & (1 << d)) != 0);
      dimension->set_strong_count(group.tallies[d].strong);
      dimension->set_medium_count(group.tallies[d].medium);
      dimension->set_weak_count(group.tallies[d].weak);
      add_evidence(catalogues, dimension_evidence(catalogues, decision, decision.deciding_group, d),
                   *dimension->mutable_evidence_indicator_ids());
    }
  }
  for (const FollowUp& follow_up : follow_up_questions(catalogues, request, decision, max_follow_up_questions_)) {
    const Indicator& indicator = catalogues.indicator(follow_up.indicator);
    v1::FollowUpQuestion* question = result.add_follow_up_questions();
    question->set_indicator_id(indicator.id);
    question->set_text(indicator.question.empty() ? indicator.text.in(language) : indicator.question.in(language));
    question->set_level_if_observed(follow_up.level_if_observed);
    for (auto type : follow_up.recommendations_if_observed) question->add_recommendations_if_observed(type);
    question->set_dimension_if_observed(static_cast<v1::Dimension>(follow_up.dimension_if_observed));
  }
  for (std::string_view unknown : decision.unknown_ids) result.add_unknown_indicator_ids(std::string(unknown));
  for (const Catalogue& catalogue : catalogues.catalogues()) {
    if (!catalogue.applies_in(request.jurisdiction())) continue;
    v1::CatalogueRef* ref = result.add_catalogues();
    ref->set_catalogue_id(catalogue.id);
    ref->set_version(catalogue.version);
  }
  return result;
}

std::vector<v1::ExplanationStep> Screener::explain(const v1::ScreeningRequest& request,
                                                   std::string_view requested_language) const {
  check_pinned_versions(request);
  const CatalogueSet& catalogues = *catalogues_;
  const Phrasebook& phrases = *phrases_;
  const std::string language = result_language(requested_language.empty() ? request.language() : requested_language);
  Decision decision;
  decide(catalogues, request, decision);
  std::vector<v1::ExplanationStep> steps;
  auto step = [&steps](std::string text, const std::vector<std::string>& evidence = {}) {
    v1::ExplanationStep& added = steps.emplace_back();
    added.set_text(std::move(text));
    for (const auto& id : evidence) added.add_evidence_indicator_ids(id);
  };
  auto ids_of = [&](const std::vector<std::uint32_t>& indices) {
    std::vector<std::string> out;
    for (std::uint32_t index : indices) out.push_back(catalogues.indicator(index).id);
    return out;
  };

  if (decision.child_rule_applied) {
    static constexpr std::pair<ChildBasis, std::string_view> kBases[] = {
        {kChildReportedFlag, "child.basis.reported_flag"},
        {kChildAgeUnder18, "child.basis.age_under_18"},
        {kChildAgeBand, "child.basis.age_band"},
        {kChildPresumedMinor, "child.basis.presumed_minor"},
        {kChildEstimateIncludesMinor, "child.basis.estimate_includes_minor"},
        {kChildReportedUnaccompanied, "child.basis.reported_unaccompanied"}};
    std::vector<std::string> bases;
    for (const auto& [bit, id] : kBases) {
      if ((decision.child_basis & bit) != 0) bases.push_back(phrases.render(id, language));
    }
    step(phrases.render("safety_rule", language,
                        {{"rule", "child-rule"},
                         {"text", phrases.render("child.treated_as_child", language, {{"basis", join(bases)}})}}));
  }

  if (decision.deciding_group >= 0) {
    const auto g = static_cast<std::size_t>(decision.deciding_group);
    const GroupOutcome& group = decision.groups[g];
    const GroupName name = group_name(catalogues, decision.deciding_group);
    std::vector<std::string> positive;
    for (int d = 1; d <= kDimensionCount; ++d) {
      const DimensionTally& tally = group.tallies[d];
      if (tally.total() == 0) continue;
      const bool is_positive = (group.positive & (1 << d)) != 0;
      const std::string dimension = phrases.render("dimension." + std::to_string(d), language);
      if (is_positive) positive.push_back(std::to_string(d) + " " + dimension);
      auto evidence = dimension_evidence(catalogues, decision, decision.deciding_group, d);
      step(phrases.render(is_positive ? "dimension.positive" : "dimension.not_positive", language,
                          {{"number", std::to_string(d)},
                           {"dimension", dimension},
                           {"strong", std::to_string(tally.strong)},
                           {"medium", std::to_string(tally.medium)},
                           {"weak", std::to_string(tally.weak)},
                           {"indicators", describe_indicators(catalogues, evidence, language)}}),
           ids_of(evidence));
    }
    if (group.combination_met) {
      step(phrases.render(decision.child_rule_applied ? "combination.met.child" : "combination.met.adult", language,
                          {{"catalogue", name.catalogue}, {"version", name.version}, {"list", name.list}}));
    } else {
      step(phrases.render("combination.not_met", language, {{"list", name.list}, {"positive", join(positive)}}));
    }
  } else {
    step(phrases.render("combination.no_ilo_indicators", language));
  }

  switch (decision.level) {
    case v1::LEVEL_COMBINATION_MET: {
      const GroupName name = group_name(catalogues, decision.deciding_group);
      step(phrases.render("level.combination_met", language,
                          {{"catalogue", name.catalogue}, {"version", name.version}, {"list", name.list}}),
           ids_of(decision.observed));
      break;
    }
    case v1::LEVEL_INDICATIONS_PRESENT:
      step(phrases.render("level.indications_present", language,
                          {{"count", std::to_string(decision.observed.size())}}),
           ids_of(decision.observed));
      break;
    default: step(phrases.render("level.no_indicators_observed", language)); break;
  }
  step(phrases.render("level.not_an_identification", language));

  static constexpr std::pair<FlagBit, std::string_view> kFlags[] = {
      {kPresumedChild, "flag.presumed_child"},
      {kUnaccompaniedOrSeparated, "flag.unaccompanied_or_separated"},
      {kUrgentMedical, "flag.urgent_medical"},
      {kImmediateDanger, "flag.immediate_danger"},
      {kLanguageBarrier, "flag.language_barrier"}};
  std::vector<std::string> flags;
  for (const auto& [bit, id] : kFlags) {
    if ((decision.flags & bit) != 0) flags.push_back(phrases.render(id, language));
  }
  if (!flags.empty()) step(phrases.render("flags.derived", language, {{"flags", join(flags)}}));

  for (const RecommendationEntry& entry : decision.recommendations) {
    step(recommendation_reason(catalogues, phrases, decision, entry, language),
         ids_of(recommendation_evidence(catalogues, decision, entry)));
  }
  if (!decision.unknown_ids.empty()) {
    std::vector<std::string> unknown(decision.unknown_ids.begin(), decision.unknown_ids.end());
    step(phrases.render("unknown_indicators", language,
                        {{"count", std::to_string(unknown.size())}, {"ids", join(unknown)}}));
  }
  std::vector<std::string> used;
  for (const Catalogue& catalogue : catalogues.catalogues()) {
    if (catalogue.applies_in(request.jurisdiction())) used.push_back(catalogue.id + " " + catalogue.version);
  }
  step(phrases.render("catalogues_used", language, {{"catalogues", join(used)}}));
  return steps;
}

}  // namespace pact::screening
