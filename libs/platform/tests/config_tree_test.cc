#include "config/config_tree.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/hub.h"
#include "config/platform_config.h"

namespace pact::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr const char* kValid = R"yaml(
hub:
  prefix: wb-rs
  jurisdictions: [RS, MK]
kafka:
  bootstrap_servers: 127.0.0.1:9092
  message_timeout: 3s
  properties:
    socket.timeout.ms: "5000"
redis:
  address: 127.0.0.1:6379
security:
  mode: development
)yaml";

std::vector<std::string> problems_of(ConfigTree& tree) {
  try {
    tree.finish();
  } catch (const ConfigError& e) {
    return e.problems();
  }
  return {};
}

TEST(ConfigTree, ReadsTypedValuesFromYaml) {
  ConfigTree tree = ConfigTree::from_string(kValid, "hub.yaml", {});
  PlatformConfig config = read_platform_config(tree, "intake");
  EXPECT_TRUE(problems_of(tree).empty());
  EXPECT_EQ(config.hub.prefix(), "wb-rs");
  EXPECT_THAT(config.jurisdictions, ElementsAre("RS", "MK"));
  EXPECT_EQ(config.kafka.message_timeout, std::chrono::seconds(3));
  EXPECT_EQ(config.kafka.properties.at("socket.timeout.ms"), "5000");
  EXPECT_EQ(config.redis.port, 6379);
  EXPECT_EQ(config.security.mode, SecurityMode::development);
}

TEST(ConfigTree, EnvironmentOverridesFileValues) {
  Environment environment = {{"PACT__KAFKA__BOOTSTRAP_SERVERS", "10.0.0.1:9093"},
                             {"PACT__HUB__JURISDICTIONS", "AL, XK"},
                             {"PACT_KAFKA_STATE_DIR", "/not/a/config/key"}};
  ConfigTree tree = ConfigTree::from_string(kValid, "hub.yaml", environment);
  PlatformConfig config = read_platform_config(tree, "intake");
  EXPECT_TRUE(problems_of(tree).empty());
  EXPECT_EQ(config.kafka.bootstrap_servers, "10.0.0.1:9093");
  EXPECT_THAT(config.jurisdictions, ElementsAre("AL", "XK"));
}

TEST(ConfigTree, ReportsEveryProblemWithFileAndLine) {
  constexpr const char* yaml = R"yaml(hub:
  prefix: Bad_Prefix
  jurisdictions: [RS, FR]
kafka:
  bootstrap_servers: 127.0.0.1:9092
  message_timeout: soon
  bootstrap_server: typo
redis:
  address: no-port
)yaml";
  ConfigTree tree = ConfigTree::from_string(yaml, "hub.yaml", {});
  read_platform_config(tree, "intake");
  auto problems = problems_of(tree);
  std::string all;
  for (const auto& p : problems) all += p + "\n";
  EXPECT_THAT(all, HasSubstr("hub.yaml:2: hub.prefix: must be 1-32 characters"));
  EXPECT_THAT(all, HasSubstr("'FR' is not one of AL, BA, XK, ME, MK, RS"));
  EXPECT_THAT(all, HasSubstr("hub.yaml:6: kafka.message_timeout: must be a duration"));
  EXPECT_THAT(all, HasSubstr("hub.yaml:7: kafka.bootstrap_server: unknown key"));
  EXPECT_THAT(all, HasSubstr("hub.yaml:9: redis.address: must be host:port"));
}

TEST(ConfigTree, ConnectionAgeIsReadAndBounded) {
  Environment aged = {{"PACT__GRPC__MAX_CONNECTION_AGE", "2m"}};
  ConfigTree tree = ConfigTree::from_string(kValid, "hub.yaml", aged);
  EXPECT_EQ(read_platform_config(tree, "intake").grpc.max_connection_age, std::chrono::minutes(2));
  EXPECT_TRUE(problems_of(tree).empty());

  ConfigTree unset = ConfigTree::from_string(kValid, "hub.yaml", {});
  EXPECT_EQ(read_platform_config(unset, "intake").grpc.max_connection_age, std::chrono::milliseconds(0));

  ConfigTree too_long = ConfigTree::from_string(kValid, "hub.yaml", {{"PACT__GRPC__MAX_CONNECTION_AGE", "30d"}});
  read_platform_config(too_long, "intake");
  std::string all;
  for (const auto& p : problems_of(too_long)) all += p + "\n";
  EXPECT_THAT(all, HasSubstr("grpc.max_connection_age: must be at most 24h"));
}

