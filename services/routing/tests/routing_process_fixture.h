#pragma once

// What routing's process-level tests share: a small directory open around the clock, the routing
// section of a test hub, and the hub's referral events decoded.
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/platform_config.h"
#include "kafka/envelope_record.h"
#include "kafka/producer.h"
#include "kafka/topics.h"
#include "pact/events/v1/screening_events.pb.h"
#include "pact/events/v1/referral_events.pb.h"
#include "rpc/caller.h"
#include "support/decoded_topic.h"

namespace pact::routing {

inline const std::string kReference = PACT_REFERENCE_DIR;

inline const std::string kUnreachableWebhooks = "https://hooks.example.org/";

// A small directory for one jurisdiction whose providers are open around the clock, so that what a test
// sees does not depend on the hour it runs at. Each service's webhook is `webhook_base` + its id.
inline std::string test_directory(const std::string& jurisdiction = "RS", const std::string& webhook_base = kUnreachableWebhooks) {
  using nlohmann::json;
  std::string p;
  for (char c : jurisdiction) p += static_cast<char>(c - 'A' + 'a');
  p += "-";
  auto organisation = [&](const std::string& id, const std::string& kind) {
    return json{{"id", id}, {"name", id + " (fictional)"}, {"kind", kind}, {"jurisdictions", {jurisdiction}}, {"fictional", true}};
  };
  auto service = [&](const std::string& id, const std::string& organization, const std::string& type) {
    return json{{"id", id},
                {"organization", organization},
                {"name", id + " (fictional)"},
                {"type", type},
                {"languages", {"en", "ar"}},
                {"area", {{"jurisdictions", {jurisdiction}}}},
                {"schedule", {{"open_24_7", true}}},
                {"channels", {{{"channel", "webhook"}, {"address", webhook_base + id}, {"secret_id", "sample-webhook"},
                               {"purpose", "all"}}}},
                {"fictional", true}};
  };
  json shelter = service(p + "shelter", p + "ngo-one", "safe_accommodation");
  shelter["capacity"] = {{"tracked", true}, {"available", 4}, {"maximum", 4}, {"unit", "beds"}};
  shelter["confidential_location"] = true;
  shelter["location"] = {{"address", "Withheld"}, {"municipality", "Capital"}, {"jurisdiction", jurisdiction}};
  json desk = service(p + "eoc-desk", p + "eoc", "eoc_duty_desk");
  desk["coordinates_jurisdictions"] = {jurisdiction};
  json coordinator = service(p + "coordinator", p + "eoc", "national_coordinator");
  coordinator["coordinates_jurisdictions"] = {jurisdiction};
  json directory{{"organizations", {organisation(p + "ngo-one", "ngo"), organisation(p + "ngo-two", "ngo"), organisation(p + "eoc", "coordination"),
                                    organisation(p + "authority", "government")}},
                 {"services", {service(p + "interpreters-one", p + "ngo-one", "interpretation"),
                               service(p + "interpreters-two", p + "ngo-two", "interpretation"), service(p + "legal-one", p + "ngo-one", "legal_aid"),
                               service(p + "legal-two", p + "ngo-two", "legal_aid"), shelter,
                               service(p + "child-protection", p + "authority", "child_protection"), desk, coordinator}}};
  return directory.dump(2);
}

inline std::string routing_section(const std::string& sop_dir, const std::string& work_dir, const std::string& intake_address = "127.0.0.1:1",
                            const std::string& jurisdiction = "RS", const std::string& webhook_base = kUnreachableWebhooks,
                            const std::string& deadline_profile = "standard") {
  const auto directory_file = std::filesystem::path(work_dir) / "directory.json";
  std::filesystem::create_directories(work_dir);
  std::ofstream(directory_file) << test_directory(jurisdiction, webhook_base);
  return "routing:\n  sop_dir: " + sop_dir + "\n  deadline_profile: " + deadline_profile + "\n  directory_file: " + directory_file.string() +
         "\n  intake_address: " + intake_address + "\n  deadline_tick: 50ms\n";
}

inline rpc::Caller provider(const std::string& organisation) {
  rpc::Caller caller;
  caller.subject = "staff-1";
  caller.organisation = organisation;
  caller.roles = {"provider"};
  return caller;
}

using ReferralRecord = pact::testing::DecodedRecord<events::v1::ReferralEvent>;

inline std::vector<ReferralRecord> referral_events(const config::PlatformConfig& platform, std::size_t expected,
                                                   std::chrono::milliseconds limit = std::chrono::seconds(30)) {
  return pact::testing::decoded_topic<events::v1::ReferralEvent>(platform, kafka::topic::kReferral, expected, limit);
}

// Everything on a hub's referral topic so far (read_topic stops at `expected` records, so ask for
// more than there can be and let the time limit end the read).
inline std::vector<ReferralRecord> every_referral_event(const config::PlatformConfig& platform) {
  return referral_events(platform, 1000000, std::chrono::seconds(2));
}

// Distinct events (a relay repeated after a crash carries the same id) of one kind.
inline std::map<std::string, events::v1::ReferralEvent> distinct(const std::vector<ReferralRecord>& records,
                                                          events::v1::ReferralEvent::EventCase which) {
  std::map<std::string, events::v1::ReferralEvent> out;
  for (const auto& record : records) {
    if (record.event.event_case() == which) out.emplace(record.event.event_id(), record.event);
  }
  return out;
}

inline void publish(kafka::Producer& producer, const config::PlatformConfig& platform, const events::v1::ScreeningEvent& event) {
  const auto result = producer.produce_and_wait(kafka::envelope_record(platform.hub, kafka::topic::kScreening, "screening", event, ""));
  ASSERT_TRUE(result.stored()) << result.error;
}

}  // namespace pact::routing
