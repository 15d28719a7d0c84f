// Routing against real Redis and real Kafka (or the embedded cluster), with pact-routing as a real
// process: screening events in, referral events out, exactly once also across a SIGKILL; timers
// that survive a SIGKILL and fire once; concurrent routing that never overbooks a provider;
// providers answering over gRPC; and the whole chain from intake through screening to a provider
// reading the data its referral allows.
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "case_updater.h"
#include "directory_store.h"
#include "intake_fixture.h"
#include "kafka/envelope_record.h"
#include "kafka/producer.h"
#include "kafka/topics.h"
#include "pact/events/v1/referral_events.pb.h"
#include "pact/routing/v1/directory.grpc.pb.h"
#include "pact/routing/v1/routing.grpc.pb.h"
#include "redis/redis_client.h"
#include "routing_fixture.h"
#include "routing_process_fixture.h"
#include "routing_store.h"

namespace pact::routing {
namespace {

using intake::testing::context_for;
using pact::testing::Infrastructure;
using pact::testing::ServiceProcess;

// A case in Serbia who needs an interpreter: one referral, to an untracked service, so capacity
// never gets in the way of counting.
events::v1::ScreeningEvent interpreter_case(int number) {
  testing::CaseSpec spec;
  spec.case_id = "case-" + std::to_string(number);
  spec.flags.set_language_barrier(true);
  spec.level = screening::LEVEL_NO_INDICATORS_OBSERVED;
  return testing::assessment(spec);
}

class RoutingIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    PACT_REQUIRE_INFRASTRUCTURE();
    platform_ = Infrastructure::instance().new_hub("routing");
    producer_ = std::make_unique<kafka::Producer>(platform_.kafka, "routing-test");
  }

  std::string work_dir() const {
    return (std::filesystem::temp_directory_path() / ("pact-routing-" + platform_.hub.prefix())).string();
  }

  // SOP files whose "immediate" deadlines are seconds long, so a test can wait one out.
  std::string short_deadline_sop() {
    const auto dir = std::filesystem::temp_directory_path() / ("pact-sop-" + platform_.hub.prefix());
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "regional.yaml") << R"(sop: short
version: "1"
applies_to: regional
profiles: [standard]
deadline_classes:
  immediate:
    standard: {acknowledge: 3s, accept: 30s, reminders: [1s]}
escalation: {deadlines: immediate}
rules:
  - id: interpretation
    version: 1
    when: {flags: [language_barrier]}
    refer: [{need: interpreter, service: interpretation, priority: urgent, deadlines: immediate, consent: none}]
)";
    return dir.string();
  }

  config::PlatformConfig platform_;
  std::unique_ptr<kafka::Producer> producer_;
};

TEST_F(RoutingIntegration, ScreeningEventsBecomeReferralsExactlyOnceAcrossASigkill) {
  ServiceProcess routing("services/routing/pact-routing", platform_, routing_section(kReference + "/routing/sop", work_dir()));
  routing.start();
  constexpr int kCases = 300;
  for (int i = 0; i < kCases / 2; ++i) publish(*producer_, platform_, interpreter_case(i));
  // Kill while the first half is being routed, send the rest, start again.
  ASSERT_TRUE(pact::testing::eventually([&] { return referral_events(platform_, 20, std::chrono::seconds(2)).size() >= 20; }));
  routing.kill();
  for (int i = kCases / 2; i < kCases; ++i) publish(*producer_, platform_, interpreter_case(i));
  for (int i = 0; i < 10; ++i) publish(*producer_, platform_, interpreter_case(i));  // duplicates on the topic
  routing.start();

  std::map<std::string, events::v1::ReferralEvent> requested;
  ASSERT_TRUE(pact::testing::eventually([&] {
    requested = distinct(every_referral_event(platform_), events::v1::ReferralEvent::kReferralRequested);
    return requested.size() >= kCases;
  }, std::chrono::seconds(120))) << requested.size() << "\n" << routing.log();
  std::map<std::string, int> attempts;
  for (const auto& [id, event] : requested) ++attempts[event.referral_requested().referral().referral_id()];
  EXPECT_EQ(attempts.size(), static_cast<std::size_t>(kCases));
  for (const auto& [referral_id, count] : attempts) {
    EXPECT_EQ(count, 1) << referral_id;
    EXPECT_THAT(referral_id, ::testing::EndsWith("/interpreter/1"));
  }
}

