#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "localised_text.h"
#include "pact/common/v1/common.pb.h"
#include "pact/screening/v1/screening.pb.h"

namespace pact::screening {

namespace v1 = ::pact::screening::v1;

// The six ILO dimensions are numbered 1..6 as in the published lists; 0 means "no dimension".
inline constexpr int kDimensionCount = 6;

// Flags as bits, so a decision can carry them without allocating.
enum FlagBit : std::uint8_t {
  kPresumedChild = 1 << 0,
  kUnaccompaniedOrSeparated = 1 << 1,
  kUrgentMedical = 1 << 2,
  kImmediateDanger = 1 << 3,
  kLanguageBarrier = 1 << 4,
};
using FlagSet = std::uint8_t;

FlagSet flags_from_proto(const v1::Flags& flags);
void flags_to_proto(FlagSet flags, v1::Flags& out);

// "At least this many" strengths that make a dimension positive. medium_or_weak counts medium and
// weak indicators together (the "1 S + 1 M or W" clause of the ILO rule).
struct PositiveCombination {
  std::uint32_t strong = 0;
  std::uint32_t medium = 0;
  std::uint32_t weak = 0;
  std::uint32_t medium_or_weak = 0;
};

// A dimension set as a bit mask: bit d (1..6) set when dimension d is in it.
using DimensionMask = std::uint8_t;

// The combination rule of a catalogue: every group must contain a positive dimension.
struct CombinationRule {
  std::vector<DimensionMask> groups;
  bool met_by(DimensionMask positive) const {
    for (DimensionMask group : groups) {
      if ((group & positive) == 0) return false;
    }
    return !groups.empty();
  }
};

// The rules of one catalogue. Every number is data; the safety rules are in code (decision.cc).
struct CatalogueRules {
  std::vector<PositiveCombination> dimension_positive_when;
  CombinationRule adult_combination;
  CombinationRule child_combination;
  std::uint32_t further_assessment_when_positive_dimensions = 0;

  bool dimension_positive(std::uint32_t strong, std::uint32_t medium, std::uint32_t weak) const;
};

struct Indicator {
  std::string id;
  v1::IndicatorList list = v1::INDICATOR_LIST_UNSPECIFIED;
  int dimension = 0;  // 1..6 for ILO lists, 0 otherwise
  v1::Strength strength = v1::STRENGTH_UNSPECIFIED;
  v1::IndicatorCategory category = v1::INDICATOR_CATEGORY_UNSPECIFIED;
  LocalisedText text;
  LocalisedText question;
  std::vector<common::v1::Sector> sectors;
  FlagSet sets_flags = 0;
  std::string source;
  int line = 0;  // where it was defined, for error messages

  bool observable_by(common::v1::Sector sector) const;
};

struct IndicatorListInfo {
  v1::IndicatorList list = v1::INDICATOR_LIST_UNSPECIFIED;
  LocalisedText title;
};

// What one sector is asked to look for, in the order it asks (indices into Catalogue::indicators).
struct SectorView {
  common::v1::Sector sector = common::v1::SECTOR_UNSPECIFIED;
  LocalisedText intro;
  std::vector<std::uint32_t> ask_order;
};

// One versioned catalogue file, validated.
struct Catalogue {
  std::string id;
  std::string version;
  common::v1::Jurisdiction jurisdiction = common::v1::JURISDICTION_UNSPECIFIED;  // unspecified = regional
  std::string source;
  std::string file;
  LocalisedText title;
  bool has_rules = false;
  CatalogueRules rules;
  std::vector<IndicatorListInfo> lists;
  std::vector<Indicator> indicators;
  std::vector<SectorView> views;

  const SectorView* view_for(common::v1::Sector sector) const;
  bool applies_in(common::v1::Jurisdiction requested) const {
    return jurisdiction == common::v1::JURISDICTION_UNSPECIFIED || jurisdiction == requested;
  }
};

// Names used in catalogue files and in explanations.
std::string_view dimension_name(int dimension);
std::string_view list_name(v1::IndicatorList list);
bool is_ilo_list(v1::IndicatorList list);
bool is_child_list(v1::IndicatorList list);

}  // namespace pact::screening
