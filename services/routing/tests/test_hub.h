#pragma once

// One hub of real processes (intake, screening and routing serving one jurisdiction, with peers for
// cross-border handoff), for routing's handoff tests and the end-to-end tests.
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "intake_fixture.h"
#include "routing_process_fixture.h"
#include "support/infrastructure.h"
#include "support/service_process.h"

namespace pact::routing {

inline std::string screening_section(const std::string& intake_address) {
  return "screening:\n  catalogue_dirs: [" + kReference + "/screening/catalogues]\n  messages_file: " + kReference +
         "/screening/messages.yaml\n  intake_address: " + intake_address + "\n";
}

// One hub: intake, screening and routing, serving one jurisdiction.
struct TestHub {
  config::PlatformConfig platform;
  std::string jurisdiction;
  std::string routing_address;
  std::unique_ptr<intake::testing::IntakeProcess> intake;
  std::unique_ptr<pact::testing::ServiceProcess> screening;
  std::unique_ptr<pact::testing::ServiceProcess> routing;
  // Where the test directory's webhooks point, and the SOP deadline profile (set before start()).
  std::string webhook_base = kUnreachableWebhooks;
  std::string deadline_profile = "standard";

  TestHub(const std::string& name, const std::string& code) : jurisdiction(code) {
    platform = pact::testing::Infrastructure::instance().new_hub(name);
    platform.jurisdictions = {code};
    routing_address = "127.0.0.1:" + std::to_string(pact::testing::free_port());
  }

  void start(const std::string& peers) {
    const std::string screening_address = "127.0.0.1:" + std::to_string(pact::testing::free_port());
    intake = std::make_unique<intake::testing::IntakeProcess>(platform, "  screening_address: " + screening_address + "\n  screening_deadline: 2s\n");
    screening = std::make_unique<pact::testing::ServiceProcess>("services/screening/pact-screening", platform, screening_section(intake->address()),
                                                 screening_address);
    screening->start();
    const std::string work = (std::filesystem::temp_directory_path() / ("pact-handoff-" + platform.hub.prefix())).string();
    routing = std::make_unique<pact::testing::ServiceProcess>(
        "services/routing/pact-routing", platform,
        routing_section(kReference + "/routing/sop", work, intake->address(), jurisdiction, webhook_base, deadline_profile) +
            "  handoff_retry: 200ms\n  handoff_answer_timeout: 30s\n  peers:\n" + peers,
        routing_address);
    routing->start();
  }

  rpc::Caller worker() const {
    rpc::Caller caller;
    caller.subject = "worker-" + jurisdiction;
    caller.organisation = "csw-" + jurisdiction;
    caller.roles = {"frontline", "case_worker"};
    caller.jurisdictions = {jurisdiction};
    return caller;
  }
};

inline pact::intake::v1::RegisterEncounterRequest moving_on(const std::string& key, pact::common::v1::Jurisdiction destination) {
  auto request = intake::testing::sample_registration(key);
  auto& encounter = *request.mutable_encounter();
  auto& consent = *encounter.mutable_consent();
  consent.add_scopes(pact::common::v1::CONSENT_SCOPE_SERVICES);
  consent.add_scopes(pact::common::v1::CONSENT_SCOPE_CROSS_BORDER);
  consent.set_given_by(pact::common::v1::CONSENT_GIVER_PERSON);
  consent.set_method(pact::common::v1::CONSENT_METHOD_VERBAL);
  consent.set_informed_in_language("ar");
  consent.mutable_recorded_by()->set_subject("officer-17");
  consent.mutable_recorded_by()->set_display_name("Officer Example");
  *consent.mutable_given_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
  encounter.mutable_next_destination()->set_jurisdiction(destination);
  return request;
}

inline std::string registered(TestHub& hub, const pact::intake::v1::RegisterEncounterRequest& request) {
  pact::intake::v1::RegisterEncounterResponse response;
  const grpc::Status status = hub.intake->stub().RegisterEncounter(intake::testing::context_for(intake::testing::frontline_worker()).get(), request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response.case_id();
}

}  // namespace pact::routing