TEST_F(RoutingIntegration, ADeadlineFiresOnceAfterRoutingWasKilledBeforeIt) {
  ServiceProcess routing("services/routing/pact-routing", platform_, routing_section(short_deadline_sop(), work_dir()));
  routing.start();
  publish(*producer_, platform_, interpreter_case(1));
  ASSERT_TRUE(pact::testing::eventually([&] {
    return !distinct(referral_events(platform_, 1, std::chrono::seconds(2)), events::v1::ReferralEvent::kReferralRequested).empty();
  })) << routing.log();
  routing.kill();  // the 3 s acknowledgement deadline passes while routing is down
  std::this_thread::sleep_for(std::chrono::seconds(4));
  routing.start();
  auto cancellations = [&] {
    std::vector<events::v1::ReferralEvent> out;
    for (const auto& [id, event] : distinct(every_referral_event(platform_), events::v1::ReferralEvent::kReferralStatusChanged)) {
      const auto& changed = event.referral_status_changed();
      if (changed.referral().referral_id() == "case-1/interpreter/1" && changed.reason() == v1::REFERRAL_STATUS_REASON_ACKNOWLEDGEMENT_DEADLINE_MISSED) {
        out.push_back(event);
      }
    }
    return out;
  };
  ASSERT_TRUE(pact::testing::eventually([&] { return cancellations().size() == 1; }, std::chrono::seconds(30))) << routing.log();
  // Another restart later: the timer is gone with its effect, nothing fires twice.
  routing.kill();
  routing.start();
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_EQ(cancellations().size(), 1U);
  // The need moved on: the sample directory's next interpreter, or the EOC duty desk.
  const auto all = every_referral_event(platform_);
  bool moved_on = false;
  for (const auto& record : all) {
    if (record.event.has_referral_requested()) moved_on |= record.event.referral_requested().previous_referral_id() == "case-1/interpreter/1";
    if (record.event.has_referral_escalated()) moved_on |= record.event.referral_escalated().escalated_referral_id() == "case-1/interpreter/1";
  }
  EXPECT_TRUE(moved_on);
}

TEST_F(RoutingIntegration, ConcurrentRoutingNeverOverbooksAProvider) {
  // Many workers, each with its own Redis connection, route cases to the one shelter of a
  // jurisdiction that has three beds; the rest must go to the EOC duty desk.
  redis::RedisClient directory_redis(platform_.redis);
  DirectoryStore directory_store(platform_.hub, directory_redis);
  v1::Organization organization;
  organization.set_organization_id("org-shelter");
  organization.set_name("Shelter (fictional)");
  organization.set_kind(v1::ORGANIZATION_KIND_NGO);
  organization.add_jurisdictions(common::JURISDICTION_RS);
  v1::Organization coordination = organization;
  coordination.set_organization_id("org-eoc-desk");
  coordination.set_kind(v1::ORGANIZATION_KIND_COORDINATION);
  ASSERT_EQ(directory_store.add_organization(organization), DirectoryWrite::ok);
  ASSERT_EQ(directory_store.add_organization(coordination), DirectoryWrite::ok);
  v1::Service shelter = testing::with_capacity(testing::service("shelter", v1::SERVICE_TYPE_SAFE_ACCOMMODATION), 3, 3);
  shelter.set_organization_id("org-shelter");
  v1::Service desk = testing::coordination("eoc-desk", v1::SERVICE_TYPE_EOC_DUTY_DESK);
  desk.set_organization_id("org-eoc-desk");
  ASSERT_EQ(directory_store.add_service(shelter), DirectoryWrite::ok);
  ASSERT_EQ(directory_store.add_service(desk), DirectoryWrite::ok);
  // A cache that never refreshes: every worker believes three beds are free, as a stale replica would.
  DirectoryCache cache(directory_store, std::chrono::hours(1));
  cache.current();

  constexpr int kWorkers = 8;
  constexpr int kCasesPerWorker = 5;
  std::vector<std::thread> workers;
  for (int w = 0; w < kWorkers; ++w) {
    workers.emplace_back([&, w] {
      redis::RedisClient redis(platform_.redis);
      RoutingStore store(platform_.hub, redis);
      CaseUpdater updater(testing::repository_sop(), cache, store, "standard", platform_.hub.prefix(), testing::monday_morning);
      for (int c = 0; c < kCasesPerWorker; ++c) {
        testing::CaseSpec spec;
        spec.case_id = "race-" + std::to_string(w) + "-" + std::to_string(c);
        spec.needs = {common::NEED_TYPE_SHELTER};
        spec.consent = {common::CONSENT_SCOPE_SERVICES};
        spec.level = screening::LEVEL_NO_INDICATORS_OBSERVED;
        const auto event = testing::assessment(spec);
        updater.update(spec.case_id, event.event_id(), true, [&](CaseRouter& router) {
          router.apply_assessment(event);
          return true;
        });
      }
    });
  }
  for (auto& worker : workers) worker.join();

  redis::RedisClient redis(platform_.redis);
  RoutingStore store(platform_.hub, redis);
  int to_shelter = 0;
  int escalated = 0;
  for (int w = 0; w < kWorkers; ++w) {
    for (int c = 0; c < kCasesPerWorker; ++c) {
      auto state = store.load("race-" + std::to_string(w) + "-" + std::to_string(c));
      ASSERT_TRUE(state);
      for (const auto& referral : state->referrals()) {
        if (referral.attempt_id().need_type() != common::NEED_TYPE_SHELTER) continue;
        if (referral.service_id() == "shelter") ++to_shelter;
        if (referral.kind() == v1::REFERRAL_KIND_ESCALATION) ++escalated;
      }
    }
  }
  EXPECT_EQ(to_shelter, 3);
  EXPECT_EQ(escalated, kWorkers * kCasesPerWorker - 3);
  const auto capacity = directory_store.capacity("shelter");
  ASSERT_TRUE(capacity);
  EXPECT_EQ(capacity->available(), 0U);
}

