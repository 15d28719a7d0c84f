#include "delivery_store.h"

#include <algorithm>

#include <google/protobuf/util/time_util.h>

#include "redis/lua_script.h"

namespace pact::notification {
namespace {

using google::protobuf::util::TimeUtil;

std::int64_t unix_ms(Clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}
std::string ms_text(Clock::time_point time) { return std::to_string(unix_ms(time)); }
std::string status_text(v1::DeliveryStatus status) { return std::to_string(static_cast<int>(status)); }

// The status numbers the scripts compare against (DeliveryStatus values).
static_assert(v1::DELIVERY_STATUS_PENDING == 1 && v1::DELIVERY_STATUS_RETRYING == 3 &&
              v1::DELIVERY_STATUS_ACKNOWLEDGED == 5 && v1::DELIVERY_STATUS_CANCELLED == 7);

// ARGV: prefix, id, record, status, due ms ('' when not queued), endpoint, created ms, referral id,
//       case id, content, n events, event*.
const redis::LuaScript kCreate(R"lua(
local p, id = ARGV[1], ARGV[2]
local d = p .. 'd:' .. id
if redis.call('EXISTS', d) == 1 then return 0 end
redis.call('HSET', d, 'record', ARGV[3], 'content', ARGV[10], 'status', ARGV[4], 'endpoint', ARGV[6], 'retry_base', 0)
if ARGV[5] ~= '' then
  redis.call('ZADD', p .. 'due:' .. ARGV[6], ARGV[5], id)
  redis.call('ZADD', p .. 'endpoints', 'LT', ARGV[5], ARGV[6])
end
if ARGV[8] ~= '' then redis.call('ZADD', p .. 'ref:' .. ARGV[8], ARGV[7], id) end
if ARGV[9] ~= '' then redis.call('ZADD', p .. 'case:' .. ARGV[9], ARGV[7], id) end
for i = 1, tonumber(ARGV[11]) do redis.call('RPUSH', p .. 'outbox', ARGV[11 + i]) end
return 1
)lua");

// ARGV: prefix, endpoint, now ms, limit, lease until ms, claimant. Returns (record, status,
// retry_base, claim, content)* of the claimed deliveries and keeps the endpoint's earliest due time
// current.
const redis::LuaScript kClaim(R"lua(
local p, endpoint = ARGV[1], ARGV[2]
local due = p .. 'due:' .. endpoint
local ids = redis.call('ZRANGEBYSCORE', due, '-inf', ARGV[3], 'LIMIT', 0, tonumber(ARGV[4]))
local out = {}
for n, id in ipairs(ids) do
  redis.call('ZREM', due, id)
  local d = p .. 'd:' .. id
  local fields = redis.call('HMGET', d, 'record', 'status', 'retry_base', 'content')
  local sendable = fields[2] == '1' or fields[2] == '3'
  if fields[1] and sendable and not redis.call('ZSCORE', p .. 'inflight', id) then
    local claim = ARGV[6] .. ':' .. ARGV[3] .. ':' .. n
    redis.call('HSET', d, 'claim', claim)
    redis.call('ZADD', p .. 'inflight', ARGV[5], id)
    out[#out + 1] = fields[1]; out[#out + 1] = fields[2]; out[#out + 1] = fields[3] or '0'; out[#out + 1] = claim
    out[#out + 1] = fields[4] or ''
  end
end
local first = redis.call('ZRANGE', due, 0, 0, 'WITHSCORES')
if #first == 0 then redis.call('ZREM', p .. 'endpoints', endpoint)
else redis.call('ZADD', p .. 'endpoints', first[2], endpoint) end
return out
)lua");

// ARGV: prefix, id, claim, record, status, retry ms ('' for none), n events, event*, n final, event*.
// A cancelled or acknowledged delivery keeps its status and is not queued again.
const redis::LuaScript kComplete(R"lua(
local p, id = ARGV[1], ARGV[2]
local d = p .. 'd:' .. id
if redis.call('HGET', d, 'claim') ~= ARGV[3] then return 0 end
redis.call('HDEL', d, 'claim')
redis.call('ZREM', p .. 'inflight', id)
redis.call('HSET', d, 'record', ARGV[4])
local i = 7
for _ = 1, tonumber(ARGV[i]) do i = i + 1; redis.call('RPUSH', p .. 'outbox', ARGV[i]) end
i = i + 1
local current = redis.call('HGET', d, 'status')
if current == '7' or current == '5' then return 1 end
redis.call('HSET', d, 'status', ARGV[5])
if ARGV[6] ~= '' then
  local endpoint = redis.call('HGET', d, 'endpoint')
  redis.call('ZADD', p .. 'due:' .. endpoint, ARGV[6], id)
  redis.call('ZADD', p .. 'endpoints', 'LT', ARGV[6], endpoint)
end
for _ = 1, tonumber(ARGV[i]) do i = i + 1; redis.call('RPUSH', p .. 'outbox', ARGV[i]) end
return 1
)lua");

// ARGV: prefix, id, claim ('' for any), due ms. Puts a claimed delivery back in its queue, unless it
// was cancelled or acknowledged meanwhile.
const redis::LuaScript kRequeue(R"lua(
local p, id = ARGV[1], ARGV[2]
local d = p .. 'd:' .. id
if ARGV[3] ~= '' and redis.call('HGET', d, 'claim') ~= ARGV[3] then return 0 end
-- The reaper (no claim given) takes only a claim whose lease has passed: not one made meanwhile.
if ARGV[3] == '' then
  local lease = redis.call('ZSCORE', p .. 'inflight', id)
  if not lease or tonumber(lease) > tonumber(ARGV[4]) then return 0 end
end
redis.call('HDEL', d, 'claim')
redis.call('ZREM', p .. 'inflight', id)
local status = redis.call('HGET', d, 'status')
if status ~= '1' and status ~= '3' then return 0 end
local endpoint = redis.call('HGET', d, 'endpoint')
redis.call('ZADD', p .. 'due:' .. endpoint, ARGV[4], id)
redis.call('ZADD', p .. 'endpoints', 'LT', ARGV[4], endpoint)
return 1
)lua");

// ARGV: prefix, id. Only a pending or retrying delivery is cancelled; one in flight finishes its
// attempt and then stays cancelled (kComplete keeps the status).
const redis::LuaScript kCancel(R"lua(
local p, id = ARGV[1], ARGV[2]
local d = p .. 'd:' .. id
local status = redis.call('HGET', d, 'status')
if status ~= '1' and status ~= '3' then return 0 end
redis.call('HSET', d, 'status', '7')
redis.call('ZREM', p .. 'due:' .. redis.call('HGET', d, 'endpoint'), id)
return 1
)lua");

// ARGV: prefix, id, now ms, method, subject, event.
const redis::LuaScript kAcknowledge(R"lua(
local p, id = ARGV[1], ARGV[2]
local d = p .. 'd:' .. id
local status = redis.call('HGET', d, 'status')
if not status then return {'unknown', ''} end
local acked = redis.call('HGET', d, 'acked_ms')
if acked then return {'already', acked} end
if status == '7' then return {'cancelled', ''} end
redis.call('HSET', d, 'status', '5', 'acked_ms', ARGV[3], 'ack_method', ARGV[4], 'ack_subject', ARGV[5])
redis.call('ZREM', p .. 'due:' .. redis.call('HGET', d, 'endpoint'), id)
redis.call('RPUSH', p .. 'outbox', ARGV[6])
return {'acknowledged', ARGV[3]}
)lua");

// ARGV: prefix, id, attempts so far, now ms.
const redis::LuaScript kResend(R"lua(
local p, id = ARGV[1], ARGV[2]
local d = p .. 'd:' .. id
local status = redis.call('HGET', d, 'status')
if not status then return 'unknown' end
if status == '7' then return 'cancelled' end
if status == '5' then return 'acknowledged' end
local endpoint = redis.call('HGET', d, 'endpoint')
if redis.call('ZSCORE', p .. 'due:' .. endpoint, id) or redis.call('ZSCORE', p .. 'inflight', id) then
  return 'already'
end
redis.call('HSET', d, 'status', '1')
redis.call('HSET', d, 'retry_base', ARGV[3])
redis.call('ZADD', p .. 'due:' .. endpoint, ARGV[4], id)
redis.call('ZADD', p .. 'endpoints', 'LT', ARGV[4], endpoint)
return 'queued'
)lua");

// A delivery is stored in two parts: its state, rewritten on every attempt, and its content (the
// rendered message and its facts), written once — most of the bytes, so attempts stay cheap.
// Both parts are serialized with the other part swapped out for the moment (O(1), no copies: this
// runs for every delivery and attempt).
struct StoredParts {
  std::string state;
  std::string content;
};

StoredParts split(v1::StoredDelivery& stored) {
  StoredParts parts;
  v1::StoredDelivery content;
  content.mutable_message()->Swap(stored.mutable_message());
  content.mutable_facts()->swap(*stored.mutable_facts());
  parts.state = stored.SerializeAsString();
  parts.content = content.SerializeAsString();
  stored.mutable_message()->Swap(content.mutable_message());
  stored.mutable_facts()->swap(*content.mutable_facts());
  return parts;
}

std::string state_bytes(v1::StoredDelivery& stored) { return split(stored).state; }

bool parse_parts(const std::string& state, const std::string& content, v1::StoredDelivery& stored) {
  return stored.ParseFromString(state) && stored.MergeFromString(content);
}

void append_events(std::vector<std::string>& args, const std::vector<events::v1::NotificationEvent>& events) {
  args.push_back(std::to_string(events.size()));
  for (const auto& event : events) args.push_back(event.SerializeAsString());
}

}  // namespace

DeliveryStore::DeliveryStore(const config::Hub& hub, redis::RedisClient& redis)
    : prefix_(hub.redis_key({"notification"}) + ":"), redis_(redis) {}

std::size_t DeliveryStore::create(const std::vector<NewDelivery>& deliveries, Clock::time_point now) {
  if (deliveries.empty()) return 0;
  std::vector<redis::RedisClient::ScriptCall> calls;
  calls.reserve(deliveries.size());
  for (const auto& [original, events] : deliveries) {
    v1::StoredDelivery stored = original;  // fail-overs and resends: rare, a copy is fine
    const StoredParts parts = split(stored);
    const auto& delivery = stored.delivery();
    const bool queued = delivery.status() == v1::DELIVERY_STATUS_PENDING;
    std::vector<std::string> args{prefix_,
                                  delivery.delivery_id(),
                                  parts.state,
                                  status_text(delivery.status()),
                                  queued ? ms_text(now) : "",
                                  stored.endpoint(),
                                  std::to_string(TimeUtil::TimestampToMilliseconds(delivery.created_at())),
                                  delivery.referral_id(),
                                  delivery.case_id(),
                                  parts.content};
    append_events(args, events);
    calls.push_back({{}, std::move(args)});
  }
  std::size_t created = 0;
  for (const auto& reply : redis_.eval_many(kCreate, calls)) {
    if (reply.is_error()) throw redis::RedisCommandError("creating a delivery: " + reply.text);
    created += reply.as_integer() == 1 ? 1 : 0;
  }
  return created;
}

std::vector<redis::Command> DeliveryStore::creation_commands(NewDelivery item, Clock::time_point now) const {
  auto& [stored, events] = item;
  StoredParts parts = split(stored);
  const auto& delivery = stored.delivery();
  const std::string key = prefix_ + "d:" + delivery.delivery_id();
  const std::string created = std::to_string(TimeUtil::TimestampToMilliseconds(delivery.created_at()));
  std::vector<redis::Command> commands{{"HSETNX", key, "record", std::move(parts.state)},
                                       {"HSETNX", key, "content", std::move(parts.content)},
                                       {"HSETNX", key, "status", status_text(delivery.status())},
                                       {"HSETNX", key, "endpoint", stored.endpoint()},
                                       {"HSETNX", key, "retry_base", "0"}};
  if (delivery.status() == v1::DELIVERY_STATUS_PENDING) {
    commands.push_back({"ZADD", prefix_ + "due:" + stored.endpoint(), "NX", ms_text(now), delivery.delivery_id()});
    commands.push_back({"ZADD", prefix_ + "endpoints", "LT", ms_text(now), stored.endpoint()});
  }
  if (!delivery.referral_id().empty()) {
    commands.push_back({"ZADD", prefix_ + "ref:" + delivery.referral_id(), "NX", created, delivery.delivery_id()});
  }
  if (!delivery.case_id().empty()) {
    commands.push_back({"ZADD", prefix_ + "case:" + delivery.case_id(), "NX", created, delivery.delivery_id()});
  }
  for (const auto& event : events) commands.push_back({"RPUSH", prefix_ + "outbox", event.SerializeAsString()});
  return commands;
}

std::vector<std::string> DeliveryStore::due_endpoints(Clock::time_point now, std::size_t limit) {
  auto reply = redis_.command(
      {"ZRANGEBYSCORE", prefix_ + "endpoints", "-inf", ms_text(now), "LIMIT", "0", std::to_string(limit)});
  std::vector<std::string> endpoints;
  for (auto& element : reply.elements) endpoints.push_back(std::move(element.text));
  return endpoints;
}

std::vector<DeliveryStore::Claimed> DeliveryStore::claim(const std::string& endpoint, Clock::time_point now,
                                                         std::size_t limit, Clock::time_point lease_until,
                                                         const std::string& claimant) {
  auto reply = redis_.eval(kClaim, {},
                           {prefix_, endpoint, ms_text(now), std::to_string(limit), ms_text(lease_until), claimant});
  std::vector<Claimed> claimed;
  for (std::size_t i = 0; i + 4 < reply.elements.size(); i += 5) {
    Claimed item;
    if (!parse_parts(reply.elements[i].text, reply.elements[i + 4].text, item.stored)) continue;  // only we write them
    item.stored.mutable_delivery()->set_status(static_cast<v1::DeliveryStatus>(std::stoi(reply.elements[i + 1].text)));
    item.retry_base = static_cast<std::uint32_t>(std::stoul(reply.elements[i + 2].text));
    item.claim = reply.elements[i + 3].text;
    claimed.push_back(std::move(item));
  }
  return claimed;
}

std::size_t DeliveryStore::complete(const std::vector<Completion>& completions) {
  if (completions.empty()) return 0;
  std::vector<redis::RedisClient::ScriptCall> calls;
  calls.reserve(completions.size());
  for (const auto& completion : completions) {
    v1::StoredDelivery stored = completion.claimed.stored;  // state only: the dispatcher drops the content
    std::vector<std::string> args{prefix_,
                                  stored.delivery().delivery_id(),
                                  completion.claimed.claim,
                                  state_bytes(stored),
                                  status_text(completion.status),
                                  completion.retry_at ? ms_text(*completion.retry_at) : ""};
    append_events(args, completion.events);
    append_events(args, completion.final_events);
    calls.push_back({{}, std::move(args)});
  }
  std::size_t lost = 0;
  for (const auto& reply : redis_.eval_many(kComplete, calls)) {
    if (reply.is_error()) throw redis::RedisCommandError("completing a delivery: " + reply.text);
    lost += reply.as_integer() == 0 ? 1 : 0;
  }
  return lost;
}

void DeliveryStore::release(const std::vector<Claimed>& claimed, Clock::time_point now) {
  if (claimed.empty()) return;
  std::vector<redis::RedisClient::ScriptCall> calls;
  for (const auto& item : claimed) {
    calls.push_back({{}, {prefix_, item.stored.delivery().delivery_id(), item.claim, ms_text(now)}});
  }
  redis_.eval_many(kRequeue, calls);
}

std::size_t DeliveryStore::requeue_expired(Clock::time_point now, std::size_t limit) {
  auto expired = redis_.command(
      {"ZRANGEBYSCORE", prefix_ + "inflight", "-inf", ms_text(now), "LIMIT", "0", std::to_string(limit)});
  if (expired.elements.empty()) return 0;
  std::vector<redis::RedisClient::ScriptCall> calls;
  for (const auto& id : expired.elements) calls.push_back({{}, {prefix_, id.text, "", ms_text(now)}});
  std::size_t requeued = 0;
  for (const auto& reply : redis_.eval_many(kRequeue, calls)) requeued += reply.is_error() ? 0 : reply.integer == 1;
  return requeued;
}

std::size_t DeliveryStore::cancel_for_referral(const std::string& referral_id,
                                               const std::vector<std::string>& recipient_ids) {
  std::vector<redis::RedisClient::ScriptCall> calls;
  for (const auto& stored : list_for_referral(referral_id, 0, 10000)) {
    const auto& delivery = stored.delivery();
    // Routing tells the provider to stop work and then cancels what is pending for the referral:
    // that notice itself must still go out.
    if (delivery.kind() == v1::MESSAGE_KIND_REFERRAL_CANCELLED) continue;
    if (!recipient_ids.empty() &&
        std::find(recipient_ids.begin(), recipient_ids.end(), delivery.recipient_id()) == recipient_ids.end()) {
      continue;
    }
    calls.push_back({{}, {prefix_, delivery.delivery_id()}});
  }
  if (calls.empty()) return 0;
  std::size_t cancelled = 0;
  for (const auto& reply : redis_.eval_many(kCancel, calls)) {
    if (reply.is_error()) throw redis::RedisCommandError("cancelling a delivery: " + reply.text);
    cancelled += reply.integer == 1 ? 1 : 0;
  }
  return cancelled;
}

DeliveryStore::AckResult DeliveryStore::acknowledge(const std::string& delivery_id, v1::AcknowledgementMethod method,
                                                    const std::string& subject, Clock::time_point now,
                                                    const events::v1::NotificationEvent& event) {
  auto reply = redis_.eval(kAcknowledge, {},
                           {prefix_, delivery_id, ms_text(now), std::to_string(static_cast<int>(method)), subject,
                            event.SerializeAsString()});
  AckResult result;
  const std::string& outcome = reply.elements.at(0).text;
  if (outcome == "unknown") return result;
  if (outcome == "cancelled") {
    result.outcome = AckOutcome::cancelled;
    return result;
  }
  result.outcome = outcome == "already" ? AckOutcome::already_acknowledged : AckOutcome::acknowledged;
  result.acknowledged_at = Clock::time_point(std::chrono::milliseconds(std::stoll(reply.elements.at(1).text)));
  return result;
}

DeliveryStore::ResendOutcome DeliveryStore::resend(const std::string& delivery_id, std::uint32_t attempts_so_far,
                                                   Clock::time_point now) {
  auto reply = redis_.eval(kResend, {}, {prefix_, delivery_id, std::to_string(attempts_so_far), ms_text(now)});
  if (reply.text == "queued") return ResendOutcome::queued;
  if (reply.text == "already") return ResendOutcome::already_queued;
  if (reply.text == "cancelled") return ResendOutcome::cancelled;
  if (reply.text == "acknowledged") return ResendOutcome::acknowledged;
  return ResendOutcome::unknown;
}

std::vector<v1::StoredDelivery> DeliveryStore::load_many(const std::vector<std::string>& ids) {
  std::vector<redis::Command> commands;
  for (const auto& id : ids) {
    commands.push_back({"HMGET", prefix_ + "d:" + id, "record", "status", "acked_ms", "ack_method", "claim", "content"});
  }
  std::vector<v1::StoredDelivery> loaded;
  if (commands.empty()) return loaded;
  for (const auto& reply : redis_.pipeline(commands)) {
    if (reply.is_error() || reply.elements.size() < 6 || reply.elements[0].is_nil()) continue;
    v1::StoredDelivery stored;
    if (!parse_parts(reply.elements[0].text, reply.elements[5].text, stored)) continue;
    auto& delivery = *stored.mutable_delivery();
    delivery.set_status(static_cast<v1::DeliveryStatus>(std::stoi(reply.elements[1].as_text().value_or("0"))));
    if (auto acked = reply.elements[2].as_text()) {
      *delivery.mutable_acknowledged_at() = TimeUtil::MillisecondsToTimestamp(std::stoll(*acked));
      delivery.set_acknowledgement_method(
          static_cast<v1::AcknowledgementMethod>(std::stoi(reply.elements[3].as_text().value_or("0"))));
    }
    const bool claimed = !reply.elements[4].is_nil();
    if (claimed && (delivery.status() == v1::DELIVERY_STATUS_PENDING ||
                    delivery.status() == v1::DELIVERY_STATUS_RETRYING)) {
      delivery.set_status(v1::DELIVERY_STATUS_SENDING);
    }
    loaded.push_back(std::move(stored));
  }
  return loaded;
}

std::optional<v1::StoredDelivery> DeliveryStore::load(const std::string& delivery_id) {
  auto loaded = load_many({delivery_id});
  if (loaded.empty()) return std::nullopt;
  return std::move(loaded.front());
}

std::vector<v1::StoredDelivery> DeliveryStore::list(const std::string& index_key, std::size_t offset,
                                                    std::size_t limit) {
  auto reply = redis_.command({"ZRANGE", index_key, std::to_string(offset),
                               std::to_string(offset + (limit == 0 ? 1 : limit) - 1)});
  std::vector<std::string> ids;
  for (auto& element : reply.elements) ids.push_back(std::move(element.text));
  return load_many(ids);
}

std::vector<v1::StoredDelivery> DeliveryStore::list_for_referral(const std::string& referral_id, std::size_t offset,
                                                                 std::size_t limit) {
  return list(prefix_ + "ref:" + referral_id, offset, limit);
}

std::vector<v1::StoredDelivery> DeliveryStore::list_for_case(const std::string& case_id, std::size_t offset,
                                                             std::size_t limit) {
  return list(prefix_ + "case:" + case_id, offset, limit);
}

std::size_t DeliveryStore::queued_on(const std::string& endpoint) {
  return static_cast<std::size_t>(redis_.command({"ZCARD", prefix_ + "due:" + endpoint}).integer);
}

}  // namespace pact::notification
