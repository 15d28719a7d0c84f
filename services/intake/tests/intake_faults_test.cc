#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <cstdlib>
#include <limits>
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

// The state a crash leaves between "Kafka stored the event, the client was told" and "the
// confirmation was written": the case still reads as registered, and the journal announces it
// again (same event id) and confirms it without anyone touching the case.
TEST(IntakeFaults, ARegistrationWhoseConfirmationWasLostReadsAsRegisteredAndIsConfirmed) {
  PACT_REQUIRE_INFRASTRUCTURE();
  config::PlatformConfig platform = Infrastructure::instance().new_hub("intake-lost-confirmation");
  IntakeProcess intake(platform);
  v1::RegisterEncounterResponse registered;
  ASSERT_TRUE(intake.stub()
                  .RegisterEncounter(context_for(frontline_worker()).get(), sample_registration("lost-1"), &registered)
                  .ok());
  auto events = case_events(platform, 1);
  ASSERT_EQ(events.size(), 1u);
  redis::RedisClient redis(platform.redis);
  const std::string case_key = platform.hub.redis_key({"intake", "case", registered.case_id()});
  const std::string staged_index = platform.hub.redis_key({"intake", "staged"});
  ASSERT_TRUE(eventually([&] { return redis.command({"HGET", case_key, "state"}).text == "registered"; }));
  redis.command({"HSET", case_key, "state", "reserved", "pending", events[0].event.SerializeAsString()});
  redis.command({"ZADD", staged_index, "1", registered.case_id()});
  // Ahead of it in the index, an event that can never be published (unreadable): it must not hold
  // up the ones behind it.
  const std::string broken_key = platform.hub.redis_key({"intake", "case", "case-broken"});
  redis.command({"HSET", broken_key, "state", "registered", "sequence", "1", "pending", "not a case event"});
  redis.command({"ZADD", staged_index, "0", "case-broken"});

  v1::GetCaseRequest get;
  get.set_case_id(registered.case_id());
  get.set_purpose(common::v1::ACCESS_PURPOSE_CASE_MANAGEMENT);
  v1::GetCaseResponse read;
  grpc::Status status = intake.stub().GetCase(context_for(frontline_worker()).get(), get, &read);
  ASSERT_TRUE(status.ok()) << status.error_code() << " " << status.error_message();
  EXPECT_EQ(read.case_record().summary().case_id(), registered.case_id());

  ASSERT_TRUE(eventually([&] { return redis.command({"ZSCORE", staged_index, registered.case_id()}).is_nil(); },
                         std::chrono::seconds(20)));
  EXPECT_EQ(redis.command({"ZCARD", staged_index}).as_integer(), 1) << "only the unreadable one is left";
  EXPECT_EQ(redis.command({"HGET", case_key, "state"}).text, "registered");
  EXPECT_EQ(redis.command({"HEXISTS", case_key, "pending"}).as_integer(), 0);
  auto announced = case_events(platform, 2);
  EXPECT_EQ(announced.size(), 2u) << "announced again";
  EXPECT_EQ(distinct_event_ids(announced, registered.case_id()).size(), 1u) << "with the same event id";
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
    // The kill usually leaves some acknowledged registrations with their confirmation unwritten:
    // they must read as registered all the same.
    grpc::Status status = intake.stub().GetCase(context_for(frontline_worker()).get(), get, &read);
    ASSERT_TRUE(status.ok()) << key << ": " << status.error_code() << " " << status.error_message();
  }
  // Every staged registration is announced after the restart, acknowledged or not (the kill may
  // have come between staging and publishing): the staged index empties by itself.
  redis::RedisClient redis(platform.redis);
  const std::string staged_index = platform.hub.redis_key({"intake", "staged"});
  ASSERT_TRUE(eventually([&] { return redis.command({"ZCARD", staged_index}).as_integer() == 0; },
                         std::chrono::seconds(30)))
      << redis.command({"ZCARD", staged_index}).as_integer() << " staged events were never published";
  std::set<std::string> staged_cases;
  for (const auto& listed : redis.command({"ZRANGE", platform.hub.redis_key({"intake", "cases"}), "0", "-1"}).elements) {
    auto summary = redis.command({"HGET", platform.hub.redis_key({"intake", "case", listed.text}), "summary"});
    if (summary.as_text().value_or("") != "") staged_cases.insert(listed.text);
  }
  // All are on the topic once the index is empty; some more than once (published, then killed
  // before the confirmation), so read for a while rather than up to a count.
  auto events = case_events(platform, std::numeric_limits<std::size_t>::max(), std::chrono::seconds(10));
  std::set<std::string> cases_with_events;
  for (const auto& e : events) cases_with_events.insert(e.event.case_id());
  for (const auto& [key, case_id] : acknowledged_before_kill) {
    EXPECT_TRUE(cases_with_events.count(case_id)) << "acknowledged " << key << " has no event";
  }
  for (const auto& case_id : staged_cases) {
    EXPECT_TRUE(cases_with_events.count(case_id)) << "staged case " << case_id << " has no event";
  }
  std::cout << "[ figures  ] " << acknowledged_before_kill.size() << " registrations acknowledged before SIGKILL, "
            << staged_cases.size() << " staged, " << events.size() << " case events on the topic\n";
}

}  // namespace
}  // namespace pact::intake::testing
