// Screening against a real pact-intake and pact-screening, real Kafka (or the embedded cluster) and
// real Redis: guidance at registration, one assessment event per case event (also after a SIGKILL),
// explanations of a case's assessment, catalogues per sector and language.
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "crypto/sealed_message.h"
#include "intake_fixture.h"
#include "pact/events/v1/screening_events.pb.h"
#include "pact/screening/v1/screening.grpc.pb.h"
#include "redis/redis_client.h"
#include "rpc/status.h"

namespace pact::screening {
namespace {

using intake::testing::context_for;
using intake::testing::frontline_worker;
using intake::testing::IntakeProcess;
using intake::testing::sample_registration;
using pact::testing::Infrastructure;
using pact::testing::ServiceProcess;

std::string screening_section(const std::string& intake_address) {
  const std::string reference = PACT_REFERENCE_DIR;
  return "screening:\n  catalogue_dirs: [" + reference + "/screening/catalogues]\n  messages_file: " + reference +
         "/screening/messages.yaml\n  intake_address: " + intake_address + "\n";
}

using Assessment = pact::testing::DecodedRecord<events::v1::ScreeningEvent>;

std::vector<Assessment> assessments(const config::PlatformConfig& platform, std::size_t expected,
                                    std::chrono::milliseconds limit = std::chrono::seconds(30)) {
  return pact::testing::decoded_topic<events::v1::ScreeningEvent>(platform, kafka::topic::kScreening, expected, limit);
}

class ScreeningIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    PACT_REQUIRE_INFRASTRUCTURE();
    platform_ = Infrastructure::instance().new_hub("screening");
    // Each service calls the other (intake asks screening for guidance, screening asks intake for
    // case keys), so screening's port is chosen first.
    const std::string screening_address = "127.0.0.1:" + std::to_string(pact::testing::free_port());
    intake_ = std::make_unique<IntakeProcess>(platform_, "  screening_address: " + screening_address +
                                                             "\n  screening_deadline: 2s\n");
    screening_ = std::make_unique<ServiceProcess>("services/screening/pact-screening", platform_,
                                                  screening_section(intake_->address()), screening_address);
    screening_->start();
    stub_ = v1::ScreeningService::NewStub(screening_->channel());
  }

  intake::v1::RegisterEncounterResponse registered(const intake::v1::RegisterEncounterRequest& request) {
    intake::v1::RegisterEncounterResponse response;
    grpc::Status status = intake_->stub().RegisterEncounter(context_for(frontline_worker()).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message() << "\n" << intake_->log();
    return response;
  }

  config::PlatformConfig platform_;
  std::unique_ptr<IntakeProcess> intake_;
  std::unique_ptr<ServiceProcess> screening_;
  std::unique_ptr<v1::ScreeningService::Stub> stub_;
};

TEST_F(ScreeningIntegration, RegistrationReturnsGuidanceAndUnknownIdsAreRefused) {
  auto request = sample_registration("enc-guidance");
  request.mutable_encounter()->add_observed_indicator_ids("ILO-AL-D5-01");
  auto response = registered(request);
  ASSERT_EQ(response.guidance().status(), intake::v1::GUIDANCE_STATUS_READY) << intake_->log();
  EXPECT_EQ(response.guidance().result().level(), v1::LEVEL_INDICATIONS_PRESENT);
  EXPECT_FALSE(response.guidance().result().recommendations().empty());
  EXPECT_FALSE(response.guidance().result().follow_up_questions().empty());

  auto unknown = sample_registration("enc-unknown");
  unknown.mutable_encounter()->add_observed_indicator_ids("ILO-AL-D9-99");
  intake::v1::RegisterEncounterResponse refused;
  grpc::Status status = intake_->stub().RegisterEncounter(context_for(frontline_worker()).get(), unknown, &refused);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  auto violations = rpc::field_violations(status);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "encounter.observed_indicator_ids[1]");
  EXPECT_EQ(status.error_message().find("ILO-AL-D9-99"), std::string::npos) << "observed ids are never echoed";

