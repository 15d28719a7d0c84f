#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "redis/lua_script.h"
#include "redis/redis_value.h"

struct redisContext;

namespace pact::redis {

struct RedisEndpoint {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string username;  // ACL user; empty means the default user
  std::string password;  // empty means no AUTH
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds command_timeout{2000};
};

using Command = std::vector<std::string>;

// One connection to Redis, safe to share between threads (calls are serialised). A broken
// connection is dropped and the next call reconnects, so a Redis restart costs one failed call.
class RedisClient {
 public:
  explicit RedisClient(RedisEndpoint endpoint);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // Runs one command. Throws RedisUnavailable on I/O failure, RedisCommandError on an error reply.
  RedisValue command(const Command& command);
  // Sends all commands in one round trip; error replies are returned in place, not thrown.
  std::vector<RedisValue> pipeline(const std::vector<Command>& commands);
  // EVALSHA with NOSCRIPT recovery. Throws like command().
  RedisValue eval(const LuaScript& script, const std::vector<std::string>& keys,
                  const std::vector<std::string>& args);

  // The same script for many key/argument sets in one round trip (EVALSHA pipelined, reloading the
  // script on NOSCRIPT). Error replies are returned in place.
  struct ScriptCall {
    std::vector<std::string> keys;
    std::vector<std::string> args;
  };
  std::vector<RedisValue> eval_many(const LuaScript& script, const std::vector<ScriptCall>& calls);

  const RedisEndpoint& endpoint() const { return endpoint_; }

 private:
  void ensure_connected();
  void drop_connection();
  RedisValue round_trip(const Command& command);
  std::string load_script(const LuaScript& script);
  std::vector<RedisValue> send_pipeline(const std::vector<Command>& commands);

  RedisEndpoint endpoint_;
  std::mutex mutex_;
  redisContext* context_ = nullptr;
};

}  // namespace pact::redis
