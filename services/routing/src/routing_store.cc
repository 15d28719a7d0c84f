#include "routing_store.h"

#include <algorithm>
#include <chrono>

#include "redis/lua_script.h"

namespace pact::routing {
namespace {

// ARGV: prefix, case id, expected version, state bytes, fired deadline ('' for none), now (Unix ms),
//       n capacity ops, (op, service, referral)*, n deadline adds, (member, due)*,
//       n deadline removes, member*, n index adds, (index, member)*, n index removes,
//       (index, member)*, n events, event*.
// Every check runs before the first write: a Lua script is not rolled back when it returns.
const redis::LuaScript kCommit(R"lua(
local p = ARGV[1]
local case_key = p .. 'case:' .. ARGV[2]
local expected = tonumber(ARGV[3])
local current = tonumber(redis.call('HGET', case_key, 'version') or '0')
if current ~= expected then return {'conflict'} end
local fired = ARGV[5]
if fired ~= '' and not redis.call('ZSCORE', p .. 'deadlines', fired) then return {'deadline_gone'} end
local now_ms = ARGV[6]
local i = 7
local ops = {}
local n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do ops[#ops + 1] = {ARGV[i], ARGV[i + 1], ARGV[i + 2]}; i = i + 3 end
local wanted = {}
for _, op in ipairs(ops) do
  if op[1] == 'reserve' and redis.call('SISMEMBER', p .. 'dir:resv:' .. op[2], op[3]) == 0 then
    wanted[op[2]] = (wanted[op[2]] or 0) + 1
  end
end
for service, count in pairs(wanted) do
  local cap = p .. 'dir:cap:' .. service
  if redis.call('HGET', cap, 'tracked') == '1' and tonumber(redis.call('HGET', cap, 'available') or '0') < count then
    return {'no_capacity', service}
  end
end
local out = {'ok'}
for _, op in ipairs(ops) do
  local cap = p .. 'dir:cap:' .. op[2]
  local resv = p .. 'dir:resv:' .. op[2]
  local changed = 0
  if op[1] == 'reserve' then
    if redis.call('SADD', resv, op[3]) == 1 then changed = 1 end
  else
    if redis.call('SREM', resv, op[3]) == 1 then changed = 1 end
  end
  if changed == 1 and redis.call('HGET', cap, 'tracked') == '1' then
    local available = tonumber(redis.call('HGET', cap, 'available') or '0')
    local maximum = tonumber(redis.call('HGET', cap, 'maximum') or '0')
    if op[1] == 'reserve' then available = available - 1 elseif available < maximum then available = available + 1 end
    redis.call('HSET', cap, 'available', available, 'updated_ms', now_ms)
    redis.call('HINCRBY', cap, 'version', 1)
  end
  out[#out + 1] = op[2]
  out[#out + 1] = op[3]
  out[#out + 1] = op[1]
  out[#out + 1] = changed
  out[#out + 1] = redis.call('HGET', cap, 'available') or '0'
  out[#out + 1] = redis.call('HGET', cap, 'maximum') or '0'
  out[#out + 1] = redis.call('HGET', cap, 'version') or '0'
end
redis.call('HSET', case_key, 'version', expected + 1, 'state', ARGV[4])
if fired ~= '' then redis.call('ZREM', p .. 'deadlines', fired) end
n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('ZADD', p .. 'deadlines', ARGV[i + 1], ARGV[i]); i = i + 2 end
n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('ZREM', p .. 'deadlines', ARGV[i]); i = i + 1 end
n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('SADD', p .. 'idx:' .. ARGV[i], ARGV[i + 1]); i = i + 2 end
n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('SREM', p .. 'idx:' .. ARGV[i], ARGV[i + 1]); i = i + 2 end
n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('RPUSH', p .. 'outbox', ARGV[i]); i = i + 1 end
return out
)lua");

}  // namespace

std::string RoutingStore::key(std::string_view part, std::string_view id) const {
  if (id.empty()) return hub_.redis_key({"routing", part});
  return hub_.redis_key({"routing", part, id});
}

std::optional<v1::CaseRoutingState> RoutingStore::load(const std::string& case_id) const {
  auto reply = redis_.command({"HMGET", key("case", case_id), "version", "state"});
  if (reply.elements.size() != 2 || reply.elements[1].is_nil()) return std::nullopt;
  v1::CaseRoutingState state;
  if (!state.ParseFromString(reply.elements[1].text)) {
    throw std::runtime_error("routing state of case " + case_id + " is not a CaseRoutingState");
  }
  state.set_version(static_cast<std::uint64_t>(reply.elements[0].as_integer()));
  return state;
}

CommitResult RoutingStore::commit(const std::string& case_id, CaseCommit& commit) const {
  commit.state.set_version(commit.expected_version + 1);
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  std::vector<std::string> args = {hub_.redis_key({"routing"}) + ":", case_id, std::to_string(commit.expected_version),
                                   commit.state.SerializeAsString(), commit.fired_deadline, std::to_string(now_ms)};
  args.push_back(std::to_string(commit.capacity.size()));
  for (const auto& op : commit.capacity) {
    args.insert(args.end(), {op.kind == CapacityOp::Kind::reserve ? "reserve" : "release", op.service_id, op.referral_id});
  }
  args.push_back(std::to_string(commit.add_deadlines.size()));
  for (const auto& entry : commit.add_deadlines) args.insert(args.end(), {entry.member, std::to_string(entry.due_ms)});
  args.push_back(std::to_string(commit.remove_deadlines.size()));
  args.insert(args.end(), commit.remove_deadlines.begin(), commit.remove_deadlines.end());
  args.push_back(std::to_string(commit.index_add.size()));
  for (const auto& [index, member] : commit.index_add) args.insert(args.end(), {index, member});
  args.push_back(std::to_string(commit.index_remove.size()));
  for (const auto& [index, member] : commit.index_remove) args.insert(args.end(), {index, member});
  args.push_back(std::to_string(commit.events.size()));
  for (const auto& event : commit.events) args.push_back(event.SerializeAsString());

  const redis::RedisValue reply = redis_.eval(kCommit, {}, args);
  CommitResult result;
  const std::string outcome = reply.elements.empty() ? "" : reply.elements[0].text;
  if (outcome == "conflict") {
    result.outcome = CommitResult::Outcome::conflict;
  } else if (outcome == "deadline_gone") {
    result.outcome = CommitResult::Outcome::deadline_gone;
  } else if (outcome == "no_capacity") {
    result.outcome = CommitResult::Outcome::no_capacity;
    result.full_service_id = reply.elements.at(1).text;
  } else if (outcome == "ok") {
    for (std::size_t i = 1; i + 7 <= reply.elements.size(); i += 7) {
      CapacityAfter after;
      after.service_id = reply.elements[i].text;
      after.referral_id = reply.elements[i + 1].text;
      after.reserved = reply.elements[i + 2].text == "reserve";
      after.changed = reply.elements[i + 3].as_integer() == 1;
      after.available = static_cast<std::uint32_t>(std::max(0LL, reply.elements[i + 4].as_integer()));
      after.maximum = static_cast<std::uint32_t>(std::max(0LL, reply.elements[i + 5].as_integer()));
      after.version = static_cast<std::uint64_t>(reply.elements[i + 6].as_integer());
      result.capacity.push_back(after);
    }
  } else {
    throw std::runtime_error("unexpected reply from the routing commit script");
  }
  return result;
}

std::vector<std::string> RoutingStore::due_deadlines(std::int64_t now_ms, std::size_t limit) const {
  auto reply = redis_.command({"ZRANGEBYSCORE", key("deadlines"), "-inf", std::to_string(now_ms), "LIMIT", "0",
                               std::to_string(limit)});
  std::vector<std::string> members;
  for (const auto& element : reply.elements) members.push_back(element.text);
  return members;
}

void RoutingStore::drop_deadline(const std::string& member) const {
  redis_.command({"ZREM", key("deadlines"), member});
}

std::vector<std::string> RoutingStore::index_members(const std::string& index) const {
  auto reply = redis_.command({"SMEMBERS", key("idx", index)});
  std::vector<std::string> members;
  for (const auto& element : reply.elements) members.push_back(element.text);
  return members;
}


void RoutingStore::outbox_push(const events::v1::ReferralEvent& event) const {
  redis_.command({"RPUSH", key("outbox"), event.SerializeAsString()});
}


std::string case_of_referral(const std::string& referral_id) { return referral_id.substr(0, referral_id.find('/')); }
std::string case_of_deadline(const std::string& member) { return member.substr(0, member.find('/')); }

}  // namespace pact::routing
