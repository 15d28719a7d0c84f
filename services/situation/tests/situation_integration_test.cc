// pact-situation as a real process on the real broker and Redis (or the embedded cluster): it
// follows the hub's topics, serves the picture over HTTP/JSON, server-sent events and gRPC (get and
// stream), rebuilds the same figures from the topics when its snapshot is lost, resumes from the
// snapshot otherwise, and publishes CAP alerts (Alert, then Cancel) on the alert topic.
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "cap_alert.h"
#include "support/infrastructure.h"
#include "kafka/envelope_record.h"
#include "kafka/producer.h"
#include "kafka/topics.h"
#include "pact/situation/v1/situation.grpc.pb.h"
#include "redis/redis_client.h"
#include "rpc/authenticator.h"
#include "support/service_process.h"
#include "situation_events.h"
#include "support/topic_reader.h"

namespace pact::situation {
namespace {

using namespace pact::situation::testing;
using namespace std::chrono_literals;
using pact::testing::eventually;
using pact::testing::Infrastructure;
using pact::testing::ServiceProcess;

const std::string kOwnSections = R"(situation:
  suppress_below: 1
  push_interval: 200ms
  idle_push_interval: 1s
  snapshot_interval: 500ms
  console:
    listen: 127.0.0.1:0
    secure_cookie: false
  alerts:
    clear_after: 1s
    check_interval: 200ms
)";

class SituationIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    PACT_REQUIRE_INFRASTRUCTURE();
    platform_ = Infrastructure::instance().new_hub("situation");
    producer_ = std::make_unique<kafka::Producer>(platform_.kafka, "situation-test");
    process_ = std::make_unique<ServiceProcess>("services/situation/pact-situation", platform_, kOwnSections);
  }

  void TearDown() override {
    if (process_) process_->stop();
  }

  void publish(const google::protobuf::Message& envelope, std::string_view topic) {
    auto result = producer_->produce_and_wait(kafka::envelope_record(platform_.hub, topic, "test", envelope, ""));
    ASSERT_TRUE(result.stored());
  }
  void publish(const ev::CaseEvent& event) { publish(event, kafka::topic::kCase); }
  void publish(const ev::ScreeningEvent& event) { publish(event, kafka::topic::kScreening); }
  void publish(const ev::ReferralEvent& event) { publish(event, kafka::topic::kReferral); }

  void arrive(const Person& person, Assessment assessment = {}) {
    publish(registered(person, Clock::now()));
    publish(screened(person, Clock::now(), 1, assessment));
  }

  int console_port() const {
    return nlohmann::json::parse(std::ifstream(process_->dir() / "ready.json"))["console_port"].get<int>();
  }

  nlohmann::json situation_json(bool exercise = false) {
    httplib::Client client("127.0.0.1", console_port());
    auto response = client.Get(exercise ? "/api/situation?exercise=true" : "/api/situation");
    if (!response || response->status != 200) return {};
    return nlohmann::json::parse(response->body);
  }

  std::uint32_t cases_counted() {
    auto json = situation_json();
    return json.is_null() ? 0u : json["cases"]["total"]["value"].get<std::uint32_t>();
  }

  // The figures, without what changes with the clock or the path taken (as of, ages, revision).
  nlohmann::json figures() {
    auto json = situation_json();
    json.erase("asOf");
    json.erase("revision");
    json.erase("timeline");
    for (auto& item : json["overdue"]) item.erase("ageSeconds");
    for (auto& item : json["escalations"]) item.erase("ageSeconds");
    return json;
  }

  std::unique_ptr<v1::SituationService::Stub> stub() { return v1::SituationService::NewStub(process_->channel()); }

  static void as_duty_officer(grpc::ClientContext& context) {
    rpc::Caller caller;
    caller.subject = "duty-officer-1";
    caller.organisation = "rs-eoc";
    caller.roles = {"eoc_duty_officer"};
    caller.jurisdictions = {"RS"};
    rpc::attach_development_identity(context, caller);
  }

  config::PlatformConfig platform_;
  std::unique_ptr<kafka::Producer> producer_;
  std::unique_ptr<ServiceProcess> process_;
};

