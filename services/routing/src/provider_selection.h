#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "directory.h"
#include "pact/intake/v1/intake.pb.h"

namespace pact::routing {

// The coarse attributes of the person that eligibility and ranking look at (never personal data).
struct PersonProfile {
  common::Jurisdiction jurisdiction = common::JURISDICTION_UNSPECIFIED;
  std::string municipality;
  std::string site_id;
  std::optional<std::uint32_t> age_years;  // best single figure; absent when unknown
  bool presumed_child = false;
  common::Gender gender = common::GENDER_UNSPECIFIED;
  std::vector<std::string> languages;
};

PersonProfile profile_of(const pact::intake::v1::CaseSummary& summary, bool presumed_child);

// Why a service is not eligible (for tests and for explaining an escalation).
enum class Ineligible { none, not_active, outside_area, age, gender, closed, full };
Ineligible eligibility(const v1::Service& service, const PersonProfile& person, std::chrono::system_clock::time_point now);

// The eligible providers of `type`, best first: closest (same site, then municipality, then
// jurisdiction), then one that speaks a language of the person (or interprets), then the most free
// capacity (untracked counts as plenty), then the id, so the order is the same on every replica.
std::vector<const v1::Service*> rank_providers(const Directory& directory, v1::ServiceType type,
                                               const PersonProfile& person, const std::set<std::string>& excluded,
                                               std::chrono::system_clock::time_point now);

// Coordination contacts: the service of `type` (EOC duty desk, national coordinator) that
// coordinates `jurisdiction`; the first active one by id.
const v1::Service* coordination_contact(const Directory& directory, v1::ServiceType type,
                                        common::Jurisdiction jurisdiction);

}  // namespace pact::routing
