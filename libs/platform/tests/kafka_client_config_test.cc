#include "kafka/client_config.h"

#include <gtest/gtest.h>

namespace pact::kafka {
namespace {

config::KafkaSettings settings_with(std::map<std::string, std::string> properties) {
  config::KafkaSettings settings;
  settings.bootstrap_servers = "127.0.0.1:9092";
  settings.properties = std::move(properties);
  return settings;
}

std::string get(RdKafka::Conf& conf, const std::string& name) {
  std::string value;
  conf.get(name, value);
  return value;
}

TEST(KafkaClientConfig, OperatorPropertiesWinOverRoleDefaults) {
  auto conf = make_client_conf(settings_with({{"linger.ms", "10"}}), {{"linger.ms", "2"}});
  EXPECT_EQ(get(*conf, "linger.ms"), "10");
}

// Before the fix an operator's `acks=1` silently turned off the durability guarantee.
TEST(KafkaClientConfig, GuaranteesCannotBeConfiguredAway) {
  EXPECT_THROW(make_client_conf(settings_with({{"acks", "1"}}), {}, {{"acks", "all"}}), KafkaConfigError);
  EXPECT_THROW(make_client_conf(settings_with({{"enable.idempotence", "false"}}), {}, {{"enable.idempotence", "true"}}),
               KafkaConfigError);
  auto conf = make_client_conf(settings_with({}), {}, {{"enable.idempotence", "true"}});
  EXPECT_EQ(get(*conf, "enable.idempotence"), "true");
}

// Before the fix a cooperative strategy made the eager assign() fail and nothing was consumed.
TEST(KafkaClientConfig, CooperativeRebalancingIsRefusedAtStart) {
  EXPECT_THROW(make_client_conf(settings_with({{"partition.assignment.strategy", "cooperative-sticky"}}), {}),
               KafkaConfigError);
}

TEST(KafkaClientConfig, UnknownPropertiesAreNamed) {
  try {
    make_client_conf(settings_with({{"no.such.property", "1"}}), {});
    FAIL() << "expected an error";
  } catch (const KafkaConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("no.such.property"), std::string::npos);
  }
}

}  // namespace
}  // namespace pact::kafka
