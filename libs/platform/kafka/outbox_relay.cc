#include "kafka/outbox_relay.h"

#include <future>
#include <memory>
#include <thread>
#include <vector>

#include "kafka/envelope_record.h"
#include "log/logger.h"
#include "redis/lua_script.h"

namespace pact::kafka {
namespace {

// KEYS: lease. ARGV: owner, lease ms. Takes a free lease or renews our own.
const redis::LuaScript kLease(R"lua(
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
)lua");

// KEYS: lease, outbox. ARGV: owner, count, first entry read. Drops the stored prefix only while
// the lease is still ours and the outbox still starts with what we read: a relay that lost its
// lease (paused longer than the lease while Kafka was slow) must not trim what another relayed.
const redis::LuaScript kDrop(R"lua(
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if redis.call('LINDEX', KEYS[2], 0) ~= ARGV[3] then return 0 end
redis.call('LTRIM', KEYS[2], ARGV[2], -1)
return 1
)lua");

}  // namespace

OutboxRelay::OutboxRelay(const config::Hub& hub, Outbox outbox, redis::RedisClient& redis, Producer& producer,
                         std::string owner, Options options)
    : hub_(hub),
      outbox_(std::move(outbox)),
      redis_(redis),
      producer_(producer),
      owner_(std::move(owner)),
      options_(options) {}

bool OutboxRelay::hold_lease() {
  return redis_.eval(kLease, {outbox_.lease_key}, {owner_, std::to_string(options_.lease.count())}).as_integer() == 1;
}

std::size_t OutboxRelay::relay_once() {
  if (!hold_lease()) return 0;
  std::vector<std::string> values;
  for (auto& entry :
       redis_.command({"LRANGE", outbox_.list_key, "0", std::to_string(options_.batch - 1)}).elements) {
    values.push_back(std::move(entry.text));
  }
  if (values.empty()) return 0;
  std::vector<std::promise<DeliveryResult>> deliveries(values.size());
  std::unique_ptr<google::protobuf::Message> event(outbox_.envelope_type->New());
  std::size_t produced = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!event->ParseFromString(values[i])) {
      // Only the owning service writes its outbox; an unreadable entry would block every later event.
      log::error("dropping an unreadable outbox entry", {{"position", std::to_string(i)}});
      deliveries[i].set_value({DeliveryStatus::stored, "", -1, -1});
      ++produced;
      continue;
    }
    producer_.produce(envelope_record(hub_, outbox_.topic_base, outbox_.service, *event, ""),
                      [&deliveries, i](const DeliveryResult& result) { deliveries[i].set_value(result); });
    ++produced;
  }
  // Drop only the stored prefix: a later event must not overtake an earlier one of its case.
  std::size_t stored = 0;
  bool gap = false;
  for (auto& delivery : deliveries) {
    const DeliveryResult result = delivery.get_future().get();
    if (!result.stored()) gap = true;
    if (!gap) ++stored;
  }
  if (stored > 0) {
    const bool dropped = redis_.eval(kDrop, {outbox_.lease_key, outbox_.list_key},
                                     {owner_, std::to_string(stored), values.front()})
                             .as_integer() == 1;
    if (!dropped) {
      log::warn("outbox lease lost while publishing; the new holder relays (duplicates carry the same ids)", {});
      return 0;
    }
  }
  if (gap) log::warn("the event outbox waits for Kafka", {{"topic", outbox_.topic_base}, {"stored", std::to_string(stored)}});
  return stored;
}

void OutboxRelay::run() {
  while (!stopping_) {
    std::size_t relayed = 0;
    try {
      relayed = relay_once();
    } catch (const std::exception& e) {
      log::warn("outbox relay paused", {{"error", e.what()}});
    }
    if (relayed == 0) std::this_thread::sleep_for(options_.idle_wait);
  }
}

}  // namespace pact::kafka
