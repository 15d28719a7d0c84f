#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "rpc/health_probe.h"
#include "support/child_process.h"
#include "support/infrastructure.h"
#include "support/reflection_probe.h"

namespace pact::testing {
namespace {

namespace fs = std::filesystem;

std::string binary(const std::string& service) {
  return std::string(PACT_BINARY_DIR) + "/services/" + service + "/pact-" + service;
}

fs::path write_config(const std::string& name, const std::string& body) {
  fs::path path = fs::path(::testing::TempDir()) / (name + "-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(path) << body;
  return path;
}

std::string valid_config() {
  return "hub:\n  prefix: t-binaries\n  jurisdictions: [RS]\n"
         "grpc:\n  listen: 127.0.0.1:0\n  health_listen: 127.0.0.1:0\n  drain_timeout: 2s\n"
         "kafka:\n  bootstrap_servers: 127.0.0.1:9\n"
         "redis:\n  address: 127.0.0.1:6379\n"
         "security:\n  mode: development\n";
}

class ServiceBinary : public ::testing::TestWithParam<std::string> {};

// Each service binary starts from its configuration, serves health on both ports and reflection on
// the main one, and stops cleanly (exit 0) on SIGTERM.
TEST_P(ServiceBinary, StartsServesHealthAndReflectionAndStopsCleanly) {
  const std::string service = GetParam();
  fs::path config = write_config(service, valid_config());
  fs::path ready = fs::path(::testing::TempDir()) / ("ready-" + service + "-" + std::to_string(::getpid()) + ".json");
  fs::remove(ready);
  ChildProcess process(binary(service), {"--config", config.string(), "--ready-file", ready.string()},
                       ::testing::TempDir() + "/" + service + ".log");
  ASSERT_TRUE(eventually([&] { return fs::exists(ready); }, std::chrono::seconds(30))) << process.log();
  auto ports = nlohmann::json::parse(std::ifstream(ready));
  const std::string main_address = "127.0.0.1:" + std::to_string(ports["grpc_port"].get<int>());
  const std::string health_address = "127.0.0.1:" + std::to_string(ports["health_port"].get<int>());
  EXPECT_EQ(rpc::check_health(main_address).status, rpc::HealthStatus::serving);
  EXPECT_EQ(rpc::check_health(health_address).status, rpc::HealthStatus::serving);
  ReflectionAnswer reflection = list_services(main_address);
  EXPECT_TRUE(reflection.status.ok()) << reflection.status.error_message();
  EXPECT_NE(reflection.raw_response.find("grpc.health.v1.Health"), std::string::npos);
  process.signal(SIGTERM);
  EXPECT_EQ(process.wait(std::chrono::seconds(30)), 0) << process.log();
  std::string log = process.log();
  EXPECT_NE(log.find("\"msg\":\"stopped cleanly\""), std::string::npos) << log;
}

TEST_P(ServiceBinary, CheckConfigReportsEveryProblemAndExitsTwo) {
  const std::string service = GetParam();
  fs::path config = write_config(service + "-bad", "hub:\n  prefix: Not Valid\nkafka:\n  bootstrap_servers: x:1\n"
                                                   "redis:\n  address: nope\ngrpc:\n  lisen: typo\n");
  ChildProcess process(binary(service), {"--config", config.string(), "--check-config"},
                       ::testing::TempDir() + "/" + service + "-check.log");
  EXPECT_EQ(process.wait(std::chrono::seconds(30)), 2);
  std::string log = process.log();
  EXPECT_NE(log.find(":2: hub.prefix"), std::string::npos) << log;
  EXPECT_NE(log.find("redis.address: must be host:port"), std::string::npos) << log;
  EXPECT_NE(log.find("grpc.lisen: unknown key"), std::string::npos) << log;
}

TEST_P(ServiceBinary, CheckConfigAcceptsAValidFile) {
  const std::string service = GetParam();
  ChildProcess process(binary(service), {"--config", write_config(service + "-ok", valid_config()).string(),
                                         "--check-config"},
                       ::testing::TempDir() + "/" + service + "-check-ok.log");
  EXPECT_EQ(process.wait(std::chrono::seconds(30)), 0) << process.log();
}

INSTANTIATE_TEST_SUITE_P(AllServices, ServiceBinary,
                         ::testing::Values("intake", "screening", "routing", "notification"));

}  // namespace
}  // namespace pact::testing
