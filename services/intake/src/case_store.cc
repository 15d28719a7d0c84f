#include "case_store.h"

#include <chrono>

#include <google/protobuf/util/time_util.h>

#include "pact/intake/v1/intake.pb.h"

namespace pact::intake {
namespace {

// A hot token (a common name with a placeholder birth date) must not flood a registration.
constexpr int kMaxMatchesPerToken = 20;

const redis::LuaScript kReserve(R"lua(
-- KEYS: case hash, data key, case list, list counter, staged index, changed index. ARGV: fingerprint,
-- wrapped key, created ms,
-- case id, blind prefix, max matches per token, summary, sealed, event (all three empty: do not
-- stage), token count, tokens...
local state = redis.call('HGET', KEYS[1], 'state')
if state then
  if redis.call('HGET', KEYS[1], 'fingerprint') ~= ARGV[1] then return {'conflict'} end
  local pending = redis.call('HGET', KEYS[1], 'pending') or ''
  if state ~= 'reserved' or pending ~= '' then
    return {'existing', state, redis.call('GET', KEYS[2]) or '', pending, redis.call('HGET', KEYS[1], 'summary') or ''}
  end
  -- reserved but never staged (the first attempt stopped in between): redo the lookups below
else
  redis.call('HSET', KEYS[1], 'state', 'reserved', 'fingerprint', ARGV[1], 'sequence', 0, 'created', ARGV[3])
  redis.call('SET', KEYS[2], ARGV[2])
  redis.call('ZADD', KEYS[3], redis.call('INCR', KEYS[4]), ARGV[4])
  redis.call('ZADD', KEYS[6], ARGV[3], ARGV[4])
end
local stored_key = redis.call('GET', KEYS[2])
local result = {'created', stored_key}
local count = tonumber(ARGV[10])
local tokens = {}
for i = 1, count do
  local token = ARGV[10 + i]
  tokens[i] = token
  local set = ARGV[5] .. token
  local found = 0
  for _, other in ipairs(redis.call('SRANDMEMBER', set, tonumber(ARGV[6]) + 1)) do
    if other ~= ARGV[4] and found < tonumber(ARGV[6]) then
      table.insert(result, i .. ':' .. other)
      found = found + 1
    end
  end
  redis.call('SADD', set, ARGV[4])
end
redis.call('HSET', KEYS[1], 'tokens', table.concat(tokens, ' '))
-- The common case in one step: nothing matched and the prepared state was sealed under the stored
-- key, so it can be staged right away.
if #result == 2 and ARGV[9] ~= '' and stored_key == ARGV[2] then
  redis.call('HSET', KEYS[1], 'sequence', 1, 'summary', ARGV[7], 'sealed', ARGV[8], 'pending', ARGV[9])
  redis.call('ZADD', KEYS[5], ARGV[3], ARGV[4])
  return {'staged', stored_key}
end
return result
)lua");

const redis::LuaScript kStage(R"lua(
-- KEYS: case hash, ops hash, staged index, changed index. ARGV: expected sequence, sequence, summary,
-- sealed, event, op key, now ms, case id.
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return 'missing' end
if state == 'erased' then return 'erased' end
if (redis.call('HGET', KEYS[1], 'pending') or '') ~= '' then return 'pending_first' end
if tonumber(redis.call('HGET', KEYS[1], 'sequence')) ~= tonumber(ARGV[1]) then return 'sequence_moved' end
redis.call('HSET', KEYS[1], 'sequence', ARGV[2], 'summary', ARGV[3], 'sealed', ARGV[4], 'pending', ARGV[5])
if ARGV[6] ~= '' then redis.call('HSET', KEYS[2], ARGV[6], ARGV[2]) end
redis.call('ZADD', KEYS[3], ARGV[7], ARGV[8])
redis.call('ZADD', KEYS[4], ARGV[7], ARGV[8])
return 'staged'
)lua");

const redis::LuaScript kConfirm(R"lua(
-- KEYS: case hash, staged index. ARGV: sequence, erased (0/1), case id.
if tonumber(redis.call('HGET', KEYS[1], 'sequence') or '-1') ~= tonumber(ARGV[1]) then return 0 end
if ARGV[2] == '1' then
  redis.call('HSET', KEYS[1], 'state', 'erased')
elseif redis.call('HGET', KEYS[1], 'state') == 'reserved' then
  redis.call('HSET', KEYS[1], 'state', 'registered')
end
redis.call('HDEL', KEYS[1], 'pending')
redis.call('ZREM', KEYS[2], ARGV[3])
return 1
)lua");

const redis::LuaScript kForgetIfSettled(R"lua(
-- KEYS: case hash, staged index. ARGV: case id. Checked here: a change staged since the caller
-- looked must stay in the index.
if (redis.call('HGET', KEYS[1], 'pending') or '') == '' then redis.call('ZREM', KEYS[2], ARGV[1]) end
return 1
)lua");

const redis::LuaScript kErase(R"lua(
-- KEYS: case hash, data key, ops hash, case list, staged index, changed index. ARGV: sequence,
-- summary, event, op key, blind prefix, case id, now ms.
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return 'missing' end
if state == 'erased' then return 'erased' end
if (redis.call('HGET', KEYS[1], 'pending') or '') ~= '' then return 'pending_first' end
if tonumber(redis.call('HGET', KEYS[1], 'sequence')) ~= tonumber(ARGV[1]) - 1 then return 'sequence_moved' end
for token in string.gmatch(redis.call('HGET', KEYS[1], 'tokens') or '', '%S+') do
  redis.call('SREM', ARGV[5] .. token, ARGV[6])
end
redis.call('DEL', KEYS[2])
redis.call('HDEL', KEYS[1], 'sealed', 'fingerprint', 'tokens')
redis.call('HSET', KEYS[1], 'sequence', ARGV[1], 'summary', ARGV[2], 'pending', ARGV[3])
if ARGV[4] ~= '' then redis.call('HSET', KEYS[3], ARGV[4], ARGV[1]) end
redis.call('ZADD', KEYS[5], ARGV[7], ARGV[6])
redis.call('ZREM', KEYS[6], ARGV[6])
return 'staged'
)lua");

const redis::LuaScript kIndexChange(R"lua(
-- KEYS: case hash, changed index. ARGV: last change ms, case id. Only cases not erased, and never
-- over a score the scripts above wrote.
local state = redis.call('HGET', KEYS[1], 'state')
if not state or state == 'erased' then return 0 end
return redis.call('ZADD', KEYS[2], 'NX', ARGV[1], ARGV[2])
)lua");

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

CaseStore::StageOutcome stage_outcome(const std::string& text) {
  if (text == "staged") return CaseStore::StageOutcome::staged;
  if (text == "sequence_moved") return CaseStore::StageOutcome::sequence_moved;
  if (text == "pending_first") return CaseStore::StageOutcome::pending_first;
  if (text == "erased") return CaseStore::StageOutcome::erased;
  return CaseStore::StageOutcome::missing;
}

}  // namespace

CaseStore::CaseStore(redis::RedisPool& redis, const config::Hub& hub) : redis_(redis), hub_(hub) {}

CaseStore::Reservation CaseStore::reserve(const std::string& case_id, const std::string& fingerprint,
                                          const std::string& wrapped_key, std::int64_t created_ms,
                                          const std::vector<std::string>& tokens, const Prepared& prepared) {
  std::vector<std::string> args = {fingerprint,      wrapped_key,     std::to_string(created_ms),
                                   case_id,          blind_prefix(),  std::to_string(kMaxMatchesPerToken),
                                   prepared.summary, prepared.sealed, prepared.event,
                                   std::to_string(tokens.size())};
  args.insert(args.end(), tokens.begin(), tokens.end());
  redis::RedisValue reply =
      redis_.next().eval(kReserve, {case_key(case_id), data_key_key(case_id), list_key(), list_key() + ":counter", staged_key(),
                          changed_key()},
                         args);
  Reservation reservation;
  const std::string& outcome = reply.elements.at(0).text;
  if (outcome == "conflict") {
    reservation.outcome = Reservation::Outcome::conflict;
  } else if (outcome == "existing") {
    reservation.outcome = Reservation::Outcome::existing;
    reservation.state = reply.elements.at(1).text;
    reservation.wrapped_key = reply.elements.at(2).text;
    reservation.pending_event = reply.elements.at(3).text;
    reservation.summary = reply.elements.at(4).text;
  } else {
    if (outcome == "staged") reservation.outcome = Reservation::Outcome::staged;
    reservation.wrapped_key = reply.elements.at(1).text;
    for (std::size_t i = 2; i < reply.elements.size(); ++i) {
      const std::string& match = reply.elements[i].text;
      std::size_t colon = match.find(':');
      reservation.matches.emplace_back(std::stoul(match.substr(0, colon)) - 1, match.substr(colon + 1));
    }
  }
  return reservation;
}

CaseStore::StageOutcome CaseStore::stage(const std::string& case_id, std::uint64_t expected_sequence,
                                         std::uint64_t sequence, const std::string& summary, const std::string& sealed,
                                         const std::string& event, const std::string& op_key) {
  redis::RedisValue reply = redis_.next().eval(
      kStage, {case_key(case_id), ops_key(case_id), staged_key(), changed_key()},
      {std::to_string(expected_sequence), std::to_string(sequence), summary, sealed, event, op_key,
       std::to_string(now_ms()), case_id});
  return stage_outcome(reply.text);
}

void CaseStore::confirm(const std::vector<Confirmation>& confirmations) {
  if (confirmations.empty()) return;
  std::vector<redis::RedisClient::ScriptCall> calls;
  calls.reserve(confirmations.size());
  for (const auto& c : confirmations) {
    calls.push_back({{case_key(c.case_id), staged_key()}, {std::to_string(c.sequence), c.erased ? "1" : "0", c.case_id}});
  }
  redis_.next().eval_many(kConfirm, calls);
}

std::optional<CaseStore::Stored> CaseStore::load(const std::string& case_id) {
  auto replies = redis_.next().pipeline({{"HMGET", case_key(case_id), "state", "sequence", "summary", "sealed", "pending"},
                                         {"GET", data_key_key(case_id)}});
  const auto& fields = replies.at(0).elements;
  if (fields.empty() || fields[0].is_nil()) return std::nullopt;
  Stored stored;
  stored.state = fields[0].text;
  stored.sequence = fields[1].is_nil() ? 0 : static_cast<std::uint64_t>(fields[1].as_integer());
  stored.summary = fields[2].as_text().value_or("");
  stored.sealed = fields[3].as_text().value_or("");
  stored.pending_event = fields[4].as_text().value_or("");
  stored.wrapped_key = replies.at(1).as_text().value_or("");
  return stored;
}

std::optional<std::uint64_t> CaseStore::operation_sequence(const std::string& case_id, const std::string& op_key) {
  redis::RedisValue reply = redis_.next().command({"HGET", ops_key(case_id), op_key});
  if (reply.is_nil()) return std::nullopt;
  return static_cast<std::uint64_t>(reply.as_integer());
}

CaseStore::StageOutcome CaseStore::erase(const std::string& case_id, std::uint64_t sequence, const std::string& summary,
                                         const std::string& event, const std::string& op_key) {
  redis::RedisValue reply = redis_.next().eval(
      kErase, {case_key(case_id), data_key_key(case_id), ops_key(case_id), list_key(), staged_key(), changed_key()},
      {std::to_string(sequence), summary, event, op_key, blind_prefix(), case_id, std::to_string(now_ms())});
  return stage_outcome(reply.text);
}

std::vector<std::pair<std::string, std::int64_t>> CaseStore::list_ids(std::int64_t after_score, std::size_t limit) {
  redis::RedisValue reply = redis_.next().command({"ZRANGEBYSCORE", list_key(), "(" + std::to_string(after_score), "+inf",
                                                   "WITHSCORES", "LIMIT", "0", std::to_string(limit)});
  std::vector<std::pair<std::string, std::int64_t>> ids;
  for (std::size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
    ids.emplace_back(reply.elements[i].text, reply.elements[i + 1].as_integer());
  }
  return ids;
}

std::size_t CaseStore::index_older_changes(std::size_t batch) {
  const std::string complete = changed_key() + ":complete";
  if (redis_.next().command({"EXISTS", complete}).integer == 1) return 0;
  std::size_t added = 0;
  std::int64_t after = 0;
  for (;;) {
    const auto page = list_ids(after, batch);
    if (page.empty()) break;
    std::vector<std::string> ids;
    for (const auto& [id, score] : page) ids.push_back(id);
    const auto stored = summaries(ids);
    std::vector<redis::RedisClient::ScriptCall> calls;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      v1::CaseSummary summary;
      if (!stored[i] || !summary.ParseFromString(*stored[i])) continue;
      const auto& changed = summary.has_updated_at() ? summary.updated_at() : summary.created_at();
      calls.push_back({{case_key(ids[i]), changed_key()},
                       {std::to_string(google::protobuf::util::TimeUtil::TimestampToMilliseconds(changed)), ids[i]}});
    }
    if (!calls.empty()) {
      for (const auto& reply : redis_.next().eval_many(kIndexChange, calls)) added += static_cast<std::size_t>(reply.integer);
    }
    after = page.back().second;
    if (page.size() < batch) break;
  }
  redis_.next().command({"SET", complete, "1"});
  return added;
}

