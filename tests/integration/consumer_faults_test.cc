#include <gtest/gtest.h>

#include <thread>

#include "kafka/consumer.h"
#include "kafka/producer.h"
#include "kafka/topics.h"
#include "redis/redis_client.h"
#include "support/infrastructure.h"
#include "support/private_redis.h"
#include "support/records.h"
#include "support/topic_reader.h"

namespace pact::testing {
namespace {

// Takes Redis away at the worst moment: after the record was judged poison (so it is about to be
// dead-lettered) and before its position is stored.
class PoisonThenRedisOutage : public kafka::RecordHandler {
 public:
  PoisonThenRedisOutage(PrivateRedis& redis, std::string list_key) : redis_(redis), list_key_(std::move(list_key)) {}
  void handle(const kafka::ConsumedRecord& record, kafka::WriteBatch& effects) override {
    if (record.value == "poison") {
      redis_.stop();
      restarter_ = std::thread([this] {
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        redis_.start();
      });
      throw kafka::PoisonRecord("cannot be decoded");
    }
    effects.add({"RPUSH", list_key_, record.value});
  }
  ~PoisonThenRedisOutage() override {
    if (restarter_.joinable()) restarter_.join();
  }

 private:
  PrivateRedis& redis_;
  std::string list_key_;
  std::thread restarter_;
};

// Before the fix, the Redis error thrown while storing a dead-lettered record's position escaped
// the consumer (std::terminate); now the consumer waits for Redis and goes on.
TEST(ConsumerFaults, RedisOutageWhileSettlingADeadLetterIsRiddenOut) {
  PACT_REQUIRE_INFRASTRUCTURE();
  PrivateRedis private_redis("poison-outage");
  config::PlatformConfig platform = Infrastructure::instance().new_hub("poison-outage");
  platform.redis.host = "127.0.0.1";
  platform.redis.port = private_redis.port();
  redis::RedisClient redis(platform.redis);
  kafka::Producer producer(platform.kafka, "fault-producer");
  const std::string list_key = platform.hub.redis_key({"applied"});
  PoisonThenRedisOutage handler(private_redis, list_key);
  kafka::Consumer consumer(platform, {.group = "faults", .topics = {std::string(kafka::topic::kCase)},
                                      .max_retry_delay = std::chrono::milliseconds(200)},
                           redis, producer, handler);
  ASSERT_TRUE(producer.produce_and_wait(case_record(platform, "case-f", 1, "before")).stored());
  ASSERT_TRUE(producer.produce_and_wait(case_record(platform, "case-f", 2, "poison")).stored());
  ASSERT_TRUE(producer.produce_and_wait(case_record(platform, "case-f", 3, "after")).stored());
  std::thread consuming([&] { consumer.run(); });
  auto applied = [&]() -> long long {
    try {
      return redis.command({"LLEN", list_key}).as_integer();
    } catch (const redis::RedisUnavailable&) {
      return -1;
    }
  };
  EXPECT_TRUE(eventually([&] { return applied() == 2; }));
  consumer.stop();
  consuming.join();
  EXPECT_EQ(consumer.stats().dead_lettered.load(), 1u) << "dead-lettered once, not once per retry";
  auto dead = read_topic(platform.kafka.bootstrap_servers, platform.hub.topic(kafka::topic::kDeadLetter),
                         kafka::find_topic(kafka::topic::kDeadLetter)->partitions, 2, std::chrono::seconds(5));
  EXPECT_EQ(dead.size(), 1u);
}

// Redis answering BUSY/LOADING is an outage to wait out, not a broken command: before the fix it
// counted as a handler failure and valid records were dead-lettered while Redis loaded its AOF.
TEST(RedisClientFaults, BusyRepliesAreUnavailableNotCommandErrors) {
  PACT_REQUIRE_INFRASTRUCTURE();
  PrivateRedis private_redis("busy");
  redis::RedisEndpoint endpoint;
  endpoint.port = private_redis.port();
  endpoint.command_timeout = std::chrono::seconds(10);
  redis::RedisClient admin(endpoint);
  admin.command({"CONFIG", "SET", "busy-reply-threshold", "100"});
  std::thread long_script([endpoint] {
    redis::RedisClient runner(endpoint);
    try {
      runner.command({"EVAL", "local t = redis.call('TIME'); local s = tonumber(t[1]); "
                               "while tonumber(redis.call('TIME')[1]) < s + 2 do end return 1", "0"});
    } catch (const std::exception&) {
      // Only its side effect (a busy server) matters here.
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  redis::RedisClient caller(endpoint);
  EXPECT_THROW(caller.command({"GET", "anything"}), redis::RedisUnavailable);
  long_script.join();
  EXPECT_NO_THROW(caller.command({"GET", "anything"}));
}

}  // namespace
}  // namespace pact::testing
