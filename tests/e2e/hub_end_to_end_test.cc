// The whole job end to end, as real processes on the real broker and Redis: intake, screening,
// routing and notification of a Serbian hub, a Macedonian hub next door (intake, screening,
// routing) and a local webhook receiver standing in for the NGOs, which verifies every signature.
// Deadlines are the SOP's demo profile (seconds), so reminders and escalations happen in a test.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>
#include <sstream>
#include <string>

#include "notification_fixture.h"
#include "pact/events/v1/audit_events.pb.h"
#include "pact/routing/v1/routing.grpc.pb.h"
#include "test_hub.h"

namespace pact::e2e {
namespace {

namespace common = ::pact::common::v1;
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using intake::testing::context_for;
using nlohmann::json;
using notification::testing::WebhookReceiver;
using pact::testing::eventually;
using pact::testing::ServiceProcess;
using routing::TestHub;

pact::intake::v1::RegisterEncounterRequest adult_who_needs_an_interpreter(const std::string& key) {
  auto request = intake::testing::sample_registration(key);
  auto& encounter = *request.mutable_encounter();
  auto& consent = *encounter.mutable_consent();
  consent.add_scopes(common::CONSENT_SCOPE_SERVICES);
  consent.set_given_by(common::CONSENT_GIVER_PERSON);
  consent.set_method(common::CONSENT_METHOD_VERBAL);
  consent.set_informed_in_language("ar");
  *consent.mutable_given_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
  encounter.mutable_reported_flags()->set_language_barrier(true);
  return request;
}

pact::intake::v1::RegisterEncounterRequest child_with_family(const std::string& key) {
  auto request = intake::testing::sample_registration(key);
  auto& person = *request.mutable_encounter()->mutable_person();
  person.set_date_of_birth("2014-03-02");
  person.mutable_age()->set_years(12);
  person.mutable_age()->set_band(common::AGE_BAND_UNSPECIFIED);
  person.mutable_age()->set_presumed_minor(true);
  person.set_companion_status(common::COMPANION_STATUS_ACCOMPANIED);
  return request;
}

// Runs pactctl as an operator would (its environment names the hub and the caller) and returns
// its exit code and standard output.
struct CtlResult {
  int exit_code = -1;
  std::string out;
};
CtlResult pactctl(const std::string& environment, const std::string& arguments) {
  const std::string command = environment + " " + PACT_BINARY_DIR + "/tools/pactctl/pactctl " + arguments + " 2>/dev/null";
  CtlResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) result.out.append(buffer, n);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

class HubEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override { PACT_REQUIRE_INFRASTRUCTURE(); }

  // Starts both hubs. `deadline_profile` "demo" (seconds) for a test that waits a deadline out;
  // "standard" (hours) for the others, so that a slow machine never races a deadline.
  void start_hubs(const std::string& deadline_profile) {
    receiver_ = std::make_unique<WebhookReceiver>();
    serbia_ = std::make_unique<TestHub>("e2e-rs", "RS");
    macedonia_ = std::make_unique<TestHub>("e2e-mk", "MK");
    serbia_->webhook_base = receiver_->url("/");
    serbia_->deadline_profile = deadline_profile;
    serbia_->start("    " + macedonia_->platform.hub.prefix() + ": \"MK @ " + macedonia_->routing_address + "\"\n");
    macedonia_->start("    " + serbia_->platform.hub.prefix() + ": \"RS @ " + serbia_->routing_address + "\"\n");
    const fs::path dir = fs::temp_directory_path() / ("pact-e2e-" + serbia_->platform.hub.prefix());
    notification::testing::write_notification_secrets(dir);
    notification_ = std::make_unique<ServiceProcess>(
        "services/notification/pact-notification", serbia_->platform,
        notification::testing::notification_section(dir, serbia_->routing->address(), pact::testing::free_port(),
                                                    notification::testing::DeliveryTuning{}));
    notification_->start();
    routing_ = routing::v1::RoutingService::NewStub(serbia_->routing->channel());
  }