TEST_F(RoutingIntegration, ProvidersAnswerOverGrpcAndSeeOnlyTheirOwnReferrals) {
  ServiceProcess routing("services/routing/pact-routing", platform_, routing_section(kReference + "/routing/sop", work_dir()));
  routing.start();
  testing::CaseSpec spec;
  spec.case_id = "answer-1";
  spec.needs = {common::NEED_TYPE_LEGAL_AID};
  spec.consent = {common::CONSENT_SCOPE_SERVICES};
  spec.level = screening::LEVEL_NO_INDICATORS_OBSERVED;
  publish(*producer_, platform_, testing::assessment(spec));
  const std::string referral_id = "answer-1/legal_aid/1";
  auto stub = v1::RoutingService::NewStub(routing.channel());
  v1::Referral referral;
  ASSERT_TRUE(pact::testing::eventually([&] {
    v1::GetReferralRequest request;
    request.set_referral_id(referral_id);
    v1::GetReferralResponse response;
    rpc::Caller worker = provider("csw");
    worker.roles = {"case_worker"};
    worker.jurisdictions = {"RS"};
    if (!stub->GetReferral(context_for(worker).get(), request, &response).ok()) return false;
    referral = response.referral();
    return true;
  })) << routing.log();
  const std::string organisation = referral.organization_id();

  // Another organisation neither sees nor answers it.
  v1::GetReferralRequest get;
  get.set_referral_id(referral_id);
  v1::GetReferralResponse got;
  EXPECT_EQ(stub->GetReferral(context_for(provider("someone-else")).get(), get, &got).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::AcceptReferralRequest accept;
  accept.set_referral_id(referral_id);
  v1::AcceptReferralResponse accepted;
  EXPECT_EQ(stub->AcceptReferral(context_for(provider("someone-else")).get(), accept, &accepted).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // Its provider acknowledges, then rejects: the need moves to the next provider or is escalated.
  v1::AcknowledgeReferralRequest ack;
  ack.set_referral_id(referral_id);
  v1::AcknowledgeReferralResponse acked;
  ASSERT_TRUE(stub->AcknowledgeReferral(context_for(provider(organisation)).get(), ack, &acked).ok());
  EXPECT_EQ(acked.referral().status(), v1::REFERRAL_STATUS_RECEIVED);
  v1::RejectReferralRequest reject;
  reject.set_referral_id(referral_id);
  reject.set_reason(v1::REFERRAL_STATUS_REASON_OTHER);
  v1::RejectReferralResponse rejected;
  EXPECT_EQ(stub->RejectReferral(context_for(provider(organisation)).get(), reject, &rejected).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);  // OTHER needs a note
  reject.set_reason(v1::REFERRAL_STATUS_REASON_NO_CAPACITY);
  ASSERT_TRUE(stub->RejectReferral(context_for(provider(organisation)).get(), reject, &rejected).ok());
  EXPECT_EQ(rejected.referral().status(), v1::REFERRAL_STATUS_REJECTED);
  EXPECT_EQ(rejected.next_referral_id(), "answer-1/legal_aid/2");
  // A retried rejection changes nothing.
  ASSERT_TRUE(stub->RejectReferral(context_for(provider(organisation)).get(), reject, &rejected).ok());

  v1::ListReferralsRequest list;
  list.set_case_id("answer-1");
  v1::ListReferralsResponse listed;
  ASSERT_TRUE(stub->ListReferrals(context_for(provider(organisation)).get(), list, &listed).ok());
  ASSERT_EQ(listed.referrals_size(), 1);  // only its own, not the next attempt elsewhere
  EXPECT_EQ(listed.referrals(0).referral_id(), referral_id);

  // The events tell the same story, each once.
  std::map<std::string, events::v1::ReferralEvent> changes;
  ASSERT_TRUE(pact::testing::eventually([&] {
    changes = distinct(every_referral_event(platform_), events::v1::ReferralEvent::kReferralStatusChanged);
    return changes.size() >= 2;
  }));
  int rejections = 0;
  for (const auto& [id, event] : changes) rejections += event.referral_status_changed().referral().status() == v1::REFERRAL_STATUS_REJECTED;
  EXPECT_EQ(rejections, 1);
}

TEST_F(RoutingIntegration, ADeliveryAcknowledgementMovesTheReferralToReceived) {
  ServiceProcess routing("services/routing/pact-routing", platform_, routing_section(kReference + "/routing/sop", work_dir()));
  routing.start();
  publish(*producer_, platform_, interpreter_case(7));
  ASSERT_TRUE(pact::testing::eventually([&] {
    return !distinct(referral_events(platform_, 1, std::chrono::seconds(2)), events::v1::ReferralEvent::kReferralRequested).empty();
  })) << routing.log();
  events::v1::NotificationEvent acknowledged;
  acknowledged.set_event_id("n-1");
  acknowledged.set_case_id("case-7");
  acknowledged.set_sequence(1);
  acknowledged.set_hub(platform_.hub.prefix());
  auto& delivery = *acknowledged.mutable_notification_acknowledged()->mutable_delivery();
  delivery.set_referral_id("case-7/interpreter/1");
  delivery.set_delivery_id("d-1");
  for (int copy = 0; copy < 2; ++copy) {  // a repeated report is harmless
    auto result = producer_->produce_and_wait(kafka::envelope_record(platform_.hub, kafka::topic::kNotification, "notification", acknowledged, ""));
    ASSERT_TRUE(result.stored());
  }
  auto stub = v1::RoutingService::NewStub(routing.channel());
  rpc::Caller worker = provider("csw");
  worker.roles = {"case_worker"};
  worker.jurisdictions = {"RS"};
  ASSERT_TRUE(pact::testing::eventually([&] {
    v1::GetReferralRequest request;
    request.set_referral_id("case-7/interpreter/1");
    v1::GetReferralResponse response;
    return stub->GetReferral(context_for(worker).get(), request, &response).ok() &&
           response.referral().status() == v1::REFERRAL_STATUS_RECEIVED;
  })) << routing.log();
}

TEST_F(RoutingIntegration, TheDirectoryIsMaintainedOverGrpcAndCapacityIsReported) {
  ServiceProcess routing("services/routing/pact-routing", platform_, routing_section(kReference + "/routing/sop", work_dir()));
  routing.start();
  auto stub = v1::DirectoryService::NewStub(routing.channel());
  rpc::Caller admin = provider("pact-hub");
  admin.roles = {"directory_admin"};
  admin.jurisdictions = {"RS"};
  v1::ListServicesRequest list;
  list.set_type(v1::SERVICE_TYPE_INTERPRETATION);
  list.set_jurisdiction(common::JURISDICTION_RS);
  v1::ListServicesResponse listed;
  ASSERT_TRUE(stub->ListServices(context_for(admin).get(), list, &listed).ok());
  EXPECT_EQ(listed.services_size(), 2);  // the test directory was imported at start

  v1::ImportDirectoryRequest import;
  import.set_format(v1::IMPORT_FORMAT_CSV);
  import.set_records(v1::IMPORT_RECORDS_SERVICES);
  import.set_source_name("bad.csv");
  import.set_content("id,organization,name,type,jurisdictions\nx-1,no-such-org,X,shelterr,RS\n");
  v1::ImportDirectoryResponse imported;
  const grpc::Status refused = stub->ImportDirectory(context_for(admin).get(), import, &imported);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(refused.error_message(), ::testing::HasSubstr("nothing was imported"));
  EXPECT_EQ(stub->ImportDirectory(context_for(provider("ngo")).get(), import, &imported).error_code(), grpc::StatusCode::PERMISSION_DENIED);

  // A provider reports its shelter's beds; another organisation may not.
  v1::ListServicesRequest shelters;
  shelters.set_type(v1::SERVICE_TYPE_SAFE_ACCOMMODATION);
  shelters.set_jurisdiction(common::JURISDICTION_RS);
  v1::ListServicesResponse found;
  ASSERT_TRUE(stub->ListServices(context_for(provider("ngo")).get(), shelters, &found).ok());
  ASSERT_GE(found.services_size(), 1);
  v1::Service shelter;
  for (const auto& service : found.services()) {
    if (service.capacity().tracked()) shelter = service;
  }
  ASSERT_FALSE(shelter.service_id().empty());
  EXPECT_FALSE(shelter.has_location() && shelter.confidential_location());  // confidential: not shown to others
  v1::SetCapacityRequest set;
  set.set_service_id(shelter.service_id());
  set.set_available(shelter.capacity().maximum());
  v1::SetCapacityResponse capacity;
  EXPECT_EQ(stub->SetCapacity(context_for(provider("someone-else")).get(), set, &capacity).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(stub->SetCapacity(context_for(provider(shelter.organization_id())).get(), set, &capacity).ok());
  EXPECT_EQ(capacity.capacity().available(), shelter.capacity().maximum());
  set.set_available(shelter.capacity().maximum() + 1);
  EXPECT_EQ(stub->SetCapacity(context_for(provider(shelter.organization_id())).get(), set, &capacity).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_TRUE(pact::testing::eventually([&] {
    return !distinct(every_referral_event(platform_), events::v1::ReferralEvent::kCapacityChanged).empty();
  }));
}

TEST_F(RoutingIntegration, ADirectoryAdministratorChangesOnlyTheirJurisdictionsRecords) {
  ServiceProcess routing("services/routing/pact-routing", platform_, routing_section(kReference + "/routing/sop", work_dir()));
  routing.start();
  auto stub = v1::DirectoryService::NewStub(routing.channel());
  rpc::Caller serbian = provider("rs-directory");
  serbian.roles = {"directory_admin"};
  serbian.jurisdictions = {"RS"};
  rpc::Caller macedonian = serbian;
  macedonian.organisation = "mk-directory";
  macedonian.jurisdictions = {"MK"};

  // North Macedonia's administrator adds an organisation of theirs.
  v1::AddOrganizationRequest add;
  add.mutable_organization()->set_organization_id("mk-ngo-scope");
  add.mutable_organization()->set_name("MK NGO (fictional)");
  add.mutable_organization()->set_kind(v1::ORGANIZATION_KIND_NGO);
  add.mutable_organization()->add_jurisdictions(common::JURISDICTION_MK);
  add.mutable_organization()->set_fictional(true);
  v1::AddOrganizationResponse added;
  ASSERT_TRUE(stub->AddOrganization(context_for(macedonian).get(), add, &added).ok());

  // Serbia's administrator can neither rewrite it as Serbian, nor take it over by importing a file
  // with the same id (an import replaces).
  v1::UpdateOrganizationRequest update;
  *update.mutable_organization() = add.organization();
  update.mutable_organization()->set_jurisdictions(0, common::JURISDICTION_RS);
  v1::UpdateOrganizationResponse updated;
  EXPECT_EQ(stub->UpdateOrganization(context_for(serbian).get(), update, &updated).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::ImportDirectoryRequest import;
  import.set_format(v1::IMPORT_FORMAT_CSV);
  import.set_records(v1::IMPORT_RECORDS_ORGANIZATIONS);
  import.set_source_name("takeover.csv");
  import.set_content("id,name,kind,jurisdictions\nmk-ngo-scope,Taken over (fictional),ngo,RS\n");
  v1::ImportDirectoryResponse imported;
  const grpc::Status takeover = stub->ImportDirectory(context_for(serbian).get(), import, &imported);
  EXPECT_EQ(takeover.error_code(), grpc::StatusCode::PERMISSION_DENIED) << takeover.error_message();

  // Nor can Serbia's administrator make a Serbian service North Macedonia's escalation desk: it
  // would receive Macedonian cases.
  v1::AddServiceRequest desk;
  auto& service = *desk.mutable_service();
  service.set_service_id("rs-desk-for-mk");
  service.set_organization_id("rs-ngo-one");
  service.set_name("Desk (fictional)");
  service.set_type(v1::SERVICE_TYPE_EOC_DUTY_DESK);
  service.mutable_area()->add_jurisdictions(common::JURISDICTION_RS);
  service.add_coordinates_jurisdictions(common::JURISDICTION_MK);
  service.set_fictional(true);
  v1::AddServiceResponse desk_added;
  EXPECT_EQ(stub->AddService(context_for(serbian).get(), desk, &desk_added).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace pact::routing
