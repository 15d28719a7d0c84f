#include "provider_selection.h"

#include <algorithm>
#include <limits>

#include "opening_hours.h"

namespace pact::routing {
namespace {

template <typename List, typename T>
bool contains(const List& list, const T& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// 0 = serves the person's site, 1 = the municipality, 2 = the jurisdiction, 3 = not at all.
int closeness(const v1::Service& service, const PersonProfile& person) {
  const auto& area = service.area();
  if (!contains(area.jurisdictions(), person.jurisdiction)) return 3;
  if (!person.site_id.empty() && contains(area.site_ids(), person.site_id)) return 0;
  if (!person.municipality.empty() && contains(area.municipalities(), person.municipality)) return 1;
  if (area.municipalities().empty()) return 2;
  return area.site_ids().empty() ? 3 : 3;  // limited to other municipalities or sites
}

bool speaks_with(const v1::Service& service, const PersonProfile& person) {
  if (service.interpretation_available()) return true;
  for (const auto& language : person.languages) {
    // "sr-Latn" matches "sr": compare the primary subtag.
    const std::string primary = language.substr(0, language.find('-'));
    for (const auto& spoken : service.languages()) {
      if (spoken.substr(0, spoken.find('-')) == primary) return true;
    }
  }
  return false;
}

long long free_places(const v1::Service& service) {
  if (!service.capacity().tracked()) return std::numeric_limits<long long>::max();
  return service.capacity().available();
}

}  // namespace

PersonProfile profile_of(const pact::intake::v1::CaseSummary& summary, bool presumed_child) {
  PersonProfile person;
  person.jurisdiction = summary.jurisdiction();
  person.municipality = summary.site().municipality();
  person.site_id = summary.site().site_id();
  const auto& age = summary.age();
  if (age.has_years()) person.age_years = age.years();
  else if (age.has_estimate_max_years()) person.age_years = age.estimate_max_years();
  person.presumed_child = presumed_child;
  person.gender = summary.gender();
  person.languages.assign(summary.languages().begin(), summary.languages().end());
  return person;
}

namespace {

// Everything but the area, which callers that rank have already measured.
Ineligible eligibility_within_area(const v1::Service& service, const PersonProfile& person,
                                   std::chrono::system_clock::time_point now) {
  if (service.status() != v1::SERVICE_STATUS_ACTIVE) return Ineligible::not_active;
  const auto& eligibility = service.eligibility();
  // A presumed child is a child whatever age was written down (REFERENCE section 4).
  const std::optional<std::uint32_t> age =
      person.presumed_child ? std::optional<std::uint32_t>(std::min<std::uint32_t>(person.age_years.value_or(17), 17))
                            : person.age_years;
  if (age) {
    if (eligibility.has_minimum_age() && *age < eligibility.minimum_age()) return Ineligible::age;
    if (eligibility.has_maximum_age() && *age > eligibility.maximum_age()) return Ineligible::age;
  } else if (eligibility.has_maximum_age() && eligibility.maximum_age() < 18) {
    return Ineligible::age;  // unknown age and not presumed a child: not for a children-only service
  }
  const bool gender_known = person.gender == common::GENDER_FEMALE || person.gender == common::GENDER_MALE ||
                            person.gender == common::GENDER_OTHER;
  if (gender_known && !eligibility.genders().empty() && !contains(eligibility.genders(), person.gender)) {
    return Ineligible::gender;
  }
  if (!open_at(service.schedule(), now)) return Ineligible::closed;
  if (service.capacity().tracked() && service.capacity().available() == 0) return Ineligible::full;
  return Ineligible::none;
}

}  // namespace

Ineligible eligibility(const v1::Service& service, const PersonProfile& person, std::chrono::system_clock::time_point now) {
  if (service.status() != v1::SERVICE_STATUS_ACTIVE) return Ineligible::not_active;
  if (closeness(service, person) > 2) return Ineligible::outside_area;
  return eligibility_within_area(service, person, now);
}

std::vector<const v1::Service*> rank_providers(const Directory& directory, v1::ServiceType type,
                                               const PersonProfile& person, const std::set<std::string>& excluded,
                                               std::chrono::system_clock::time_point now) {
  struct Ranked {
    const v1::Service* service;
    int closeness;
    bool language;
    long long free;
  };
  std::vector<Ranked> ranked;
  for (const v1::Service* service : directory.services_serving(type, person.jurisdiction)) {
    if (excluded.count(service->service_id())) continue;
    const int near = closeness(*service, person);
    if (near > 2 || eligibility_within_area(*service, person, now) != Ineligible::none) continue;
    ranked.push_back({service, near, speaks_with(*service, person), free_places(*service)});
  }
  std::sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    if (a.closeness != b.closeness) return a.closeness < b.closeness;
    if (a.language != b.language) return a.language;
    if (a.free != b.free) return a.free > b.free;
    return a.service->service_id() < b.service->service_id();
  });
  std::vector<const v1::Service*> out;
  out.reserve(ranked.size());
  for (const auto& entry : ranked) out.push_back(entry.service);
  return out;
}

const v1::Service* coordination_contact(const Directory& directory, v1::ServiceType type,
                                        common::Jurisdiction jurisdiction) {
  const v1::Service* best = nullptr;
  for (const v1::Service* service : directory.services_of_type(type)) {
    if (service->status() != v1::SERVICE_STATUS_ACTIVE) continue;
    if (!contains(service->coordinates_jurisdictions(), jurisdiction)) continue;
    if (!best || service->service_id() < best->service_id()) best = service;
  }
  return best;
}

}  // namespace pact::routing
