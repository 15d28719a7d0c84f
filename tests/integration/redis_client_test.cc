#include "redis/redis_client.h"

#include <gtest/gtest.h>

#include "support/infrastructure.h"

namespace pact::testing {
namespace {

class RedisClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PACT_REQUIRE_INFRASTRUCTURE();
    client_ = std::make_unique<redis::RedisClient>(Infrastructure::instance().redis_endpoint());
    key_ = "t-redis-client:" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  }
  std::unique_ptr<redis::RedisClient> client_;
  std::string key_;
};

TEST_F(RedisClientTest, PipelineSendsEverythingInOneRoundTripAndKeepsErrorsInPlace) {
  auto replies = client_->pipeline({{"SET", key_, "1"}, {"INCR", key_}, {"HGET", key_, "field"}, {"GET", key_}});
  ASSERT_EQ(replies.size(), 4u);
  EXPECT_EQ(replies[0].text, "OK");
  EXPECT_EQ(replies[1].integer, 2);
  EXPECT_TRUE(replies[2].is_error()) << "WRONGTYPE stays a value in a pipeline";
  EXPECT_EQ(replies[3].as_text(), "2");
}

TEST_F(RedisClientTest, ErrorRepliesAreThrownFromSingleCommands) {
  client_->command({"SET", key_, "text"});
  EXPECT_THROW(client_->command({"INCR", key_}), redis::RedisCommandError);
}

TEST_F(RedisClientTest, ScriptsAreReloadedAfterNoscript) {
  redis::LuaScript script("return redis.call('INCRBY', KEYS[1], ARGV[1])");
  EXPECT_EQ(client_->eval(script, {key_}, {"5"}).integer, 5);
  client_->command({"SCRIPT", "FLUSH"});  // as after a Redis restart
  EXPECT_EQ(client_->eval(script, {key_}, {"5"}).integer, 10);
}

TEST_F(RedisClientTest, ABrokenConnectionCostsOneFailedCallThenReconnects) {
  client_->command({"CLIENT", "SETNAME", "to-be-killed"});
  redis::RedisClient other(Infrastructure::instance().redis_endpoint());
  other.command({"CLIENT", "KILL", "SKIPME", "yes", "TYPE", "normal"});
  EXPECT_THROW(client_->command({"PING"}), redis::RedisUnavailable);
  EXPECT_EQ(client_->command({"PING"}).text, "PONG");
}

TEST_F(RedisClientTest, AnUnreachableServerIsUnavailableWithinTheConnectTimeout) {
  redis::RedisEndpoint nowhere;
  nowhere.port = 9;  // discard port: nothing listens
  nowhere.connect_timeout = std::chrono::milliseconds(200);
  redis::RedisClient client(nowhere);
  EXPECT_THROW(client.command({"PING"}), redis::RedisUnavailable);
}

}  // namespace
}  // namespace pact::testing
