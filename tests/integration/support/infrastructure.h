#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "config/platform_config.h"
#include "kafka/embedded_kafka.h"
#include "redis/redis_client.h"

namespace pact::testing {

// The Kafka and Redis the integration tests run against: a real broker and redis-server started
// by deploy/test-all.sh (addresses in PACT_TEST_KAFKA_BOOTSTRAP and PACT_TEST_REDIS_ADDRESS), or,
// with PACT_TEST_KAFKA_BOOTSTRAP=embedded, librdkafka's mock cluster hosted in this process.
// Every test works under its own hub prefix, so one broker and one Redis serve the whole suite.
class Infrastructure {
 public:
  static Infrastructure& instance();

  bool available() const { return !redis_address_.empty(); }
  bool real_broker() const { return embedded_ == nullptr; }
  const std::string& bootstrap_servers() const { return bootstrap_; }
  redis::RedisEndpoint redis_endpoint() const;

  // A fresh hub with all declared topics created, and a platform config pointing at it.
  config::PlatformConfig new_hub(std::string_view test_name);

 private:
  Infrastructure();
  std::unique_ptr<kafka::EmbeddedKafka> embedded_;
  std::string bootstrap_;
  std::string redis_address_;
};

// Skips the test (with the reason) when the suite is run without its infrastructure.
#define PACT_REQUIRE_INFRASTRUCTURE()                                                       \
  if (!::pact::testing::Infrastructure::instance().available()) {                           \
    GTEST_SKIP() << "PACT_TEST_REDIS_ADDRESS is not set: run through deploy/test-all.sh"; \
  }

// Polls `condition` every 10 ms until it holds or `limit` passes; returns whether it held.
// (A wait with a generous limit, never a timed assertion about speed.)
template <class Condition>
bool eventually(Condition condition, std::chrono::milliseconds limit = std::chrono::seconds(60)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

}  // namespace pact::testing
