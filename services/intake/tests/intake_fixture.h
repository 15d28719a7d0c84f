#pragma once

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "crypto/keyed_hash.h"
#include "crypto/secret_key.h"
#include "pact/intake/v1/intake.grpc.pb.h"
#include "rpc/authenticator.h"
#include "support/child_process.h"
#include "support/decoded_topic.h"
#include "support/service_process.h"
#include "support/infrastructure.h"
#include "support/topic_reader.h"
#include "kafka/topics.h"
#include "pact/events/v1/case_events.pb.h"

namespace pact::intake::testing {

namespace fs = std::filesystem;
using pact::testing::ChildProcess;
using pact::testing::Infrastructure;
using pact::testing::eventually;

// A real pact-intake process on a fresh hub of the test infrastructure, with its own secret files,
// and a client that speaks to it as a given caller. `extra_intake_settings` are more lines of the
// intake section, e.g. "  screening_address: 127.0.0.1:5000\n".
class IntakeProcess {
 public:
  explicit IntakeProcess(const config::PlatformConfig& platform, const std::string& extra_intake_settings = "")
      : service_("services/intake/pact-intake", platform, intake_section(platform, extra_intake_settings)) {
    start();
  }

  void start() {
    service_.start();
    stub_ = v1::IntakeService::NewStub(service_.channel());
  }

  ChildProcess& process() { return service_.process(); }
  v1::IntakeService::Stub& stub() { return *stub_; }
  const fs::path& dir() const { return service_.dir(); }
  const std::string& address() const { return service_.address(); }
  std::string health_address() const { return service_.health_address(); }
  std::string log() const { return service_.log(); }

 private:
  static std::string intake_section(const config::PlatformConfig& platform, const std::string& extra) {
    fs::path secrets = fs::path(::testing::TempDir()) / ("intake-secrets-" + platform.hub.prefix());
    fs::create_directories(secrets);
    for (const char* name : {"master.key", "id.key", "blind.key"}) {
      std::ofstream(secrets / name) << crypto::to_hex(crypto::SecretKey::generate().view()) << "\n";
    }
    return "intake:\n  master_key_file: " + (secrets / "master.key").string() + "\n  id_key_file: " +
           (secrets / "id.key").string() + "\n  blind_index_key_file: " + (secrets / "blind.key").string() + "\n" +
           extra;
  }

  pact::testing::ServiceProcess service_;
  std::unique_ptr<v1::IntakeService::Stub> stub_;
};

inline rpc::Caller frontline_worker(const std::string& organisation = "crc-nis") {
  rpc::Caller caller;
  caller.subject = "officer-17";
  caller.organisation = organisation;
  caller.roles = {"frontline"};
  caller.jurisdictions = {"RS"};
  return caller;
}

inline rpc::Caller screening_service() {
  rpc::Caller caller;
  caller.kind = rpc::CallerKind::service;
  caller.subject = "screening";
  caller.organisation = "pact-hub";
  caller.roles = {"service"};
  return caller;
}

// A context with the caller's development identity and a generous deadline.
inline std::unique_ptr<grpc::ClientContext> context_for(const rpc::Caller& caller) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  rpc::attach_development_identity(*context, caller);
  return context;
}

// A realistic, valid registration from a social worker at a transit centre in Serbia.
inline v1::RegisterEncounterRequest sample_registration(const std::string& idempotency_key) {
  v1::RegisterEncounterRequest request;
  request.set_idempotency_key(idempotency_key);
  v1::Encounter& encounter = *request.mutable_encounter();
  v1::Reporter& reporter = *encounter.mutable_reporter();
  reporter.set_sector(common::v1::SECTOR_SOCIAL_WELFARE);
  reporter.set_organization_id("crc-nis");
  reporter.set_jurisdiction(common::v1::JURISDICTION_RS);
  reporter.mutable_site()->set_site_id("presevo-rtc");
  reporter.mutable_site()->set_municipality("Preševo");
  reporter.mutable_site()->set_jurisdiction(common::v1::JURISDICTION_RS);
  reporter.set_subject("officer-17");
  v1::Person& person = *encounter.mutable_person();
  person.set_given_name("Amir");
  person.set_family_name("Haddad");
  person.set_date_of_birth("1997-04-12");
  person.mutable_age()->set_years(29);
  person.mutable_age()->set_certainty(common::v1::AGE_CERTAINTY_STATED);
  person.mutable_age()->set_band(common::v1::AGE_BAND_27_29);
  person.set_gender(common::v1::GENDER_MALE);
  person.mutable_nationality()->set_status(common::v1::NATIONALITY_STATUS_KNOWN);
  person.mutable_nationality()->set_country_code("SY");
  person.add_languages("ar");
  person.set_companion_status(common::v1::COMPANION_STATUS_ACCOMPANIED);
  encounter.add_observed_indicator_ids("ILO-AL-D1-01");
  v1::Need& need = *encounter.add_needs();
  need.set_type(common::v1::NEED_TYPE_SHELTER);
  encounter.mutable_context()->set_emergency_id("wb-2026-surge");
  *encounter.mutable_context()->mutable_site() = reporter.site();
  *encounter.mutable_encountered_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
  return request;
}

// Every case event of the hub, decoded, with its record.
using CaseEventRecord = pact::testing::DecodedRecord<events::v1::CaseEvent>;
inline std::vector<CaseEventRecord> case_events(const config::PlatformConfig& platform, std::size_t expected,
                                                std::chrono::milliseconds limit = std::chrono::seconds(15)) {
  return pact::testing::decoded_topic<events::v1::CaseEvent>(platform, kafka::topic::kCase, expected, limit);
}

}  // namespace pact::intake::testing
