#include "catalogue.h"

#include <algorithm>

namespace pact::screening {

FlagSet flags_from_proto(const v1::Flags& flags) {
  FlagSet set = 0;
  if (flags.presumed_child()) set |= kPresumedChild;
  if (flags.unaccompanied_or_separated()) set |= kUnaccompaniedOrSeparated;
  if (flags.urgent_medical()) set |= kUrgentMedical;
  if (flags.immediate_danger()) set |= kImmediateDanger;
  if (flags.language_barrier()) set |= kLanguageBarrier;
  return set;
}

void flags_to_proto(FlagSet flags, v1::Flags& out) {
  out.set_presumed_child((flags & kPresumedChild) != 0);
  out.set_unaccompanied_or_separated((flags & kUnaccompaniedOrSeparated) != 0);
  out.set_urgent_medical((flags & kUrgentMedical) != 0);
  out.set_immediate_danger((flags & kImmediateDanger) != 0);
  out.set_language_barrier((flags & kLanguageBarrier) != 0);
}

bool CatalogueRules::dimension_positive(std::uint32_t strong, std::uint32_t medium, std::uint32_t weak) const {
  for (const PositiveCombination& when : dimension_positive_when) {
    if (strong < when.strong) continue;
    // Strong indicators beyond those the clause requires are not reused for the other counts: the
    // published clauses ("1 S + 1 M or W", "2 M + 1 W") count distinct indicators per strength.
    if (medium < when.medium || weak < when.weak) continue;
    if (medium - when.medium + weak - when.weak < when.medium_or_weak) continue;
    return true;
  }
  return false;
}

bool Indicator::observable_by(common::v1::Sector sector) const {
  return std::find(sectors.begin(), sectors.end(), sector) != sectors.end();
}

const SectorView* Catalogue::view_for(common::v1::Sector sector) const {
  for (const SectorView& view : views) {
    if (view.sector == sector) return &view;
  }
  return nullptr;
}

std::string_view dimension_name(int dimension) {
  switch (dimension) {
    case 1: return "deceptive_recruitment";
    case 2: return "coercive_recruitment";
    case 3: return "recruitment_by_abuse_of_vulnerability";
    case 4: return "exploitative_conditions";
    case 5: return "coercion_at_destination";
    case 6: return "abuse_of_vulnerability_at_destination";
    default: return "";
  }
}

std::string_view list_name(v1::IndicatorList list) {
  switch (list) {
    case v1::INDICATOR_LIST_ADULT_LABOUR: return "adult_labour";
    case v1::INDICATOR_LIST_ADULT_SEXUAL: return "adult_sexual";
    case v1::INDICATOR_LIST_CHILD_LABOUR: return "child_labour";
    case v1::INDICATOR_LIST_CHILD_SEXUAL: return "child_sexual";
    case v1::INDICATOR_LIST_HEALTH: return "health";
    case v1::INDICATOR_LIST_CHILD: return "child";
    case v1::INDICATOR_LIST_SECTOR_SPECIFIC: return "sector_specific";
    default: return "";
  }
}

bool is_ilo_list(v1::IndicatorList list) {
  return list == v1::INDICATOR_LIST_ADULT_LABOUR || list == v1::INDICATOR_LIST_ADULT_SEXUAL ||
         list == v1::INDICATOR_LIST_CHILD_LABOUR || list == v1::INDICATOR_LIST_CHILD_SEXUAL;
}

bool is_child_list(v1::IndicatorList list) {
  return list == v1::INDICATOR_LIST_CHILD_LABOUR || list == v1::INDICATOR_LIST_CHILD_SEXUAL ||
         list == v1::INDICATOR_LIST_CHILD;
}

}  // namespace pact::screening