  intake::v1::AmendCaseRequest amend;
  amend.set_case_id(response.case_id());
  amend.set_idempotency_key("amend-unknown");
  amend.mutable_amendment()->add_added_observed_indicator_ids("ILO-AL-D4-01");
  amend.mutable_amendment()->add_added_observed_indicator_ids("NOT-IN-ANY-LIST");
  intake::v1::AmendCaseResponse amended;
  status = intake_->stub().AmendCase(context_for(frontline_worker()).get(), amend, &amended);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  violations = rpc::field_violations(status);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "amendment.added_observed_indicator_ids[1]");
}

TEST_F(ScreeningIntegration, WhenScreeningIsDownRegistrationSucceedsWithGuidancePendingAndUnknownIdsAreReportedLater) {
  screening_->kill();
  auto request = sample_registration("enc-pending");
  request.mutable_encounter()->add_observed_indicator_ids("ILO-AL-D9-99");
  auto response = registered(request);
  EXPECT_EQ(response.guidance().status(), intake::v1::GUIDANCE_STATUS_PENDING);

  screening_->start();
  auto events = assessments(platform_, 1);
  ASSERT_EQ(events.size(), 1u) << screening_->log();
  const auto& completed = events[0].event.assessment_completed();
  EXPECT_EQ(completed.change(), events::v1::CASE_CHANGE_REGISTERED);
  EXPECT_EQ(completed.assessment().unknown_indicator_count(), 1u);
  EXPECT_EQ(completed.assessment().level(), v1::LEVEL_INDICATIONS_PRESENT);

  // The worker's app retries the same registration (its answer was lost): the case is replayed,
  // not refused for the id screening now reports (a test that failed before the fix).
  auto replayed = registered(request);
  EXPECT_TRUE(replayed.idempotent_replay());
  EXPECT_EQ(replayed.case_id(), response.case_id());
  EXPECT_EQ(replayed.guidance().status(), intake::v1::GUIDANCE_STATUS_READY);
  EXPECT_EQ(replayed.guidance().result().unknown_indicator_ids_size(), 1);
}