std::vector<std::string> CaseStore::changed_before(std::chrono::system_clock::time_point before, std::size_t skip,
                                                  std::size_t limit) {
  const auto before_ms = std::chrono::duration_cast<std::chrono::milliseconds>(before.time_since_epoch()).count();
  redis::RedisValue reply = redis_.next().command({"ZRANGEBYSCORE", changed_key(), "-inf", std::to_string(before_ms),
                                                   "LIMIT", std::to_string(skip), std::to_string(limit)});
  std::vector<std::string> ids;
  for (const auto& element : reply.elements) ids.push_back(element.text);
  return ids;
}

std::vector<std::string> CaseStore::staged_before(std::chrono::system_clock::time_point before, std::size_t limit) {
  const auto before_ms = std::chrono::duration_cast<std::chrono::milliseconds>(before.time_since_epoch()).count();
  redis::RedisValue reply = redis_.next().command(
      {"ZRANGEBYSCORE", staged_key(), "-inf", std::to_string(before_ms), "LIMIT", "0", std::to_string(limit)});
  std::vector<std::string> ids;
  for (const auto& element : reply.elements) ids.push_back(element.text);
  return ids;
}

void CaseStore::forget_if_settled(const std::string& case_id) {
  redis_.next().eval(kForgetIfSettled, {case_key(case_id), staged_key()}, {case_id});
}

std::vector<std::optional<std::string>> CaseStore::summaries(const std::vector<std::string>& case_ids) {
  std::vector<redis::Command> commands;
  for (const auto& id : case_ids) commands.push_back({"HGET", case_key(id), "summary"});
  std::vector<std::optional<std::string>> out;
  if (commands.empty()) return out;
  for (const auto& reply : redis_.next().pipeline(commands)) out.push_back(reply.as_text());
  return out;
}

}  // namespace pact::intake
