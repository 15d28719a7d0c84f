#include "kafka/offset_ledger.h"

namespace pact::kafka {
namespace {

const redis::LuaScript kClaimScript(R"lua(
-- KEYS[1] partition hash; ARGV[1] owner id. Returns {epoch, next or -1}.
local epoch = redis.call('HINCRBY', KEYS[1], 'epoch', 1)
redis.call('HSET', KEYS[1], 'owner', ARGV[1])
local nxt = redis.call('HGET', KEYS[1], 'next')
if not nxt then nxt = '-1' end
return {epoch, nxt}
)lua");

// Fencing: epochs only grow, and each claim names its owner, so a write from an older epoch or from
// another owner at the same epoch is refused. A stored epoch *below* ours, or a stored position that
// differs from what we last wrote, means Redis lost writes (restarted from an older AOF): we take
// the partition back and the consumer rewinds to what Redis remembers, re-applying the lost records.
// KEYS[1] partition hash; ARGV[1] owner, ARGV[2] epoch, ARGV[3] expected next offset (-1 = none).
#define PACT_LEDGER_POSITION_CHECK \
  "local owner = redis.call('HGET', KEYS[1], 'owner')\n" \
  "local epoch = tonumber(redis.call('HGET', KEYS[1], 'epoch') or '0')\n" \
  "local mine = tonumber(ARGV[2])\n" \
  "if epoch > mine or (epoch == mine and owner ~= ARGV[1]) then return {'fenced'} end\n" \
  "local stored = redis.call('HGET', KEYS[1], 'next') or '-1'\n" \
  "if epoch < mine then\n" \
  "  redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'epoch', mine)\n" \
  "  return {'rewind', stored}\n" \
  "end\n" \
  "if stored ~= ARGV[3] then return {'rewind', stored} end\n"

const redis::LuaScript kVerifyScript(PACT_LEDGER_POSITION_CHECK "return {'ok'}\n");

// After the position check: KEYS[2] sequence hash; ARGV[4] offset, ARGV[5] dedup key, ARGV[6]
// sequence (0 = none), ARGV[7] number of commands, then per command: argc, argv...
const redis::LuaScript kApplyScript(PACT_LEDGER_POSITION_CHECK R"lua(
local next_offset = tostring(tonumber(ARGV[4]) + 1)
local sequence = tonumber(ARGV[6])
if sequence > 0 then
  local last = tonumber(redis.call('HGET', KEYS[2], ARGV[5]) or '0')
  if sequence <= last then
    redis.call('HSET', KEYS[1], 'next', next_offset)
    return {'duplicate'}
  end
end
local i = 8
for c = 1, tonumber(ARGV[7]) do
  local argc = tonumber(ARGV[i])
  local command = {}
  for j = 1, argc do command[j] = ARGV[i + j] end
  redis.call(unpack(command))
  i = i + argc + 1
end
if sequence > 0 then redis.call('HSET', KEYS[2], ARGV[5], sequence) end
redis.call('HSET', KEYS[1], 'next', next_offset)
return {'applied'}
)lua");

#undef PACT_LEDGER_POSITION_CHECK

std::optional<std::int64_t> offset_or_none(const redis::RedisValue& value) {
  long long number = value.as_integer();
  if (number < 0) return std::nullopt;
  return number;
}

OffsetLedger::Result outcome_of(const redis::RedisValue& reply) {
  const std::string outcome = reply.elements.at(0).text;
  if (outcome == "applied") return {OffsetLedger::Outcome::applied, std::nullopt};
  if (outcome == "duplicate") return {OffsetLedger::Outcome::duplicate, std::nullopt};
  if (outcome == "fenced") return {OffsetLedger::Outcome::fenced, std::nullopt};
  if (outcome == "ok") return {OffsetLedger::Outcome::in_place, std::nullopt};
  return {OffsetLedger::Outcome::rewind, offset_or_none(reply.elements.at(1))};
}

}  // namespace

OffsetLedger::OffsetLedger(redis::RedisClient& redis, const config::Hub& hub, std::string group, std::string owner_id)
    : redis_(redis), hub_(hub), group_(std::move(group)), owner_id_(std::move(owner_id)) {}

std::string OffsetLedger::partition_key(const std::string& topic, std::int32_t partition) const {
  return hub_.redis_key({"kafka", group_, topic, std::to_string(partition)});
}

std::string OffsetLedger::sequence_key(const std::string& topic) const {
  return hub_.redis_key({"kafka-seq", group_, topic});
}

OffsetLedger::Claim OffsetLedger::claim(const std::string& topic, std::int32_t partition) {
  redis::RedisValue reply = redis_.eval(kClaimScript, {partition_key(topic, partition)}, {owner_id_});
  return Claim{reply.elements.at(0).as_integer(), offset_or_none(reply.elements.at(1))};
}

OffsetLedger::Result OffsetLedger::verify(const std::string& topic, std::int32_t partition,
                                          const Position& position) {
  redis::RedisValue reply = redis_.eval(kVerifyScript, {partition_key(topic, partition)},
                                        {owner_id_, std::to_string(position.epoch),
                                         std::to_string(position.expected_next.value_or(-1))});
  return outcome_of(reply);
}

OffsetLedger::Result OffsetLedger::apply(const std::string& topic, std::int32_t partition, const Position& position,
                                         std::int64_t offset, const std::string& dedup_key, std::uint64_t sequence,
                                         const WriteBatch& effects) {
  std::vector<std::string> args = {
      owner_id_,
      std::to_string(position.epoch),
      std::to_string(position.expected_next.value_or(-1)),
      std::to_string(offset),
      dedup_key,
      std::to_string(dedup_key.empty() ? 0 : sequence),
      std::to_string(effects.commands().size()),
  };
  for (const auto& command : effects.commands()) {
    args.push_back(std::to_string(command.size()));
    args.insert(args.end(), command.begin(), command.end());
  }
  return outcome_of(redis_.eval(kApplyScript, {partition_key(topic, partition), sequence_key(topic)}, args));
}

std::uint64_t OffsetLedger::applied_sequence(const std::string& topic, const std::string& dedup_key) {
  redis::RedisValue reply = redis_.command({"HGET", sequence_key(topic), dedup_key});
  return reply.is_nil() ? 0 : static_cast<std::uint64_t>(reply.as_integer());
}

}  // namespace pact::kafka
