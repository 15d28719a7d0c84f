#include "support/infrastructure.h"

#include <cstdlib>

#include "crypto/keyed_hash.h"
#include "crypto/secret_key.h"
#include "kafka/topic_admin.h"
#include "kafka/topics.h"
#include "log/logger.h"

namespace pact::testing {

Infrastructure& Infrastructure::instance() {
  static Infrastructure infrastructure;
  return infrastructure;
}

Infrastructure::Infrastructure() {
  const char* redis = std::getenv("PACT_TEST_REDIS_ADDRESS");
  redis_address_ = redis != nullptr ? redis : "";
  const char* kafka = std::getenv("PACT_TEST_KAFKA_BOOTSTRAP");
  std::string kafka_setting = kafka != nullptr ? kafka : "embedded";
  if (kafka_setting == "embedded") {
    embedded_ = std::make_unique<kafka::EmbeddedKafka>();
    bootstrap_ = embedded_->bootstrap_servers();
  } else {
    bootstrap_ = kafka_setting;
  }
  log::init({"integration-test", "-", log::Level::warn});
}

redis::RedisEndpoint Infrastructure::redis_endpoint() const {
  redis::RedisEndpoint endpoint;
  size_t colon = redis_address_.rfind(':');
  endpoint.host = redis_address_.substr(0, colon);
  endpoint.port = std::stoi(redis_address_.substr(colon + 1));
  return endpoint;
}

config::PlatformConfig Infrastructure::new_hub(std::string_view test_name) {
  std::string suffix = crypto::to_hex(crypto::SecretKey::generate().view().substr(0, 4));
  std::string prefix = "t-" + suffix;
  (void)test_name;
  config::PlatformConfig platform;
  platform.service_name = "test";
  platform.hub = config::Hub(prefix);
  platform.kafka.bootstrap_servers = bootstrap_;
  // Generous: a broker that was just restarted may take a few seconds to lead new partitions.
  platform.kafka.message_timeout = std::chrono::seconds(10);
  platform.redis = redis_endpoint();
  platform.security.mode = config::SecurityMode::development;
  if (embedded_) {
    embedded_->create_topics(platform.hub, kafka::declared_topics());
  } else {
    kafka::ensure_topics(platform.kafka, platform.hub, kafka::declared_topics(), 1, std::chrono::seconds(30));
  }
  return platform;
}

}  // namespace pact::testing
