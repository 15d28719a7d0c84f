#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <set>
#include <thread>

#include "intake_fixture.h"
#include "rpc/status.h"
#include "support/kafka_control.h"
#include "support/private_redis.h"

namespace pact::intake::testing {
namespace {

using pact::testing::PrivateRedis;
using pact::testing::can_restart_broker;
using pact::testing::control_broker;


std::set<std::string> distinct_event_ids(const std::vector<CaseEventRecord>& events, const std::string& case_id) {
  std::set<std::string> ids;
  for (const auto& e : events) {
    if (e.event.case_id() == case_id) ids.insert(e.event.event_id());
  }
  return ids;
}

// Kafka down: the registration is refused within seconds with UNAVAILABLE and RetryInfo, never
// acknowledged without its event; the client's retry with the same key after the broker is back
// completes it, with one case and one event id.
TEST(IntakeFaults, BrokerDownGivesUnavailableAndTheRetryCompletesTheRegistration) {
  PACT_REQUIRE_INFRASTRUCTURE();
  if (!can_restart_broker()) {
    GTEST_SKIP() << "needs the real broker started by deploy/test-all.sh (the mock cluster cannot restart)";
  }
  config::PlatformConfig platform = Infrastructure::instance().new_hub("intake-broker-down");
  platform.kafka.message_timeout = std::chrono::seconds(3);  // how fast a dead broker is noticed
  IntakeProcess intake(platform);
  const v1::RegisterEncounterRequest request = sample_registration("down-1");

  ASSERT_TRUE(control_broker("stop"));
  auto started = std::chrono::steady_clock::now();
  v1::RegisterEncounterResponse refused;
  grpc::Status status = intake.stub().RegisterEncounter(context_for(frontline_worker()).get(), request, &refused);
  auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  ASSERT_TRUE(control_broker("start"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_TRUE(rpc::retry_delay(status).has_value()) << "RetryInfo tells the client when to come back";
  std::cout << "[ figures  ] registration refused after " << waited.count() << " ms with Kafka down\n";

  v1::RegisterEncounterResponse completed;
  ASSERT_TRUE(eventually([&] {
    completed.Clear();
    return intake.stub().RegisterEncounter(context_for(frontline_worker()).get(), request, &completed).ok();
  }, std::chrono::seconds(90)));
  EXPECT_FALSE(completed.case_id().empty());
  auto events = case_events(platform, 1, std::chrono::seconds(10));
  EXPECT_EQ(distinct_event_ids(events, completed.case_id()).size(), 1u);
}

// Redis down: UNAVAILABLE with RetryInfo; the retry after Redis is back registers the case once.
TEST(IntakeFaults, RedisDownGivesUnavailableAndTheRetryCompletesTheRegistration) {
  PACT_REQUIRE_INFRASTRUCTURE();
  PrivateRedis private_redis("intake-redis-down");
  config::PlatformConfig platform = Infrastructure::instance().new_hub("intake-redis-down");
  platform.redis.host = "127.0.0.1";
  platform.redis.port = private_redis.port();
  IntakeProcess intake(platform);
  const v1::RegisterEncounterRequest request = sample_registration("redis-down-1");
  private_redis.stop();
  v1::RegisterEncounterResponse refused;
  grpc::Status status = intake.stub().RegisterEncounter(context_for(frontline_worker()).get(), request, &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_TRUE(rpc::retry_delay(status).has_value());
  private_redis.start();
  v1::RegisterEncounterResponse completed;
  ASSERT_TRUE(eventually([&] {
    completed.Clear();
    return intake.stub().RegisterEncounter(context_for(frontline_worker()).get(), request, &completed).ok();
  }, std::chrono::seconds(30)));
  EXPECT_EQ(distinct_event_ids(case_events(platform, 1), completed.case_id()).size(), 1u);
}

// intake killed with SIGKILL mid-load: every registration acknowledged to a client has its event
// and its case after the restart; the clients' retries of the rest complete them, each once.
TEST(IntakeFaults, SigkillMidLoadLosesNoAcknowledgedRegistration) {
  PACT_REQUIRE_INFRASTRUCTURE();
  config::PlatformConfig platform = Infrastructure::instance().new_hub("intake-sigkill");
  IntakeProcess intake(platform);
  constexpr int kClients = 8;
  constexpr int kPerClient = 400;
  std::mutex mutex;
  std::map<std::string, std::string> acknowledged;  // idempotency key -> case id
  std::atomic<bool> killed{false};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      auto stub = v1::IntakeService::NewStub(grpc::CreateChannel(
          "127.0.0.1:" + std::to_string(nlohmann::json::parse(std::ifstream(intake.dir() / "ready.json"))["grpc_port"].get<int>()),
          grpc::InsecureChannelCredentials()));
      for (int i = 0; i < kPerClient && !killed; ++i) {
        const std::string key = "kill-" + std::to_string(c) + "-" + std::to_string(i);
        v1::RegisterEncounterResponse response;
        if (stub->RegisterEncounter(context_for(frontline_worker()).get(), sample_registration(key), &response).ok()) {
          std::lock_guard lock(mutex);
          acknowledged[key] = response.case_id();
        }
      }
    });
  }
  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(mutex);
    return acknowledged.size() >= 200;
  }, std::chrono::seconds(120)));
  intake.process().signal(SIGKILL);
  killed = true;
  intake.process().wait(std::chrono::seconds(10));
  for (auto& client : clients) client.join();
  std::map<std::string, std::string> acknowledged_before_kill = acknowledged;
  ASSERT_LT(acknowledged_before_kill.size(), static_cast<size_t>(kClients * kPerClient)) << "killed mid-load";

  intake.start();
  for (const auto& [key, case_id] : acknowledged_before_kill) {
    v1::GetCaseRequest get;
    get.set_case_id(case_id);
    get.set_purpose(common::v1::ACCESS_PURPOSE_CASE_MANAGEMENT);
    v1::GetCaseResponse read;
    ASSERT_TRUE(intake.stub().GetCase(context_for(frontline_worker()).get(), get, &read).ok()) << key;
  }
  // More events than acknowledgements may exist (stored, then killed before answering): read all.
  auto events = case_events(platform, kClients * kPerClient, std::chrono::seconds(10));
  std::set<std::string> cases_with_events;
  for (const auto& e : events) cases_with_events.insert(e.event.case_id());
  for (const auto& [key, case_id] : acknowledged_before_kill) {
    EXPECT_TRUE(cases_with_events.count(case_id)) << "acknowledged " << key << " has no event";
  }
  std::cout << "[ figures  ] " << acknowledged_before_kill.size() << " registrations acknowledged before SIGKILL, "
            << events.size() << " case events on the topic\n";
}

}  // namespace
}  // namespace pact::intake::testing
