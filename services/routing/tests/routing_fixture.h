#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "directory.h"
#include "pact/events/v1/screening_events.pb.h"
#include "pact/routing/v1/routing_state.pb.h"
#include "sop_book.h"
#include "sop_loader.h"

// Shared builders for routing's unit tests: the repository's SOP files, small directories and
// screening events, so each test states only what it is about.
namespace pact::routing::testing {

inline const SopBook& repository_sop() {
  static const SopBook book = SopBook::build(load_sop_dir(std::string(PACT_REFERENCE_DIR) + "/routing/sop"));
  return book;
}

// Monday 2026-11-30 10:00 UTC (11:00 in Belgrade): offices are open.
inline std::chrono::system_clock::time_point monday_morning() {
  return std::chrono::system_clock::time_point(std::chrono::seconds(1796032800));
}

inline v1::Service service(const std::string& id, v1::ServiceType type, common::Jurisdiction jurisdiction = common::JURISDICTION_RS) {
  v1::Service service;
  service.set_service_id(id);
  service.set_organization_id("org-" + id);
  service.set_name(id + " (fictional)");
  service.set_type(type);
  service.set_status(v1::SERVICE_STATUS_ACTIVE);
  service.mutable_area()->add_jurisdictions(jurisdiction);
  service.mutable_schedule()->set_open_24_7(true);
  service.add_languages("en");
  return service;
}

inline v1::Service coordination(const std::string& id, v1::ServiceType type, common::Jurisdiction jurisdiction = common::JURISDICTION_RS) {
  v1::Service contact = service(id, type, jurisdiction);
  contact.add_coordinates_jurisdictions(jurisdiction);
  return contact;
}

inline v1::Service with_capacity(v1::Service service, std::uint32_t available, std::uint32_t maximum) {
  service.mutable_capacity()->set_tracked(true);
  service.mutable_capacity()->set_available(available);
  service.mutable_capacity()->set_maximum(maximum);
  service.mutable_capacity()->set_unit("beds");
  return service;
}

// One provider of every service type in RS, plus the coordination contacts.
inline std::vector<v1::Service> one_of_each(common::Jurisdiction jurisdiction = common::JURISDICTION_RS) {
  std::vector<v1::Service> services;
  for (int type = v1::SERVICE_TYPE_EMERGENCY_MEDICAL_CARE; type <= v1::SERVICE_TYPE_INFORMATION_AND_COUNSELLING; ++type) {
    services.push_back(service("svc-" + std::to_string(type), static_cast<v1::ServiceType>(type), jurisdiction));
  }
  services.push_back(coordination("eoc-desk", v1::SERVICE_TYPE_EOC_DUTY_DESK, jurisdiction));
  services.push_back(coordination("national-coordinator", v1::SERVICE_TYPE_NATIONAL_COORDINATOR, jurisdiction));
  return services;
}

struct CaseSpec {
  std::string case_id = "case-1";
  std::uint64_t sequence = 1;
  common::Jurisdiction jurisdiction = common::JURISDICTION_RS;
  screening::Level level = screening::LEVEL_INDICATIONS_PRESENT;
  std::vector<screening::RecommendationType> recommendations;
  screening::Flags flags;
  std::vector<common::NeedType> needs;
  std::vector<common::ConsentScope> consent;
  std::uint32_t age = 30;
};

inline events::v1::ScreeningEvent assessment(const CaseSpec& spec) {
  events::v1::ScreeningEvent event;
  event.set_event_id("evt-" + spec.case_id + "-" + std::to_string(spec.sequence));
  event.set_case_id(spec.case_id);
  event.set_sequence(spec.sequence);
  event.set_hub("test");
  auto& completed = *event.mutable_assessment_completed();
  auto& summary = *completed.mutable_snapshot()->mutable_summary();
  summary.set_case_id(spec.case_id);
  summary.mutable_reference_code()->set_code("RS-TEST-1");
  summary.set_jurisdiction(spec.jurisdiction);
  summary.mutable_site()->set_site_id("rs-presevo-rc");
  summary.mutable_site()->set_municipality("Preševo");
  summary.mutable_site()->set_jurisdiction(spec.jurisdiction);
  summary.mutable_age()->set_years(spec.age);
  summary.set_gender(common::GENDER_FEMALE);
  summary.add_languages("ar");
  for (auto need : spec.needs) summary.add_need_types(need);
  for (auto scope : spec.consent) summary.add_consent_scopes(scope);
  auto& result = *completed.mutable_assessment();
  result.set_level(spec.level);
  for (auto recommendation : spec.recommendations) result.add_recommendations(recommendation);
  *result.mutable_flags() = spec.flags;
  return event;
}

}  // namespace pact::routing::testing
