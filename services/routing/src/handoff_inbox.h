#pragma once

#include <optional>
#include <string>

#include "config/hub.h"
#include "pact/routing/v1/handoff.pb.h"
#include "redis/redis_client.h"

namespace pact::routing {

// Handoffs offered to this hub, by id (<hub>:routing:handoff-in:<id>), from the offer until the
// case is erased. Receiving side only; the sending side keeps its handoffs in the case's state.
class HandoffInbox {
 public:
  HandoffInbox(const config::Hub& hub, redis::RedisClient& redis) : hub_(hub), redis_(redis) {}

  std::optional<pact::routing::v1::Handoff> load(const std::string& handoff_id) const;
  void save(const pact::routing::v1::Handoff& handoff) const;

 private:
  const config::Hub& hub_;
  redis::RedisClient& redis_;
};

}  // namespace pact::routing
