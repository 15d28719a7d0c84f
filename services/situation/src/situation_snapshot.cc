#include "situation_snapshot.h"

#include "log/logger.h"

namespace pact::situation {

SnapshotStore::SnapshotStore(redis::RedisClient& redis, const config::Hub& hub)
    : redis_(redis), hub_(hub.prefix()), key_(hub.redis_key({"situation", "snapshot"})) {}

std::optional<v1::SituationSnapshot> SnapshotStore::load() {
  const auto reply = redis_.command({"GET", key_});
  if (reply.is_error()) throw std::runtime_error("reading the situation snapshot: " + reply.text);
  const auto bytes = reply.as_text();
  if (!bytes) return std::nullopt;
  v1::SituationSnapshot snapshot;
  if (!snapshot.ParseFromString(*bytes) || snapshot.hub() != hub_) {
    log::warn("situation snapshot unusable, rebuilding from the topics", {{"key", key_}});
    return std::nullopt;
  }
  return snapshot;
}

void SnapshotStore::save(const v1::SituationSnapshot& snapshot) {
  v1::SituationSnapshot stamped = snapshot;
  stamped.set_hub(hub_);
  const auto reply = redis_.command({"SET", key_, stamped.SerializeAsString()});
  if (reply.is_error()) throw std::runtime_error("writing the situation snapshot: " + reply.text);
}

void SnapshotStore::discard() { redis_.command({"DEL", key_}); }

}  // namespace pact::situation
