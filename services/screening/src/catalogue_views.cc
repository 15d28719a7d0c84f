#include "catalogue_views.h"

#include <set>

namespace pact::screening {
namespace {

void collect_languages(const LocalisedText& text, std::set<std::string>& into) {
  for (const auto& [language, value] : text.all()) into.insert(language);
}

}  // namespace

v1::CatalogueSummary catalogue_summary(const Catalogue& catalogue, std::string_view language) {
  v1::CatalogueSummary summary;
  summary.mutable_ref()->set_catalogue_id(catalogue.id);
  summary.mutable_ref()->set_version(catalogue.version);
  summary.set_title(catalogue.title.in(language));
  for (const IndicatorListInfo& list : catalogue.lists) summary.add_lists(list.list);
  for (const SectorView& view : catalogue.views) summary.add_sectors(view.sector);
  std::set<std::string> languages;
  collect_languages(catalogue.title, languages);
  for (const Indicator& indicator : catalogue.indicators) {
    collect_languages(indicator.text, languages);
    collect_languages(indicator.question, languages);
  }
  for (const auto& code : languages) summary.add_languages(code);
  summary.set_jurisdiction(catalogue.jurisdiction);
  summary.set_source(catalogue.source);
  summary.set_indicator_count(static_cast<std::uint32_t>(catalogue.indicators.size()));
  return summary;
}

std::optional<v1::Catalogue> sector_view(const CatalogueSet& catalogues, const std::string& catalogue_id,
                                         common::v1::Sector sector, common::v1::Jurisdiction jurisdiction,
                                         std::string_view language) {
  v1::Catalogue view;
  view.set_sector(sector);
  view.set_language(std::string(language));
  const Catalogue* only = nullptr;
  if (!catalogue_id.empty()) {
    only = catalogues.catalogue(catalogue_id);
    if (only == nullptr) return std::nullopt;
    *view.mutable_summary() = catalogue_summary(*only, language);
  } else {
    // A merged view: a summary that names every catalogue it draws from.
    v1::CatalogueSummary& summary = *view.mutable_summary();
    summary.mutable_ref()->set_catalogue_id("");
    std::string title;
    for (const Catalogue& catalogue : catalogues.catalogues()) {
      if (!catalogue.applies_in(jurisdiction)) continue;
      title += (title.empty() ? "" : " + ") + catalogue.title.in(language);
      summary.set_indicator_count(summary.indicator_count() + static_cast<std::uint32_t>(catalogue.indicators.size()));
    }
    summary.set_title(title);
    summary.set_jurisdiction(jurisdiction);
  }
  const CatalogueRules* rules = nullptr;
  for (std::uint32_t index : catalogues.ask_order(sector, jurisdiction)) {
    const Catalogue& owner = catalogues.catalogue_of(index);
    if (only != nullptr && &owner != only) continue;
    if (rules == nullptr && owner.has_rules) rules = &owner.rules;
    const Indicator& source = catalogues.indicator(index);
    v1::Indicator& indicator = *view.add_indicators();
    indicator.set_id(source.id);
    indicator.set_list(source.list);
    indicator.set_dimension(static_cast<v1::Dimension>(source.dimension));
    indicator.set_strength(source.strength);
    indicator.set_category(source.category);
    std::string_view used = "en";
    indicator.set_text(source.text.in(language, &used));
    indicator.set_language(std::string(used));
    if (!source.question.empty()) indicator.set_question(source.question.in(language));
    for (auto observer : source.sectors) indicator.add_sectors(observer);
    indicator.set_source(source.source);
  }
  if (only != nullptr && only->has_rules) rules = &only->rules;
  if (rules != nullptr) {
    for (const PositiveCombination& when : rules->dimension_positive_when) {
      v1::PositiveCombination& out = *view.add_dimension_positive_when();
      out.set_strong(when.strong);
      out.set_medium(when.medium + when.medium_or_weak);
      out.set_weak(when.weak);
      out.set_medium_or_weak(when.medium_or_weak != 0);
    }
  }
  return view;
}

}  // namespace pact::screening
