#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include "config/hub.h"
#include "kafka/producer.h"
#include "redis/redis_client.h"
#include "routing_store.h"

namespace pact::routing {

// Publishes the events routing committed to its Redis outbox, oldest first, and drops them only
// once Kafka stored them: an event is never lost between Redis and Kafka. A crash between the two
// publishes an event again with the same id; consumers skip it. One replica relays at a time (a
// Redis lease), so the order of one case's events holds.
class OutboxRelay {
 public:
  struct Options {
    std::size_t batch = 256;
    std::chrono::milliseconds idle_wait{20};
    // Short, so a replica taking over after a crash waits little; a relay that loses it while Kafka
    // is slow drops nothing (the drop checks the lease), and a repeat carries the same event ids.
    std::chrono::milliseconds lease{5000};
  };

  OutboxRelay(const config::Hub& hub, const RoutingStore& store, redis::RedisClient& redis, kafka::Producer& producer,
              std::string owner, Options options);

  // Relays until stop(); returns when stopped.
  void run();
  void stop() { stopping_ = true; }
  // Relays what is there now; returns the number of events Kafka stored (for tests and run()).
  std::size_t relay_once();

 private:
  bool hold_lease();

  const config::Hub& hub_;
  const RoutingStore& store_;
  redis::RedisClient& redis_;
  kafka::Producer& producer_;
  std::string owner_;
  Options options_;
  std::atomic<bool> stopping_{false};
};

}  // namespace pact::routing
