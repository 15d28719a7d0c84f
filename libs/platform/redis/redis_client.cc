#include "redis/redis_client.h"

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include <cstring>

namespace pact::redis {
namespace {

timeval to_timeval(std::chrono::milliseconds duration) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(duration.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((duration.count() % 1000) * 1000);
  return tv;
}

RedisValue convert(const redisReply* reply) {
  RedisValue value;
  switch (reply->type) {
    case REDIS_REPLY_STRING:
      value.kind = RedisValue::Kind::string;
      value.text.assign(reply->str, reply->len);
      break;
    case REDIS_REPLY_STATUS:
      value.kind = RedisValue::Kind::status;
      value.text.assign(reply->str, reply->len);
      break;
    case REDIS_REPLY_ERROR:
      value.kind = RedisValue::Kind::error;
      value.text.assign(reply->str, reply->len);
      break;
    case REDIS_REPLY_INTEGER:
      value.kind = RedisValue::Kind::integer;
      value.integer = reply->integer;
      break;
    case REDIS_REPLY_ARRAY:
      value.kind = RedisValue::Kind::array;
      value.elements.reserve(reply->elements);
      for (size_t i = 0; i < reply->elements; ++i) value.elements.push_back(convert(reply->element[i]));
      break;
    default:
      value.kind = RedisValue::Kind::nil;
  }
  return value;
}

struct ArgvView {
  std::vector<const char*> pointers;
  std::vector<size_t> lengths;
  explicit ArgvView(const Command& command) {
    pointers.reserve(command.size());
    lengths.reserve(command.size());
    for (const auto& part : command) {
      pointers.push_back(part.data());
      lengths.push_back(part.size());
    }
  }
};

std::string describe_failure(const redisContext* context) {
  if (context == nullptr) return "no connection";
  return context->errstr[0] != '\0' ? std::string(context->errstr) : "connection failed";
}

// Replies that mean "Redis cannot serve right now" (loading its AOF after a restart, busy with a
// script, a replica without its primary ...), not "this command is wrong": callers retry them.
bool is_temporary_refusal(const std::string& error) {
  for (const char* prefix : {"LOADING", "BUSY", "MASTERDOWN", "READONLY", "MISCONF", "TRYAGAIN", "CLUSTERDOWN"}) {
    if (error.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

void throw_if_error(const RedisValue& value, const std::string& what) {
  if (!value.is_error()) return;
  if (is_temporary_refusal(value.text)) throw RedisUnavailable("redis " + what + ": " + value.text);
  throw RedisCommandError("redis " + what + ": " + value.text);
}

}  // namespace

RedisClient::RedisClient(RedisEndpoint endpoint) : endpoint_(std::move(endpoint)) {}

RedisClient::~RedisClient() { drop_connection(); }

void RedisClient::drop_connection() {
  if (context_ != nullptr) {
    redisFree(context_);
    context_ = nullptr;
  }
}

void RedisClient::ensure_connected() {
  if (context_ != nullptr) return;
  redisContext* context =
      redisConnectWithTimeout(endpoint_.host.c_str(), endpoint_.port, to_timeval(endpoint_.connect_timeout));
  if (context == nullptr || context->err != 0) {
    std::string reason = describe_failure(context);
    if (context != nullptr) redisFree(context);
    throw RedisUnavailable("redis " + endpoint_.host + ":" + std::to_string(endpoint_.port) + ": " + reason);
  }
  redisSetTimeout(context, to_timeval(endpoint_.command_timeout));
  redisEnableKeepAlive(context);
  context_ = context;
  if (!endpoint_.password.empty()) {
    Command auth = endpoint_.username.empty() ? Command{"AUTH", endpoint_.password}
                                              : Command{"AUTH", endpoint_.username, endpoint_.password};
    RedisValue reply = round_trip(auth);
    if (reply.is_error()) {
      drop_connection();
      throw RedisUnavailable("redis AUTH refused: " + reply.text);
    }
  }
}

RedisValue RedisClient::round_trip(const Command& command) {
  ArgvView argv(command);
  auto* reply = static_cast<redisReply*>(redisCommandArgv(context_, static_cast<int>(command.size()),
                                                          argv.pointers.data(), argv.lengths.data()));
  if (reply == nullptr) {
    std::string reason = describe_failure(context_);
    drop_connection();
    throw RedisUnavailable("redis: " + reason);
  }
  RedisValue value = convert(reply);
  freeReplyObject(reply);
  return value;
}

RedisValue RedisClient::command(const Command& command) {
  std::lock_guard lock(mutex_);
  ensure_connected();
  RedisValue value = round_trip(command);
  throw_if_error(value, command.front());
  return value;
}

std::vector<RedisValue> RedisClient::pipeline(const std::vector<Command>& commands) {
  std::lock_guard lock(mutex_);
  ensure_connected();
  return send_pipeline(commands);
}

std::vector<RedisValue> RedisClient::send_pipeline(const std::vector<Command>& commands) {
  for (const auto& command : commands) {
    ArgvView argv(command);
    if (redisAppendCommandArgv(context_, static_cast<int>(command.size()), argv.pointers.data(),
                               argv.lengths.data()) != REDIS_OK) {
      drop_connection();
      throw RedisUnavailable("redis: could not queue pipelined command");
    }
  }
  std::vector<RedisValue> replies;
  replies.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(context_, &raw) != REDIS_OK || raw == nullptr) {
      std::string reason = describe_failure(context_);
      drop_connection();
      throw RedisUnavailable("redis: " + reason);
    }
    replies.push_back(convert(static_cast<redisReply*>(raw)));
    freeReplyObject(raw);
  }
  return replies;
}

std::string RedisClient::load_script(const LuaScript& script) {
  RedisValue loaded = round_trip({"SCRIPT", "LOAD", script.source()});
  throw_if_error(loaded, "SCRIPT LOAD");
  script.remember_sha(loaded.text);
  return loaded.text;
}

std::vector<RedisValue> RedisClient::eval_many(const LuaScript& script, const std::vector<ScriptCall>& calls) {
  std::lock_guard lock(mutex_);
  ensure_connected();
  std::string sha = script.sha();
  if (sha.empty()) sha = load_script(script);
  auto commands_for = [&](const std::string& digest) {
    std::vector<Command> commands;
    commands.reserve(calls.size());
    for (const auto& call : calls) {
      Command command{"EVALSHA", digest, std::to_string(call.keys.size())};
      command.insert(command.end(), call.keys.begin(), call.keys.end());
      command.insert(command.end(), call.args.begin(), call.args.end());
      commands.push_back(std::move(command));
    }
    return commands;
  };
  std::vector<RedisValue> replies = send_pipeline(commands_for(sha));
  // NOSCRIPT means none of them ran (the script cache is per server): load and send them again.
  if (!replies.empty() && replies.front().is_error() && replies.front().text.rfind("NOSCRIPT", 0) == 0) {
    replies = send_pipeline(commands_for(load_script(script)));
  }
  return replies;
}

RedisValue RedisClient::eval(const LuaScript& script, const std::vector<std::string>& keys,
                             const std::vector<std::string>& args) {
  std::lock_guard lock(mutex_);
  ensure_connected();
  auto load = [&] { return load_script(script); };
  std::string sha = script.sha();
  if (sha.empty()) sha = load();
  auto evalsha = [&](const std::string& digest) {
    Command command{"EVALSHA", digest, std::to_string(keys.size())};
    command.insert(command.end(), keys.begin(), keys.end());
    command.insert(command.end(), args.begin(), args.end());
    return round_trip(command);
  };
  RedisValue value = evalsha(sha);
  if (value.is_error() && value.text.rfind("NOSCRIPT", 0) == 0) value = evalsha(load());
  throw_if_error(value, "script");
  return value;
}

}  // namespace pact::redis
