#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include "redis/redis_client.h"

namespace pact::redis {

// A few connections shared by many threads: each RedisClient serialises its calls, so a service
// whose executor threads all talk to Redis spreads them over `size` connections.
class RedisPool {
 public:
  RedisPool(const RedisEndpoint& endpoint, std::size_t size);
  // A connection for the next call (round robin). Valid for the pool's lifetime.
  RedisClient& next();
  std::size_t size() const { return clients_.size(); }

 private:
  std::vector<std::unique_ptr<RedisClient>> clients_;
  std::atomic<std::size_t> cursor_{0};
};

}  // namespace pact::redis