TEST_F(ScreeningIntegration, EveryCaseEventGetsOneAssessmentEventInOrderWithTheSnapshotAndSealedResult) {
  auto registration = registered(sample_registration("enc-life"));
  const std::string case_id = registration.case_id();

  intake::v1::AmendCaseRequest amend;
  amend.set_case_id(case_id);
  amend.set_idempotency_key("amend-1");
  amend.set_expected_sequence(1);
  for (const char* id : {"ILO-AL-D1-02", "ILO-AL-D4-01", "ILO-AL-D4-02", "ILO-AL-D5-01", "ILO-AL-D5-02"}) {
    amend.mutable_amendment()->add_added_observed_indicator_ids(id);
  }
  amend.mutable_amendment()->mutable_reported_flags()->set_immediate_danger(true);
  intake::v1::AmendCaseResponse amended;
  ASSERT_TRUE(intake_->stub().AmendCase(context_for(frontline_worker()).get(), amend, &amended).ok());
  ASSERT_EQ(amended.guidance().status(), intake::v1::GUIDANCE_STATUS_READY) << "guidance on the case as amended";
  EXPECT_EQ(amended.guidance().result().level(), v1::LEVEL_COMBINATION_MET);
  EXPECT_TRUE(amended.guidance().result().flags().immediate_danger()) << "guidance sees the amended flags";

  intake::v1::EraseCaseRequest erase;
  erase.set_case_id(case_id);
  erase.set_reason(common::v1::ERASURE_REASON_DATA_SUBJECT_REQUEST);
  erase.set_idempotency_key("erase-1");

  auto events = assessments(platform_, 2);
  ASSERT_EQ(events.size(), 2u) << screening_->log();
  std::sort(events.begin(), events.end(), [](const auto& a, const auto& b) { return a.record.offset < b.record.offset; });
  const auto& first = events[0].event;
  const auto& second = events[1].event;
  EXPECT_EQ(first.sequence(), 1u);
  EXPECT_EQ(second.sequence(), 2u);
  EXPECT_EQ(first.case_id(), case_id);
  EXPECT_EQ(events[0].record.key, case_id);
  EXPECT_EQ(events[0].record.header("ce_type"), "pact.events.v1.AssessmentCompleted");
  EXPECT_EQ(events[0].record.header("ce_id"), first.event_id());
  EXPECT_EQ(first.assessment_completed().change(), events::v1::CASE_CHANGE_REGISTERED);
  EXPECT_EQ(first.assessment_completed().assessment().level(), v1::LEVEL_INDICATIONS_PRESENT);
  EXPECT_TRUE(first.assessment_completed().assessment_changed());
  EXPECT_TRUE(first.assessment_completed().assessment().result_id().empty())
      << "an unkeyed hash of the observed ids never travels in clear";
  EXPECT_EQ(second.assessment_completed().change(), events::v1::CASE_CHANGE_AMENDED);
  EXPECT_EQ(second.assessment_completed().assessment().level(), v1::LEVEL_COMBINATION_MET);
  EXPECT_EQ(second.assessment_completed().previous_level(), v1::LEVEL_INDICATIONS_PRESENT);
  EXPECT_TRUE(second.assessment_completed().has_snapshot());
  EXPECT_EQ(second.assessment_completed().snapshot().summary().sequence(), 2u);

  // The full result is sealed under the case key: only a holder of the key reads the evidence.
  intake::v1::ReleaseCaseKeyRequest release;
  release.set_case_id(case_id);
  release.set_purpose(common::v1::ACCESS_PURPOSE_REFERRAL_ROUTING);
  intake::v1::ReleaseCaseKeyResponse key;
  ASSERT_TRUE(intake_->stub().ReleaseCaseKey(context_for(intake::testing::screening_service()).get(), release, &key).ok());
  ASSERT_EQ(second.assessment_completed().sealed_size(), 1);
  v1::ScreeningResult result;
  ASSERT_TRUE(crypto::open_message(crypto::SecretKey::from_bytes(key.keys(0).key()), case_id,
                                   second.assessment_completed().sealed(0), result));
  EXPECT_EQ(result.level(), v1::LEVEL_COMBINATION_MET);
  EXPECT_EQ(events[1].record.value.find("ILO-AL-D5-01"), std::string::npos) << "evidence travels sealed only";
  // What screening keeps in Redis is coarse or sealed too.
  redis::RedisClient redis(platform_.redis);
  redis::RedisValue stored = redis.command({"HGETALL", platform_.hub.redis_key({"screening", "assessment", case_id})});
  ASSERT_FALSE(stored.elements.empty());
  for (const auto& field : stored.elements) {
    EXPECT_EQ(field.text.find("ILO-AL-D5-01"), std::string::npos);
    EXPECT_EQ(field.text.find("Haddad"), std::string::npos);
  }
  EXPECT_EQ(screening_->log().find("ILO-AL-D5-01"), std::string::npos) << "observed ids never reach the logs";

  // The case's assessment can be explained (a person of the case's jurisdiction asks).
  v1::ExplainResultRequest explain;
  explain.set_case_id(case_id);
  v1::ExplainResultResponse explanation;
  grpc::Status explained = stub_->ExplainResult(context_for(frontline_worker()).get(), explain, &explanation);
  ASSERT_TRUE(explained.ok()) << explained.error_message();
  EXPECT_EQ(explanation.case_sequence(), 2u);
  rpc::Caller elsewhere = frontline_worker();
  elsewhere.jurisdictions = {"AL"};
  v1::ExplainResultResponse refused;
  EXPECT_EQ(stub_->ExplainResult(context_for(elsewhere).get(), explain, &refused).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(explanation.result().level(), v1::LEVEL_COMBINATION_MET);
  EXPECT_FALSE(explanation.steps().empty());

  // Erasure: one more assessment event, without snapshot or assessment; the stored one is gone.
  intake::v1::EraseCaseResponse erased;
  ASSERT_TRUE(intake_->stub().EraseCase(context_for(frontline_worker()).get(), erase, &erased).ok());
  events = assessments(platform_, 3);
  ASSERT_EQ(events.size(), 3u);
  std::sort(events.begin(), events.end(), [](const auto& a, const auto& b) { return a.record.offset < b.record.offset; });
  const auto& third = events[2].event.assessment_completed();
  EXPECT_EQ(third.change(), events::v1::CASE_CHANGE_ERASED);
  EXPECT_FALSE(third.has_snapshot());
  EXPECT_FALSE(third.has_assessment());
  EXPECT_EQ(third.previous_level(), v1::LEVEL_COMBINATION_MET);
  ASSERT_TRUE(pact::testing::eventually([&] {
    v1::ExplainResultResponse gone;
    return stub_->ExplainResult(context_for(frontline_worker()).get(), explain, &gone).error_code() ==
           grpc::StatusCode::NOT_FOUND;
  }, std::chrono::seconds(10)));
}

TEST_F(ScreeningIntegration, SigkillMidStreamLosesNoAssessmentAndMintsNoSecondId) {
  // A backlog first (registered while screening is down), so that the kill lands mid-stream
  // whatever the speed of the machine: screening is killed as soon as Redis holds its first stored
  // assessment. Watching the topic instead was too slow: a consumer joining the embedded cluster
  // took longer than screening needed for the whole backlog.
  constexpr int kCases = 1000;
  screening_->kill();
  std::vector<std::string> stored_assessment_keys{"EXISTS"};
  for (int i = 0; i < kCases; ++i) {
    auto request = sample_registration("enc-kill-" + std::to_string(i));
    request.mutable_encounter()->add_observed_indicator_ids(i % 2 == 0 ? "ILO-AL-D5-01" : "HLT-PHY-01");
    stored_assessment_keys.push_back(
        platform_.hub.redis_key({"screening", "assessment", registered(request).case_id()}));
  }
  redis::RedisClient redis(platform_.redis);
  screening_->start();
  ASSERT_TRUE(pact::testing::eventually([&] { return redis.command(stored_assessment_keys).as_integer() > 0; },
                                        std::chrono::seconds(60)));
  screening_->kill();
  const std::size_t assessed_before_kill = assessments(platform_, kCases, std::chrono::seconds(3)).size();
  screening_->start();

  // Records repeated after the crash count towards what the topic holds, so wait for every case.
  std::vector<Assessment> events;
  std::map<std::string, std::set<std::string>> ids_per_case;
  pact::testing::eventually([&] {
    events = assessments(platform_, kCases + 50, std::chrono::seconds(5));  // returns after 5 s with what is there
    ids_per_case.clear();
    for (const auto& assessment : events) ids_per_case[assessment.event.case_id()].insert(assessment.event.event_id());
    return ids_per_case.size() == static_cast<std::size_t>(kCases);
  }, std::chrono::seconds(180));
  EXPECT_EQ(ids_per_case.size(), static_cast<std::size_t>(kCases)) << "every case event was assessed";
  for (const auto& [case_id, ids] : ids_per_case) {
    EXPECT_EQ(ids.size(), 1u) << case_id << ": a repeat after the crash has the same event id";
  }
  // Records repeated by the crash (same id, same sequence) are what downstream skips by sequence.
  std::cout << "[          ] killed after " << assessed_before_kill << " of " << kCases << " assessments; "
            << events.size() << " assessment records afterwards (" << events.size() - ids_per_case.size()
            << " repeated after SIGKILL)\n";
  EXPECT_LT(assessed_before_kill, static_cast<std::size_t>(kCases)) << "the kill came mid-stream";
}

TEST_F(ScreeningIntegration, ScreenAndCataloguesOverGrpc) {
  v1::ScreenRequest screen;
  v1::ScreeningRequest& request = *screen.mutable_request();
  request.set_sector(common::v1::SECTOR_HEALTH);
  request.set_jurisdiction(common::v1::JURISDICTION_RS);
  request.mutable_age()->set_years(15);
  request.set_language("sr-Latn");
  request.add_observed_indicator_ids("ILO-CL-D4-01");
  request.add_observed_indicator_ids("NOT-AN-ID");
  v1::ScreenResponse screened;
  ASSERT_TRUE(stub_->Screen(context_for(frontline_worker()).get(), screen, &screened).ok());
  EXPECT_TRUE(screened.result().flags().presumed_child());
  EXPECT_EQ(screened.result().recommendations(0).type(), v1::RECOMMENDATION_TYPE_CHILD_PROTECTION_AND_GUARDIAN);
  EXPECT_THAT(screened.result().unknown_indicator_ids(), ::testing::ElementsAre("NOT-AN-ID"));
  for (const auto& question : screened.result().follow_up_questions()) {
    EXPECT_EQ(question.indicator_id().rfind("ILO-A", 0), std::string::npos) << "a child is asked the child lists";
  }

  v1::ScreenRequest bad;
  bad.mutable_request()->set_language("not a tag!");
  grpc::Status refused = stub_->Screen(context_for(frontline_worker()).get(), bad, &screened);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(rpc::field_violations(refused).size(), 2u);  // sector and language

  v1::ListCataloguesRequest list;
  list.set_sector(common::v1::SECTOR_EDUCATION);
  list.set_language("sq");
  v1::ListCataloguesResponse listed;
  ASSERT_TRUE(stub_->ListCatalogues(context_for(frontline_worker()).get(), list, &listed).ok());
  ASSERT_EQ(listed.catalogues_size(), 2) << "ILO and child lists have an education view; health has none";
  EXPECT_NE(listed.catalogues(0).title(), "ILO/EC operational indicators of trafficking in human beings")
      << "titles are translated where a translation exists";

  v1::GetCatalogueRequest get;
  get.set_sector(common::v1::SECTOR_HEALTH);
  get.set_language("fa");
  get.set_jurisdiction(common::v1::JURISDICTION_RS);
  v1::GetCatalogueResponse catalogue;
  ASSERT_TRUE(stub_->GetCatalogue(context_for(frontline_worker()).get(), get, &catalogue).ok());
  ASSERT_FALSE(catalogue.catalogue().indicators().empty());
  EXPECT_EQ(catalogue.catalogue().indicators(0).language(), "en") << "untranslated texts fall back to English";
  get.set_catalogue_id("no-such-catalogue");
  EXPECT_EQ(stub_->GetCatalogue(context_for(frontline_worker()).get(), get, &catalogue).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

// A country's file with a mistake stops the service before it starts, naming the file and line.
TEST(ScreeningCheckConfig, ABadCatalogueFileIsReportedWithItsLineAndTheServiceRefusesToStart) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(::testing::TempDir()) / "screening-bad-catalogue";
  fs::create_directories(dir / "country");
  std::ofstream(dir / "country" / "me-own.yaml") << "catalogue:\n  id: me-own\n  version: \"1\"\n  jurisdiction: ME\n"
                                                    "  source: \"test\"\n  title: {en: \"Own\"}\n"
                                                    "lists:\n  - {list: health, title: {en: \"H\"}}\n"
                                                    "indicators:\n"
                                                    "  - {id: ME-1, list: health, strength: very, text: {en: \"a\"}, "
                                                    "sectors: [health], source: \"s\"}\n";
  const std::string reference = PACT_REFERENCE_DIR;
  std::ofstream(dir / "screening.yaml") << "hub:\n  prefix: t-check\n  jurisdictions: [ME]\nsecurity:\n  mode: development\n"
                                        << "screening:\n  catalogue_dirs: [" << reference << "/screening/catalogues, "
                                        << (dir / "country").string() << "]\n  messages_file: " << reference
                                        << "/screening/messages.yaml\n  intake_address: 127.0.0.1:9\n";
  pact::testing::ChildProcess check(std::string(PACT_BINARY_DIR) + "/services/screening/pact-screening",
                                    {"--config", (dir / "screening.yaml").string(), "--check-config"},
                                    (dir / "check.log").string());
  EXPECT_EQ(check.wait(std::chrono::seconds(30)), 2);
  EXPECT_NE(check.log().find("me-own.yaml:10: unknown strength 'very'"), std::string::npos) << check.log();
}

}  // namespace
}  // namespace pact::screening