TEST(ConfigTree, MissingRequiredKeysAreNamed) {
  ConfigTree tree = ConfigTree::from_string("logging:\n  level: info\n", "min.yaml", {});
  read_platform_config(tree, "intake");
  std::string all;
  for (const auto& p : problems_of(tree)) all += p + "\n";
  EXPECT_THAT(all, HasSubstr("hub.prefix: is required"));
  EXPECT_THAT(all, HasSubstr("kafka.bootstrap_servers: is required"));
  EXPECT_THAT(all, HasSubstr("redis.address: is required"));
}

TEST(ConfigTree, UnknownEnvironmentOverrideIsAnError) {
  ConfigTree tree = ConfigTree::from_string(kValid, "hub.yaml", {{"PACT__KAFKA__BOOTSTRAP", "x"}});
  read_platform_config(tree, "intake");
  std::string all;
  for (const auto& p : problems_of(tree)) all += p + "\n";
  EXPECT_THAT(all, HasSubstr("environment: kafka.bootstrap: unknown key"));
}

TEST(ConfigTree, InvalidYamlGivesTheLine) {
  try {
    ConfigTree::from_string("hub:\n  prefix: [unclosed\n", "broken.yaml", {});
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_THAT(e.what(), HasSubstr("broken.yaml:"));
    EXPECT_THAT(e.what(), HasSubstr("not valid YAML"));
  }
}

TEST(ConfigTree, DurationsAndBoundsAreChecked) {
  ConfigTree tree = ConfigTree::from_string("a: 250ms\nb: 2m\nc: 7d\nn: 500\n", "t.yaml", {});
  EXPECT_EQ(tree.duration("a", std::nullopt), std::chrono::milliseconds(250));
  EXPECT_EQ(tree.duration("b", std::nullopt), std::chrono::minutes(2));
  EXPECT_EQ(tree.duration("c", std::nullopt), std::chrono::hours(168));
  EXPECT_EQ(tree.integer("n", 1, 1, 100), 1);
  auto problems = problems_of(tree);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0], HasSubstr("n: must be between 1 and 100, got 500"));
}

// Before the fix an environment override of kafka.properties replaced the file's whole map, so
// TLS/SASL settings from the file silently disappeared.
TEST(ConfigTree, EnvironmentPropertiesMergeOverTheFilesMap) {
  ConfigTree tree = ConfigTree::from_string(
      "kafka:\n  properties:\n    security.protocol: SSL\n    socket.timeout.ms: \"5000\"\n", "k.yaml",
      {{"PACT__KAFKA__PROPERTIES", "socket.timeout.ms=7000; sasl.mechanisms=PLAIN"}});
  auto properties = tree.text_map("kafka.properties");
  EXPECT_TRUE(problems_of(tree).empty());
  EXPECT_EQ(properties.at("security.protocol"), "SSL");
  EXPECT_EQ(properties.at("socket.timeout.ms"), "7000");
  EXPECT_EQ(properties.at("sasl.mechanisms"), "PLAIN");
}

// Before the fix a huge duration overflowed into a negative one.
TEST(ConfigTree, AbsurdDurationsAreRejectedInsteadOfOverflowing) {
  ConfigTree tree = ConfigTree::from_string("a: 99999999999999d\nb: 3650d\n", "d.yaml", {});
  tree.duration("a", std::chrono::seconds(1));
  EXPECT_EQ(tree.duration("b", std::nullopt), std::chrono::hours(24 * 3650));
  auto problems = problems_of(tree);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0], HasSubstr("a: must be a duration"));
}

TEST(ConfigTree, IgnoredSectionsAreNotUnknown) {
  ConfigTree tree = ConfigTree::from_string("intake:\n  master_key_file: /x\nmine: 1\n", "s.yaml", {});
  tree.ignore("intake");
  tree.integer("mine", std::nullopt, 0, 5);
  EXPECT_TRUE(problems_of(tree).empty());
}

TEST(Hub, PrefixesTopicsGroupsAndKeys) {
  Hub hub("wb-rs");
  EXPECT_EQ(hub.topic("pact.case.v1"), "wb-rs.pact.case.v1");
  EXPECT_EQ(hub.consumer_group("screening"), "wb-rs.screening");
  EXPECT_EQ(hub.redis_key({"case", "c1"}), "wb-rs:case:c1");
  EXPECT_THROW(Hub("Upper"), std::invalid_argument);
  EXPECT_THROW(Hub(""), std::invalid_argument);
  EXPECT_THROW(Hub("1abc"), std::invalid_argument);
  EXPECT_THROW(Hub("a.b"), std::invalid_argument);
}

}  // namespace
}  // namespace pact::config
