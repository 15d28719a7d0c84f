#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <thread>

#include "kafka/consumer.h"
#include "kafka/producer.h"
#include "kafka/topics.h"
#include "support/append_handler.h"
#include "support/infrastructure.h"
#include "support/kafka_control.h"
#include "support/records.h"

namespace pact::testing {
namespace {



// The broker goes away and comes back on the same port: a produce while it is down fails within
// the message timeout (so intake can answer UNAVAILABLE in seconds), and afterwards producing and
// consuming go on with nothing lost and nothing applied twice.
TEST(BrokerRestart, ProducerNoticesWithinTheTimeoutAndEverythingResumes) {
  PACT_REQUIRE_INFRASTRUCTURE();
  if (!can_restart_broker()) {
    GTEST_SKIP() << "needs the real broker started by deploy/test-all.sh (the mock cluster cannot restart)";
  }
  config::PlatformConfig platform = Infrastructure::instance().new_hub("broker-restart");
  platform.kafka.message_timeout = std::chrono::seconds(3);
  redis::RedisClient redis(platform.redis);
  kafka::Producer producer(platform.kafka, "restart-producer");
  AppendHandler handler(platform.hub.redis_key({"applied"}));
  kafka::Consumer consumer(platform, {.group = "restart", .topics = {std::string(kafka::topic::kCase)}}, redis,
                           producer, handler);
  std::thread consuming([&] { consumer.run(); });
  auto count = [&] { return redis.command({"LLEN", platform.hub.redis_key({"applied"})}).as_integer(); };

  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(producer.produce_and_wait(case_record(platform, "case-" + std::to_string(i % 4),
                                                      static_cast<std::uint64_t>(i / 4 + 1), "before-" + std::to_string(i)))
                    .stored());
  }
  ASSERT_TRUE(eventually([&] { return count() == 20; }));

  ASSERT_TRUE(control_broker("stop"));
  kafka::DeliveryResult while_down =
      producer.produce_and_wait(case_record(platform, "case-down", 1, "while-down"));
  EXPECT_EQ(while_down.status, kafka::DeliveryStatus::timed_out) << while_down.error;
  ASSERT_TRUE(control_broker("start"));

  // The caller's retry after the outage: same case, same sequence.
  kafka::DeliveryResult retried;
  ASSERT_TRUE(eventually([&] {
    retried = producer.produce_and_wait(case_record(platform, "case-down", 1, "while-down"));
    return retried.stored();
  }, std::chrono::seconds(60))) << retried.error;
  for (int i = 20; i < 40; ++i) {
    ASSERT_TRUE(producer.produce_and_wait(case_record(platform, "case-" + std::to_string(i % 4),
                                                      static_cast<std::uint64_t>(i / 4 + 1), "after-" + std::to_string(i)))
                    .stored());
  }
  ASSERT_TRUE(eventually([&] { return count() == 41; }, std::chrono::seconds(90))) << "applied " << count();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  consumer.stop();
  consuming.join();
  std::multiset<std::string> applied;
  for (const auto& item : redis.command({"LRANGE", platform.hub.redis_key({"applied"}), "0", "-1"}).elements) {
    applied.insert(item.text);
  }
  EXPECT_EQ(applied.size(), 41u);
  EXPECT_EQ(applied.count("while-down"), 1u);
}

}  // namespace
}  // namespace pact::testing
