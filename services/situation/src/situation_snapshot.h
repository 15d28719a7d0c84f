#pragma once

#include <optional>
#include <string>

#include "config/hub.h"
#include "pact/situation/v1/situation_state.pb.h"
#include "redis/redis_client.h"

namespace pact::situation {

// The read model's snapshot in Redis: its state and the topic positions that state reflects, in
// one value, so they can never disagree. Losing it costs a rebuild from the topics, nothing else.
//   <hub>:situation:snapshot
class SnapshotStore {
 public:
  SnapshotStore(redis::RedisClient& redis, const config::Hub& hub);

  // The snapshot, or nullopt when there is none or it cannot be used (unreadable, another hub's):
  // either way the read model rebuilds from the topics. Throws RedisUnavailable.
  std::optional<v1::SituationSnapshot> load();
  // Throws RedisUnavailable.
  void save(const v1::SituationSnapshot& snapshot);
  void discard();
  const std::string& key() const { return key_; }

 private:
  redis::RedisClient& redis_;
  std::string hub_;
  std::string key_;
};

}  // namespace pact::situation