  // The first delivery the receiver accepted whose referral id ends with `suffix`, of `type`.
  json delivery_for(const std::string& suffix, const std::string& type, std::chrono::seconds limit = 60s) {
    json found;
    eventually([&] {
      const json stats = receiver_->stats();  // kept: the loop below must not outlive it
      for (const auto& delivery : stats["deliveries"]) {
        const std::string referral_id = delivery["referral_id"];
        if (delivery["type"] == type && delivery["accepted"].get<int>() > 0 && referral_id.size() >= suffix.size() &&
            referral_id.compare(referral_id.size() - suffix.size(), suffix.size(), suffix) == 0) {
          found = delivery;
          return true;
        }
      }
      return false;
    }, limit);
    return found;
  }

  std::string logs() { return serbia_->routing->log() + notification_->log(); }

  // The environment pactctl reads: the hub's addresses and a caller of `organisation`.
  std::string ctl_environment(const std::string& organisation, const std::string& roles) const {
    return "PACT_INTAKE_ADDRESS=" + serbia_->intake->address() + " PACT_SCREENING_ADDRESS=" +
           serbia_->screening->address() + " PACT_ROUTING_ADDRESS=" + serbia_->routing->address() +
           " PACT_NOTIFICATION_ADDRESS=" + notification_->address() + " PACT_SUBJECT=operator-1 PACT_ORGANISATION=" +
           organisation + " PACT_ROLES=" + roles + " PACT_JURISDICTIONS=RS";
  }