TEST_F(SituationIntegration, ServesThePictureOverHttpAndGrpcAndPushesEachChange) {
  for (int i = 0; i < 3; ++i) arrive(Person{.case_id = "c" + std::to_string(i)});
  process_->start();
  ASSERT_TRUE(eventually([&] { return cases_counted() == 3; })) << process_->log();

  // The live push: the first picture at once, then one with the new case.
  httplib::Client client("127.0.0.1", console_port());
  std::string received;
  std::atomic<bool> saw_four{false};
  std::thread reader([&] {
    client.Get("/api/situation/stream", [&](const char* data, std::size_t length) {
      received.append(data, length);
      if (received.find("\"total\":{\"value\":4") != std::string::npos) saw_four = true;
      return !saw_four;
    });
  });
  ASSERT_TRUE(eventually([&] { return received.find("event: situation\ndata: {") != std::string::npos; }, 20s));
  arrive(Person{.case_id = "c3"}, {.child = true});
  EXPECT_TRUE(eventually([&] { return saw_four.load(); }, 30s)) << received.substr(0, 300);
  client.stop();
  reader.join();

  // gRPC: the same picture, and a stream that follows a change.
  grpc::ClientContext get_context;
  as_duty_officer(get_context);
  v1::GetSituationRequest request;
  v1::Situation situation;
  ASSERT_TRUE(stub()->GetSituation(&get_context, request, &situation).ok());
  EXPECT_EQ(situation.cases().total().value(), 4u);
  EXPECT_EQ(situation.cases().children().value(), 1u);

  grpc::ClientContext watch_context;
  as_duty_officer(watch_context);
  auto watch_stub = stub();
  auto stream = watch_stub->WatchSituation(&watch_context, request);
  v1::Situation first;
  ASSERT_TRUE(stream->Read(&first));
  EXPECT_EQ(first.cases().total().value(), 4u);
  arrive(Person{.case_id = "c4"});
  v1::Situation next;
  bool saw_five = false;
  while (!saw_five && stream->Read(&next)) saw_five = next.cases().total().value() == 5u;
  EXPECT_TRUE(saw_five);
  watch_context.TryCancel();
  stream->Finish();

  // The page itself is served next to the API.
  auto page = httplib::Client("127.0.0.1", console_port()).Get("/");
  ASSERT_TRUE(page);
  if (std::filesystem::exists(std::string(PACT_CONSOLE_DIR) + "/index.html")) {
    EXPECT_EQ(page->status, 200);
    EXPECT_NE(page->body.find("<html"), std::string::npos);
    EXPECT_NE(page->get_header_value("Content-Security-Policy").find("default-src 'self'"), std::string::npos);
  }
}

TEST_F(SituationIntegration, RebuildsTheSameFiguresFromTheTopicsWhenTheSnapshotIsLost) {
  Person adult{.case_id = "a1", .emergency = "em-1"};
  Person child{.case_id = "k1", .jurisdiction = common::v1::JURISDICTION_MK, .site = "mk-tabanovce-tc", .age = 14};
  arrive(adult, {.level = screening::v1::LEVEL_COMBINATION_MET});
  arrive(child, {.child = true, .unaccompanied = true});
  Referral shelter{.referral_id = "r1", .person = &adult};
  publish(requested(shelter, Clock::now() - 10min, 1, 1min));  // long overdue
  publish(capacity(Provider{}, Clock::now(), 1, 4));
  process_->start();
  ASSERT_TRUE(eventually([&] {
    auto json = situation_json();
    return !json.is_null() && json["cases"]["total"]["value"] == 2 && json["overdue"].size() == 1 &&
           json["capacity"].size() == 1;
  })) << process_->log();
  const auto expected = figures();
  ASSERT_EQ(process_->stop(), 0);

  // With the snapshot: it resumes where it stopped.
  process_->start();
  EXPECT_TRUE(eventually([&] { return figures() == expected; }, 30s)) << figures().dump() << "\n" << expected.dump();
  EXPECT_NE(process_->log().find("resumes from its snapshot"), std::string::npos);
  ASSERT_EQ(process_->stop(), 0);

  // Without it: everything again from the topics, to the same figures.
  redis::RedisClient redis(platform_.redis);
  redis.command({"DEL", platform_.hub.redis_key({"situation", "snapshot"})});
  process_->start();
  EXPECT_TRUE(eventually([&] { return figures() == expected; }, 60s)) << figures().dump() << "\n" << expected.dump();
  EXPECT_NE(process_->log().find("rebuilds from the topics"), std::string::npos);
}

TEST_F(SituationIntegration, PublishesCapAlertsAndCancelsThemWhenTheSituationClears) {
  process_->start();
  Provider shelter;
  publish(capacity(shelter, Clock::now(), 1, 0));
  const std::string alert_topic = platform_.hub.topic(kafka::topic::kAlert);
  const int partitions = kafka::find_topic(kafka::topic::kAlert)->partitions;
  auto alerts = pact::testing::read_topic(platform_.kafka.bootstrap_servers, alert_topic, partitions, 1, 60s);
  ASSERT_EQ(alerts.size(), 1u) << process_->log();
  EXPECT_EQ(alerts[0].header("content-type"), "application/cap+xml");
  EXPECT_EQ(alerts[0].header("cap-msg-type"), "Alert");
  EXPECT_TRUE(check_cap_structure(alerts[0].value).empty());
  EXPECT_NE(alerts[0].value.find("<scope>Restricted</scope>"), std::string::npos);

  publish(capacity(shelter, Clock::now(), 2, 6));
  alerts = pact::testing::read_topic(platform_.kafka.bootstrap_servers, alert_topic, partitions, 2, 60s);
  ASSERT_EQ(alerts.size(), 2u) << process_->log();
  EXPECT_EQ(alerts[1].header("cap-msg-type"), "Cancel");
  EXPECT_TRUE(check_cap_structure(alerts[1].value).empty());
  EXPECT_NE(alerts[1].value.find("<references>"), std::string::npos);

  // The API lists it as cleared; the document is there too.
  httplib::Client client("127.0.0.1", console_port());
  auto listed = client.Get("/api/alerts?include_cleared=true");
  ASSERT_TRUE(listed);
  auto json = nlohmann::json::parse(listed->body);
  ASSERT_EQ(json["alerts"].size(), 1u);
  EXPECT_EQ(json["alerts"][0]["msgType"], "Cancel");
  auto xml = client.Get("/api/alerts/" + json["alerts"][0]["identifier"].get<std::string>() + ".xml");
  ASSERT_TRUE(xml);
  EXPECT_EQ(xml->status, 200);
  EXPECT_EQ(xml->body, alerts[1].value);
}

}  // namespace
}  // namespace pact::situation
