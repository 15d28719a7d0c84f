#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "kafka/consumer.h"
#include "kafka/producer.h"
#include "kafka/topics.h"
#include "support/append_handler.h"
#include "support/infrastructure.h"
#include "support/private_redis.h"
#include "support/records.h"

namespace pact::testing {
namespace {

// Redis restarted from an older copy of its AOF has lost the effects of the last records *and* the
// consumer positions after them. The consumer notices that Redis no longer holds its position,
// rewinds to what Redis remembers and re-applies exactly the lost records: none missing, none twice.
TEST(RedisRewind, RestartFromAnOlderAofReappliesExactlyTheLostRecords) {
  PACT_REQUIRE_INFRASTRUCTURE();
  PrivateRedis private_redis("rewind");
  config::PlatformConfig platform = Infrastructure::instance().new_hub("rewind");
  platform.redis.port = private_redis.port();
  platform.redis.host = "127.0.0.1";
  redis::RedisClient redis(platform.redis);
  kafka::Producer producer(platform.kafka, "rewind-producer");
  AppendHandler handler(platform.hub.redis_key({"applied"}));
  kafka::Consumer consumer(platform, {.group = "rewind", .topics = {std::string(kafka::topic::kCase)},
                                      .max_retry_delay = std::chrono::milliseconds(200),
                                      .position_check_interval = std::chrono::milliseconds(200)},
                           redis, producer, handler);
  std::thread consuming([&] { consumer.run(); });
  auto count = [&]() -> long long {
    try {
      return redis.command({"LLEN", platform.hub.redis_key({"applied"})}).as_integer();
    } catch (const redis::RedisUnavailable&) {
      return -1;
    }
  };
  auto produce_range = [&](int from, int to) {
    for (int i = from; i < to; ++i) {
      std::string case_id = "case-" + std::to_string(i % 24);
      ASSERT_TRUE(producer.produce_and_wait(case_record(platform, case_id, static_cast<std::uint64_t>(i / 24 + 1),
                                                        "r" + std::to_string(i))).stored());
    }
  };

  produce_range(0, 120);
  ASSERT_TRUE(eventually([&] { return count() == 120; }));
  const std::filesystem::path snapshot = private_redis.state() / "aof-snapshot";
  private_redis.save_aof(snapshot);  // appendfsync always: the copy holds all 120 effects and positions

  produce_range(120, 200);
  ASSERT_TRUE(eventually([&] { return count() == 200; }));
  const auto rewinds_before = consumer.stats().rewinds.load();

  {
    // What the restored Redis will hold, seen in a copy no consumer knows: the consumer below
    // starts re-applying within milliseconds of the restart, sooner than a test can look.
    PrivateRedis copy("rewind-copy");
    copy.stop();
    copy.restore_aof(snapshot);
    copy.start();
    redis::RedisEndpoint copy_address = platform.redis;
    copy_address.port = copy.port();
    redis::RedisClient copy_client(copy_address);
    EXPECT_EQ(copy_client.command({"LLEN", platform.hub.redis_key({"applied"})}).as_integer(), 120)
        << "the restored Redis has lost the last 80 effects";
  }
  private_redis.stop();
  private_redis.restore_aof(snapshot);
  private_redis.start();

  ASSERT_TRUE(eventually([&] { return count() == 200; })) << "lost records re-applied";
  produce_range(200, 230);
  ASSERT_TRUE(eventually([&] { return count() == 230; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  consumer.stop();
  consuming.join();

  EXPECT_GT(consumer.stats().rewinds.load(), rewinds_before);
  std::multiset<std::string> applied;
  for (const auto& item : redis.command({"LRANGE", platform.hub.redis_key({"applied"}), "0", "-1"}).elements) {
    applied.insert(item.text);
  }
  ASSERT_EQ(applied.size(), 230u);
  for (int i = 0; i < 230; ++i) EXPECT_EQ(applied.count("r" + std::to_string(i)), 1u) << "r" << i;
}

}  // namespace
}  // namespace pact::testing
