#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "catalogue_set.h"

namespace pact::screening {

// Why a person is treated as a child (bits; several can hold). Explanations name them.
enum ChildBasis : std::uint8_t {
  kChildReportedFlag = 1 << 0,        // the professional reported "presumed child"
  kChildAgeUnder18 = 1 << 1,          // age in years under 18
  kChildAgeBand = 1 << 2,             // a child age band (0-8, 9-17)
  kChildPresumedMinor = 1 << 3,       // age uncertain, reasons to believe a minor (age presumption)
  kChildEstimateIncludesMinor = 1 << 4,  // age not documented and the estimate reaches below 18
  kChildReportedUnaccompanied = 1 << 5,  // reported as an unaccompanied or separated child
};

// The safety rules of REFERENCE section 0. They are code, not data: no catalogue can switch them off.
enum class SafetyRule : std::uint8_t {
  none,
  urgent_medical_first,
  danger_refers,
  child_protection_always,
  strong_indicator_refers,
  language_barrier_interpreter,
  inform_before_referral,
};
std::string_view safety_rule_id(SafetyRule rule);

struct DimensionTally {
  std::uint16_t strong = 0;
  std::uint16_t medium = 0;
  std::uint16_t weak = 0;
  std::uint16_t total() const { return static_cast<std::uint16_t>(strong + medium + weak); }
};

// The outcome of one ILO list of one catalogue.
struct GroupOutcome {
  std::array<DimensionTally, kDimensionCount + 1> tallies{};  // index 1..6
  DimensionMask positive = 0;
  std::uint16_t observed = 0;
  bool combination_met = false;
  int positive_count() const;
};

// One recommendation and where it came from (the catalogue's rule, or a safety rule).
struct RecommendationEntry {
  v1::RecommendationType type = v1::RECOMMENDATION_TYPE_UNSPECIFIED;
  SafetyRule safety_rule = SafetyRule::none;
};

// The decision for one screening: levels, dimension results, flags and evidence (as indicator
// indices). Reused between calls so that deciding allocates nothing once warm.
struct Decision {
  v1::Level level = v1::LEVEL_UNSPECIFIED;
  FlagSet flags = 0;
  FlagSet reported_flags = 0;
  std::uint8_t child_basis = 0;
  bool child_rule_applied = false;
  bool any_strong = false;
  bool further_assessment_by_catalogue = false;  // a catalogue's positive-dimension threshold was reached
  std::vector<RecommendationEntry> recommendations;  // in the order to act on them
  std::vector<std::uint32_t> observed;               // known, applicable indicators, sorted, unique
  std::vector<std::string_view> unknown_ids;         // views into the request (valid while it lives), sorted
  std::vector<GroupOutcome> groups;                  // one per CatalogueSet group
  int deciding_group = -1;                           // the group whose dimensions the result reports

  bool recommends(v1::RecommendationType type) const;
  void clear();
};

// The decision engine: the catalogues' dimension and combination rules, then the safety rules.
// Pure and deterministic: the same request and catalogues give the same decision. `out` refers to
// the request's ids (unknown_ids), so the request must outlive its use.
void decide(const CatalogueSet& catalogues, const v1::ScreeningRequest& request, Decision& out);

// Whether the catalogue-level combination is met for a group's positive dimensions.
bool combination_met(const CatalogueSet& catalogues, std::uint32_t group, DimensionMask positive, bool child);

// What the person's age, companion status and reported flags say about being a child (ChildBasis bits).
std::uint8_t child_basis(const v1::ScreeningRequest& request);

}  // namespace pact::screening
