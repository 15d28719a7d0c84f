#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "catalogue.h"

namespace pact::screening {

// One ILO list of one catalogue: the unit the dimension and combination rules are applied to (the
// lists are published and evaluated separately; counting "confiscation of documents" from the
// labour and the sexual list twice would inflate a dimension).
struct IndicatorGroup {
  std::uint32_t catalogue = 0;
  v1::IndicatorList list = v1::INDICATOR_LIST_UNSPECIFIED;
};

// What the decision needs of an indicator, packed so a decision touches little memory.
struct CompiledIndicator {
  std::uint16_t catalogue = 0;
  std::uint16_t group = kNoGroup;  // index into groups(); kNoGroup outside the ILO lists
  std::uint8_t dimension = 0;
  std::uint8_t strength = 0;  // v1::Strength
  FlagSet sets_flags = 0;
  bool child_list = false;   // a list about children (ILO child lists, child indicators)
  bool adult_list = false;   // an ILO list about adults
  static constexpr std::uint16_t kNoGroup = 0xffff;
};

// Every loaded catalogue, with one index over all indicator ids. Immutable once built, so it is
// shared by all threads without locks.
class CatalogueSet {
 public:
  // Throws CatalogueError when an indicator id or a catalogue id appears in two files.
  explicit CatalogueSet(std::vector<Catalogue> catalogues);

  const std::vector<Catalogue>& catalogues() const { return catalogues_; }
  const std::vector<IndicatorGroup>& groups() const { return groups_; }
  std::size_t indicator_count() const { return compiled_.size(); }

  // Index of an indicator id, or kUnknown.
  static constexpr std::uint32_t kUnknown = 0xffffffff;
  std::uint32_t find(std::string_view id) const;

  const CompiledIndicator& compiled(std::uint32_t index) const { return compiled_[index]; }
  const Indicator& indicator(std::uint32_t index) const;
  const Catalogue& catalogue_of(std::uint32_t index) const { return catalogues_[compiled_[index].catalogue]; }
  const Catalogue* catalogue(std::string_view id) const;

  // The indicators a sector is asked about in a jurisdiction, in the order it asks: each applicable
  // catalogue's view for the sector, catalogues in load order (regional files, then the country's).
  std::vector<std::uint32_t> ask_order(common::v1::Sector sector, common::v1::Jurisdiction jurisdiction) const;

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  std::vector<Catalogue> catalogues_;
  std::vector<IndicatorGroup> groups_;
  std::vector<CompiledIndicator> compiled_;
  std::vector<std::uint32_t> first_index_;  // per catalogue: index of its first indicator
  std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>> index_;
};

}  // namespace pact::screening
