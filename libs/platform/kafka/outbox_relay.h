#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include <google/protobuf/message.h>

#include "config/hub.h"
#include "kafka/producer.h"
#include "redis/redis_client.h"

namespace pact::kafka {

// Where a service's outbox lives and what it holds: a Redis list of serialized event envelopes
// (written in the same atomic step as the change they report) and the topic they go to.
struct Outbox {
  std::string list_key;   // full Redis key of the list, oldest first
  std::string lease_key;  // full Redis key of the relay lease
  std::string topic_base;
  std::string service;  // the CloudEvents source's service part
  const google::protobuf::Message* envelope_type = nullptr;  // a default instance of the envelope
};

// Publishes the events a service committed to its Redis outbox, oldest first, and drops them only
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

  OutboxRelay(const config::Hub& hub, Outbox outbox, redis::RedisClient& redis, Producer& producer, std::string owner,
              Options options);

  // Relays until stop(); returns when stopped.
  void run();
  void stop() { stopping_ = true; }
  // Relays what is there now; returns the number of events Kafka stored (for tests and run()).
  std::size_t relay_once();

 private:
  bool hold_lease();

  const config::Hub& hub_;
  Outbox outbox_;
  redis::RedisClient& redis_;
  Producer& producer_;
  std::string owner_;
  Options options_;
  std::atomic<bool> stopping_{false};
};

}  // namespace pact::kafka