  std::unique_ptr<WebhookReceiver> receiver_;
  std::unique_ptr<TestHub> serbia_;
  std::unique_ptr<TestHub> macedonia_;
  std::unique_ptr<ServiceProcess> notification_;
  std::unique_ptr<routing::v1::RoutingService::Stub> routing_;
};

TEST_F(HubEndToEnd, ARegistrationIsScreenedReferredAndDeliveredSignedToTheProviders) {
  start_hubs("standard");
  pact::intake::v1::RegisterEncounterResponse registration;
  ASSERT_TRUE(serbia_->intake->stub()
                  .RegisterEncounter(context_for(intake::testing::frontline_worker()).get(),
                                     adult_who_needs_an_interpreter("e2e-1"), &registration)
                  .ok());
  const std::string case_id = registration.case_id();
  // Screening: an indicator was observed, so indications are present (never "not a victim").
  std::vector<pact::testing::DecodedRecord<events::v1::ScreeningEvent>> assessments;
  ASSERT_TRUE(eventually([&] {
    assessments = pact::testing::decoded_topic<events::v1::ScreeningEvent>(serbia_->platform, kafka::topic::kScreening, 1, 2s);
    return !assessments.empty();
  }, 30s));
  EXPECT_EQ(assessments[0].event.case_id(), case_id);
  EXPECT_EQ(assessments[0].event.assessment_completed().assessment().level(), screening::v1::LEVEL_INDICATIONS_PRESENT);
  EXPECT_TRUE(assessments[0].event.assessment_completed().assessment().flags().language_barrier());

  // Routing: the SOP's referrals for shelter and an interpreter; notification: each delivered to
  // its provider's webhook, signed (the receiver refuses anything unsigned or stale).
  const json shelter = delivery_for(case_id + "/shelter/1", "referral_request");
  const json interpreter = delivery_for(case_id + "/interpreter/1", "referral_request");
  ASSERT_FALSE(shelter.is_null()) << receiver_->stats().dump(2) << logs();
  ASSERT_FALSE(interpreter.is_null()) << receiver_->stats().dump(2) << logs();
  const json stats = receiver_->stats();
  EXPECT_EQ(stats["bad_signature"], 0);
  EXPECT_EQ(stats["stale"], 0);
  EXPECT_GE(stats["verified"].get<int>(), 2);
  EXPECT_EQ(shelter["reference_code"], registration.reference_code().code());
  EXPECT_FALSE(shelter["ack_token"].get<std::string>().empty());

  // The provider acknowledges with the link in the message; routing records it.
  const std::string ack_url = shelter["ack_url"];
  ASSERT_FALSE(ack_url.empty());
  const auto scheme_end = ack_url.find("://") + 3;
  const auto path_start = ack_url.find('/', scheme_end);
  httplib::Client ack_page(ack_url.substr(0, path_start));
  auto posted = ack_page.Post(ack_url.substr(path_start));
  ASSERT_TRUE(posted) << "the ack page answers";
  EXPECT_EQ(posted->status, 200) << posted->body;
  ASSERT_TRUE(eventually([&] {
    routing::v1::GetReferralRequest get;
    get.set_referral_id(shelter["referral_id"].get<std::string>());
    routing::v1::GetReferralResponse got;
    return routing_->GetReferral(context_for(serbia_->worker()).get(), get, &got).ok() &&
           got.referral().status() == routing::v1::REFERRAL_STATUS_RECEIVED;
  }, 30s)) << logs();

  // Audit completeness: the provider reads what its referral shares and a case worker reads the
  // case; every such read and every case-key release (screening's, routing's) is on the audit
  // trail, keyed by the case, with who, what and why.
  routing::v1::GetReferralRequest get;
  get.set_referral_id(shelter["referral_id"].get<std::string>());
  routing::v1::GetReferralResponse got;
  ASSERT_TRUE(routing_->GetReferral(context_for(serbia_->worker()).get(), get, &got).ok());
  routing::v1::GetReferralDataRequest read;
  read.set_referral_id(get.referral_id());
  read.set_purpose(common::ACCESS_PURPOSE_SERVICE_DELIVERY);
  routing::v1::GetReferralDataResponse data;
  rpc::Caller shelter_staff = routing::provider(got.referral().organization_id());
  const grpc::Status data_read = routing_->GetReferralData(context_for(shelter_staff).get(), read, &data);
  ASSERT_TRUE(data_read.ok()) << data_read.error_message();
  pact::intake::v1::GetCaseRequest get_case;
  get_case.set_case_id(case_id);
  get_case.set_purpose(common::ACCESS_PURPOSE_CASE_MANAGEMENT);
  pact::intake::v1::GetCaseResponse case_record;
  ASSERT_TRUE(serbia_->intake->stub().GetCase(context_for(serbia_->worker()).get(), get_case, &case_record).ok());

  std::set<std::string> releases;  // the release ids intake logged for this case
  std::istringstream intake_log(serbia_->intake->log());
  for (std::string line; std::getline(intake_log, line);) {
    if (line.find("case key released") == std::string::npos || line.find(case_id) == std::string::npos) continue;
    const auto start = line.find("\"release_id\":\"") + 14;
    releases.insert(line.substr(start, line.find('"', start) - start));
  }
  EXPECT_GE(releases.size(), 2U) << "screening and routing each had the key";
  std::vector<pact::testing::DecodedRecord<events::v1::AuditRecord>> trail;
  std::set<std::string> audited_ids;
  bool case_read = false;
  bool data_read_recorded = false;
  ASSERT_TRUE(eventually([&] {
    trail = pact::testing::decoded_topic<events::v1::AuditRecord>(serbia_->platform, kafka::topic::kAudit, 1000, 2s);
    audited_ids.clear();
    for (const auto& record : trail) {
      if (record.record.key != case_id) continue;
      audited_ids.insert(record.event.audit_id());
      const auto& entry = record.event;
      if (entry.method() == "pact.intake.v1.IntakeService/GetCase" &&
          entry.action() == events::v1::AUDIT_ACTION_PERSONAL_DATA_READ && entry.actor().subject() == serbia_->worker().subject &&
          entry.purpose() == common::ACCESS_PURPOSE_CASE_MANAGEMENT) {
        case_read = true;
      }
      if (entry.audit_id() == data.data().access_id() && entry.action() == events::v1::AUDIT_ACTION_PERSONAL_DATA_READ &&
          entry.actor().organisation() == shelter_staff.organisation && entry.record_id() == read.referral_id()) {
        data_read_recorded = true;
      }
    }
    return case_read && data_read_recorded &&
           std::includes(audited_ids.begin(), audited_ids.end(), releases.begin(), releases.end());
  }, 30s)) << "case read recorded " << case_read << ", referral data read recorded " << data_read_recorded << ", "
           << releases.size() << " releases, " << audited_ids.size() << " audit records of the case";
}

TEST_F(HubEndToEnd, AProviderRejectionReRoutesTheNeedToTheNextProvider) {
  start_hubs("standard");
  pact::intake::v1::RegisterEncounterResponse registration;
  ASSERT_TRUE(serbia_->intake->stub()
                  .RegisterEncounter(context_for(intake::testing::frontline_worker()).get(),
                                     adult_who_needs_an_interpreter("e2e-2"), &registration)
                  .ok());
  const json first = delivery_for(registration.case_id() + "/interpreter/1", "referral_request");
  ASSERT_FALSE(first.is_null()) << logs();
  routing::v1::GetReferralRequest get;
  get.set_referral_id(first["referral_id"].get<std::string>());
  routing::v1::GetReferralResponse got;
  ASSERT_TRUE(routing_->GetReferral(context_for(serbia_->worker()).get(), get, &got).ok());
  const rpc::Caller provider = routing::provider(got.referral().organization_id());
  routing::v1::AcknowledgeReferralRequest ack;
  ack.set_referral_id(get.referral_id());
  routing::v1::AcknowledgeReferralResponse acked;
  ASSERT_TRUE(routing_->AcknowledgeReferral(context_for(provider).get(), ack, &acked).ok());
  routing::v1::RejectReferralRequest reject;
  reject.set_referral_id(get.referral_id());
  reject.set_reason(routing::v1::REFERRAL_STATUS_REASON_LANGUAGE_NOT_SUPPORTED);
  routing::v1::RejectReferralResponse rejected;
  const grpc::Status status = routing_->RejectReferral(context_for(provider).get(), reject, &rejected);
  ASSERT_TRUE(status.ok()) << status.error_message();

  // The need moves to the other interpreter service, whose webhook gets the new referral.
  const json second = delivery_for(registration.case_id() + "/interpreter/2", "referral_request");
  ASSERT_FALSE(second.is_null()) << receiver_->stats().dump(2) << logs();
  routing::v1::GetReferralRequest get_second;
  get_second.set_referral_id(second["referral_id"].get<std::string>());
  routing::v1::GetReferralResponse got_second;
  ASSERT_TRUE(routing_->GetReferral(context_for(serbia_->worker()).get(), get_second, &got_second).ok());
  EXPECT_NE(got_second.referral().service_id(), got.referral().service_id());
  EXPECT_EQ(got_second.referral().service_type(), routing::v1::SERVICE_TYPE_INTERPRETATION);
}

TEST_F(HubEndToEnd, AnUnacknowledgedReferralIsRemindedThenEscalatedToTheEocDutyDesk) {
  start_hubs("demo");
  pact::intake::v1::RegisterEncounterResponse registration;
  ASSERT_TRUE(serbia_->intake->stub()
                  .RegisterEncounter(context_for(intake::testing::frontline_worker()).get(), child_with_family("e2e-3"),
                                     &registration)
                  .ok());
  // Child protection without waiting for consent; the only provider never answers.
  const std::string referral = registration.case_id() + "/child_protection_and_guardian/1";
  ASSERT_FALSE(delivery_for(referral, "referral_request").is_null()) << receiver_->stats().dump(2) << logs();
  EXPECT_FALSE(delivery_for(referral, "reminder", 40s).is_null()) << receiver_->stats().dump(2) << logs();
  // No other child protection service: the need goes to the EOC duty desk, whose webhook hears it.
  json escalation;
  ASSERT_TRUE(eventually([&] {
    const json stats = receiver_->stats();
    for (const auto& delivery : stats["deliveries"]) {
      if (delivery["type"] == "escalation" && delivery["accepted"].get<int>() > 0 &&
          delivery["reference_code"] == registration.reference_code().code()) {
        escalation = delivery;
        return true;
      }
    }
    return false;
  }, 90s)) << receiver_->stats().dump(2) << logs();
  bool escalated_to_desk = false;
  for (const auto& record : routing::every_referral_event(serbia_->platform)) {
    if (record.event.has_referral_escalated() && record.event.case_id() == registration.case_id()) {
      escalated_to_desk |= record.event.referral_escalated().level() == routing::v1::ESCALATION_LEVEL_EOC_DUTY_DESK;
    }
  }
  EXPECT_TRUE(escalated_to_desk);
}

TEST_F(HubEndToEnd, ACaseMovingOnReachesTheNextHubAndIsReferredThere) {
  start_hubs("standard");
  const std::string rs_case = routing::registered(*serbia_, routing::moving_on("e2e-4", common::JURISDICTION_MK));
  ASSERT_FALSE(rs_case.empty());
  std::string mk_case;
  ASSERT_TRUE(eventually([&] {
    for (const auto& record : routing::every_referral_event(serbia_->platform)) {
      if (record.event.has_handoff_accepted() && record.event.handoff_accepted().handoff().sending_case_id() == rs_case) {
        mk_case = record.event.handoff_accepted().handoff().receiving_case_id();
      }
    }
    return !mk_case.empty();
  }, 90s)) << serbia_->routing->log();
  ASSERT_TRUE(eventually([&] {
    for (const auto& record : routing::every_referral_event(macedonia_->platform)) {
      if (record.event.has_referral_requested() && record.event.case_id() == mk_case) return true;
    }
    return false;
  }, 60s)) << macedonia_->routing->log();
}


TEST_F(HubEndToEnd, AnOperatorRegistersFollowsAndAnswersACaseWithPactctl) {
  start_hubs("standard");
  const std::string worker = ctl_environment("csw-rs", "frontline,case_worker,coordinator");
  const CtlResult registration =
      pactctl(worker, "register --file " + std::string(PACT_SOURCE_DIR) +
                          "/tools/pactctl/examples/encounter.yaml --idempotency-key e2e-ctl-1 --jurisdiction RS --json");
  ASSERT_EQ(registration.exit_code, 0) << registration.out;
  const std::string case_id = json::parse(registration.out)["case_id"];

  const CtlResult shown = pactctl(worker, "case show " + case_id + " --json");
  ASSERT_EQ(shown.exit_code, 0) << shown.out;
  EXPECT_NE(shown.out.find(case_id), std::string::npos);

  json referral;
  ASSERT_TRUE(eventually([&] {
    const CtlResult listed = pactctl(worker, "referrals list --case " + case_id + " --json");
    if (listed.exit_code != 0) return false;
    for (const auto& item : json::parse(listed.out).value("referrals", json::array())) {
      if (item.value("referral_id", "").find("/shelter/1") != std::string::npos) referral = item;
    }
    return !referral.is_null();
  }, 60s)) << logs();

  // The provider the referral is addressed to answers it from the command line.
  const std::string provider = ctl_environment(referral["organization_id"], "provider");
  const std::string referral_id = referral["referral_id"];
  EXPECT_EQ(pactctl(provider, "referrals acknowledge " + referral_id).exit_code, 0);
  const CtlResult accepted = pactctl(provider, "referrals accept " + referral_id + " --json");
  ASSERT_EQ(accepted.exit_code, 0) << accepted.out;
  EXPECT_EQ(json::parse(accepted.out)["referral"]["status"], "REFERRAL_STATUS_ACCEPTED");
  // Someone else's referral cannot be answered, and a wrong command line is a usage error.
  EXPECT_EQ(pactctl(ctl_environment("another-ngo", "provider"), "referrals complete " + referral_id).exit_code, 1);
  EXPECT_EQ(pactctl(provider, "referrals reject " + referral_id).exit_code, 2) << "a rejection needs a reason";

  const CtlResult situation = pactctl(worker, "situation --json");
  EXPECT_EQ(situation.exit_code, 0) << situation.out;
  EXPECT_TRUE(json::accept(situation.out)) << situation.out;

  const CtlResult events = pactctl(
      "", "tail --kafka " + serbia_->platform.kafka.bootstrap_servers + " --hub " + serbia_->platform.hub.prefix() +
              " --topics case --from-beginning --count 1 --for 20s --json");
  ASSERT_EQ(events.exit_code, 0);
  ASSERT_TRUE(json::accept(events.out)) << "one decoded event within 20 s: " << events.out;
  const json event = json::parse(events.out);
  EXPECT_EQ(event["cloudevents"]["type"], "pact.events.v1.CaseRegistered");
  EXPECT_EQ(event["event"]["case_id"], case_id);
}

}  // namespace
}  // namespace pact::e2e
