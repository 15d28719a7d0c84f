#include "catalogue_set.h"

#include <map>

#include "catalogue_loader.h"

namespace pact::screening {

CatalogueSet::CatalogueSet(std::vector<Catalogue> catalogues) : catalogues_(std::move(catalogues)) {
  std::vector<std::string> problems;
  std::map<std::string, const Catalogue*> catalogue_ids;
  std::map<std::pair<std::uint32_t, v1::IndicatorList>, std::uint16_t> group_index;
  for (std::uint32_t c = 0; c < catalogues_.size(); ++c) {
    const Catalogue& catalogue = catalogues_[c];
    if (auto [it, fresh] = catalogue_ids.emplace(catalogue.id, &catalogue); !fresh) {
      problems.push_back(catalogue.file + ":1: catalogue id '" + catalogue.id + "' is also used by " +
                         it->second->file + " (load one version of a catalogue at a time)");
    }
    first_index_.push_back(static_cast<std::uint32_t>(compiled_.size()));
    for (const Indicator& indicator : catalogue.indicators) {
      auto index = static_cast<std::uint32_t>(compiled_.size());
      if (auto [it, fresh] = index_.emplace(indicator.id, index); !fresh) {
        const Indicator& first = this->indicator(it->second);
        problems.push_back(catalogue.file + ":" + std::to_string(indicator.line) + ": duplicate indicator id '" +
                           indicator.id + "' (also in " + catalogue_of(it->second).file + ":" +
                           std::to_string(first.line) + ")");
      }
      CompiledIndicator compiled;
      compiled.catalogue = static_cast<std::uint16_t>(c);
      compiled.dimension = static_cast<std::uint8_t>(indicator.dimension);
      compiled.strength = static_cast<std::uint8_t>(indicator.strength);
      compiled.sets_flags = indicator.sets_flags;
      compiled.child_list = is_child_list(indicator.list);
      compiled.adult_list =
          indicator.list == v1::INDICATOR_LIST_ADULT_LABOUR || indicator.list == v1::INDICATOR_LIST_ADULT_SEXUAL;
      if (indicator.dimension != 0) {
        auto [group, fresh] = group_index.emplace(std::pair{c, indicator.list}, static_cast<std::uint16_t>(groups_.size()));
        if (fresh) groups_.push_back({c, indicator.list});
        compiled.group = group->second;
      }
      compiled_.push_back(compiled);
    }
  }
  if (!problems.empty()) throw CatalogueError(std::move(problems));
}

std::uint32_t CatalogueSet::find(std::string_view id) const {
  auto it = index_.find(id);
  return it == index_.end() ? kUnknown : it->second;
}

const Indicator& CatalogueSet::indicator(std::uint32_t index) const {
  const std::uint32_t c = compiled_[index].catalogue;
  return catalogues_[c].indicators[index - first_index_[c]];
}

const Catalogue* CatalogueSet::catalogue(std::string_view id) const {
  for (const Catalogue& catalogue : catalogues_) {
    if (catalogue.id == id) return &catalogue;
  }
  return nullptr;
}

std::vector<std::uint32_t> CatalogueSet::ask_order(common::v1::Sector sector,
                                                   common::v1::Jurisdiction jurisdiction) const {
  std::vector<std::uint32_t> order;
  for (std::uint32_t c = 0; c < catalogues_.size(); ++c) {
    if (!catalogues_[c].applies_in(jurisdiction)) continue;
    const SectorView* view = catalogues_[c].view_for(sector);
    if (view == nullptr) continue;
    for (std::uint32_t local : view->ask_order) order.push_back(first_index_[c] + local);
  }
  return order;
}

}  // namespace pact::screening
