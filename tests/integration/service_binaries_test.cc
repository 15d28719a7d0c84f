#include <gtest/gtest.h>
#include <signal.h>

#include <cstdlib>
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

// Development secrets for the intake section (the other services ignore that section).
std::string intake_section() {
  fs::path dir = fs::path(::testing::TempDir()) / ("binaries-secrets-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string section = "intake:\n";
  for (const char* name : {"master_key_file", "id_key_file", "blind_index_key_file"}) {
    fs::path file = dir / name;
    std::ofstream(file) << std::string(64, 'a') << "\n";
    section += std::string("  ") + name + ": " + file.string() + "\n";
  }
  return section;
}

// Screening's section: the repository's catalogues; case events are not consumed (this test is about
// the process's life, screening's own tests consume).
std::string screening_section() {
  const std::string reference = std::string(PACT_SOURCE_DIR) + "/reference/screening";
  return "screening:\n  catalogue_dirs: [" + reference + "/catalogues]\n  messages_file: " + reference +
         "/messages.yaml\n  intake_address: 127.0.0.1:9\n  consume_case_events: false\n";
}

// Routing's section: the repository's SOP files; no events consumed (same reason as screening's).
std::string routing_section() {
  return "routing:\n  sop_dir: " + std::string(PACT_SOURCE_DIR) + "/reference/routing/sop\n  intake_address: 127.0.0.1:9\n"
         "  consume_events: false\n";
}

// Notification's section: a development ack key; no events consumed, no ack page.
std::string notification_section() {
  fs::path key = fs::path(::testing::TempDir()) / ("binaries-ack-" + std::to_string(::getpid()) + ".key");
  std::ofstream(key) << std::string(64, 'b') << "\n";
  return "notification:\n  directory_address: 127.0.0.1:9\n  ack_key_file: " + key.string() +
         "\n  ack_base_url: http://127.0.0.1:9/notify\n  consume_events: false\n";
}

std::string valid_config() {
  return intake_section() + "hub:\n  prefix: t-binaries\n  jurisdictions: [RS]\n"
         "grpc:\n  listen: 127.0.0.1:0\n  health_listen: 127.0.0.1:0\n  drain_timeout: 2s\n"
         "kafka:\n  bootstrap_servers: 127.0.0.1:9\n"
         "redis:\n  address: 127.0.0.1:6379\n"
         "metrics:\n  listen: 127.0.0.1:0\n"
         "security:\n  mode: development\n" +
         screening_section() + routing_section() + notification_section();
}

struct RunningService {
  std::unique_ptr<ChildProcess> process;
  std::string main_address;
  std::string health_address;
  int metrics_port = 0;
};

RunningService start_service(const std::string& service, const std::string& config_body) {
  fs::path config = write_config(service, config_body);
  fs::path ready = fs::path(::testing::TempDir()) / ("ready-" + service + "-" + std::to_string(::getpid()) + ".json");
  fs::remove(ready);
  RunningService running;
  running.process = std::make_unique<ChildProcess>(
      binary(service), std::vector<std::string>{"--config", config.string(), "--ready-file", ready.string()},
      ::testing::TempDir() + "/" + service + ".log");
  if (!eventually([&] { return fs::exists(ready); }, std::chrono::seconds(30))) {
    ADD_FAILURE() << service << " did not become ready: " << running.process->log();
    return running;
  }
  auto ports = nlohmann::json::parse(std::ifstream(ready));
  running.main_address = "127.0.0.1:" + std::to_string(ports["grpc_port"].get<int>());
  running.health_address = "127.0.0.1:" + std::to_string(ports["health_port"].get<int>());
  running.metrics_port = ports["metrics_port"].get<int>();
  return running;
}

class ServiceBinary : public ::testing::TestWithParam<std::string> {};

// Each service binary starts from its configuration, serves health on both ports and reflection on
// the main one, and stops cleanly (exit 0) on SIGTERM.
TEST_P(ServiceBinary, StartsServesHealthAndReflectionAndStopsCleanly) {
  const std::string service = GetParam();
  RunningService running = start_service(service, valid_config());
  ASSERT_TRUE(running.process);
  ChildProcess& process = *running.process;
  const std::string& main_address = running.main_address;
  const std::string& health_address = running.health_address;
  EXPECT_EQ(rpc::check_health(main_address).status, rpc::HealthStatus::serving);
  EXPECT_EQ(rpc::check_health(health_address).status, rpc::HealthStatus::serving);
  ReflectionAnswer reflection = list_services(main_address);
  EXPECT_TRUE(reflection.status.ok()) << reflection.status.error_message();
  EXPECT_NE(reflection.raw_response.find("grpc.health.v1.Health"), std::string::npos);
  ASSERT_GT(running.metrics_port, 0);
  std::string scrape = "curl -sf -o /dev/null http://127.0.0.1:" + std::to_string(running.metrics_port) + "/metrics";
  EXPECT_EQ(std::system(scrape.c_str()), 0) << "the Prometheus endpoint answers";
  process.signal(SIGTERM);
  EXPECT_EQ(process.wait(std::chrono::seconds(30)), 0) << process.log();
  std::string log = process.log();
  EXPECT_NE(log.find("\"msg\":\"stopped cleanly\""), std::string::npos) << log;
}

// Kubernetes and load balancers must see NOT_SERVING before the server stops taking calls.
TEST_P(ServiceBinary, SigtermTurnsHealthNotServingBeforeDraining) {
  const std::string service = GetParam();
  std::string config = valid_config();
  config.replace(config.find("  drain_timeout: 2s\n"), std::string("  drain_timeout: 2s\n").size(),
                 "  drain_timeout: 2s\n  not_serving_grace: 4s\n");
  RunningService running = start_service(service, config);
  ASSERT_TRUE(running.process);
  ASSERT_EQ(rpc::check_health(running.health_address).status, rpc::HealthStatus::serving);
  running.process->signal(SIGTERM);
  EXPECT_TRUE(eventually([&] {
    return rpc::check_health(running.health_address).status == rpc::HealthStatus::not_serving;
  }, std::chrono::seconds(3)));
  EXPECT_EQ(running.process->wait(std::chrono::seconds(30)), 0) << running.process->log();
}

TEST_P(ServiceBinary, CheckConfigReportsEveryProblemAndExitsTwo) {
  const std::string service = GetParam();
  fs::path config = write_config(service + "-bad", intake_section() + "hub:\n  prefix: Not Valid\nkafka:\n  bootstrap_servers: x:1\n"
                                                   "redis:\n  address: nope\ngrpc:\n  lisen: typo\n");
  ChildProcess process(binary(service), {"--config", config.string(), "--check-config"},
                       ::testing::TempDir() + "/" + service + "-check.log");
  EXPECT_EQ(process.wait(std::chrono::seconds(30)), 2);
  std::string log = process.log();
  EXPECT_NE(log.find(":6: hub.prefix"), std::string::npos) << log;  // after the 4-line intake section
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

// A start that fails half-way (here: the port is taken) must stop what already started and exit 1;
// before the fix the diagnostics process died with std::terminate (a joinable consumer thread).
TEST(ServiceStart, AFailedStartStopsCleanlyWithExitOne) {
  PACT_REQUIRE_INFRASTRUCTURE();
  config::PlatformConfig platform = Infrastructure::instance().new_hub("failed-start");
  RunningService first = start_service("intake", valid_config());
  ASSERT_TRUE(first.process);
  std::string config = intake_section() + "hub:\n  prefix: " + platform.hub.prefix() + "\n  jurisdictions: [RS]\n" +
                       "grpc:\n  listen: " + first.main_address + "\n" +
                       "kafka:\n  bootstrap_servers: " + platform.kafka.bootstrap_servers + "\n" +
                       "redis:\n  address: " + platform.redis.host + ":" + std::to_string(platform.redis.port) + "\n" +
                       "security:\n  mode: development\n";
  ChildProcess diagnostics(std::string(PACT_BINARY_DIR) + "/tools/diagnostics/pact-diagnostics",
                           {"--config", write_config("diagnostics-taken-port", config).string()},
                           ::testing::TempDir() + "/diagnostics-taken-port.log");
  EXPECT_EQ(diagnostics.wait(std::chrono::seconds(30)), 1) << diagnostics.log();
}

INSTANTIATE_TEST_SUITE_P(AllServices, ServiceBinary,
                         ::testing::Values("intake", "screening", "routing", "notification"));

}  // namespace
}  // namespace pact::testing
