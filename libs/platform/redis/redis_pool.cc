#include "redis/redis_pool.h"

namespace pact::redis {

RedisPool::RedisPool(const RedisEndpoint& endpoint, std::size_t size) {
  for (std::size_t i = 0; i < std::max<std::size_t>(size, 1); ++i) clients_.push_back(std::make_unique<RedisClient>(endpoint));
}

RedisClient& RedisPool::next() { return *clients_[cursor_++ % clients_.size()]; }

}  // namespace pact::redis
