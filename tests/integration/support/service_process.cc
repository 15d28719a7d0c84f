#include "support/service_process.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <fstream>

#include <grpcpp/create_channel.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "security/client_identity.h"
#include "support/infrastructure.h"

namespace pact::testing {

namespace fs = std::filesystem;

namespace {

// The hub's security settings as the test set them (production with certificates and tokens, or
// development).
// ("{service}" in a certificate path is the service's own: the binaries expand it.)
std::string security_section(const config::SecuritySettings& security) {
  if (security.mode == config::SecurityMode::development && !security.tls.enabled() && security.policy_file.empty()) {
    return "security:\n  mode: development\n";
  }
  std::string yaml = "security:\n  mode: ";
  yaml += security.mode == config::SecurityMode::production ? "production\n" : "development\n";
  if (security.tls.enabled()) {
    yaml += "  tls:\n    certificate_file: " + security.tls.certificate_file + "\n    private_key_file: " +
            security.tls.private_key_file + "\n    ca_file: " + security.tls.ca_file + "\n    refresh_interval: " +
            std::to_string(security.tls.refresh_interval.count()) + "ms\n";
    if (!security.tls.peer_ca_file.empty()) yaml += "    peer_ca_file: " + security.tls.peer_ca_file + "\n";
  }
  if (security.tokens.enabled()) {
    yaml += "  tokens:\n    issuer: " + security.tokens.issuer + "\n    audience: " + security.tokens.audience +
            "\n    public_keys_directory: " + security.tokens.public_keys_directory + "\n";
  }
  if (!security.policy_file.empty()) yaml += "  policy_file: " + security.policy_file + "\n";
  yaml += "  rate_limit:\n    calls_per_second: " + std::to_string(static_cast<long>(security.rate_limit.calls_per_second)) +
          "\n    burst: " + std::to_string(static_cast<long>(security.rate_limit.burst)) + "\n";
  return yaml;
}

}  // namespace

ServiceProcess::ServiceProcess(std::string binary, const config::PlatformConfig& platform,
                               const std::string& own_sections_yaml, const std::string& listen)
    : binary_(std::move(binary)), ca_file_(platform.security.tls.ca_file) {
  dir_ = fs::path(::testing::TempDir()) / (fs::path(binary_).filename().string() + "-" + platform.hub.prefix());
  fs::create_directories(dir_);
  // The hub's jurisdictions as the test set them (two hubs of a handoff test serve different ones).
  std::string jurisdictions;
  for (const auto& code : platform.jurisdictions) jurisdictions += (jurisdictions.empty() ? "" : ", ") + code;
  if (jurisdictions.empty()) jurisdictions = "RS, MK";
  std::ofstream(dir_ / "service.yaml")
      << "hub:\n  prefix: " << platform.hub.prefix() << "\n  jurisdictions: [" << jurisdictions << "]\n"
      << "grpc:\n  drain_timeout: 2s\n  listen: " << listen << "\n"
      << "kafka:\n  bootstrap_servers: " << platform.kafka.bootstrap_servers << "\n  message_timeout: "
      << platform.kafka.message_timeout.count() << "ms\n"
      << "redis:\n  address: " << platform.redis.host << ":" << platform.redis.port << "\n"
      << security_section(platform.security) << own_sections_yaml;
}

void ServiceProcess::start() {
  process_.reset();
  fs::remove(dir_ / "ready.json");
  process_ = std::make_unique<ChildProcess>(
      std::string(PACT_BINARY_DIR) + "/" + binary_,
      std::vector<std::string>{"--config", (dir_ / "service.yaml").string(), "--ready-file", (dir_ / "ready.json").string()},
      (dir_ / "service.log").string());
  if (!eventually([&] { return fs::exists(dir_ / "ready.json"); }, std::chrono::seconds(30))) {
    ADD_FAILURE() << binary_ << " did not start: " << process_->log();
    return;
  }
  auto ports = nlohmann::json::parse(std::ifstream(dir_ / "ready.json"));
  address_ = "127.0.0.1:" + std::to_string(ports["grpc_port"].get<int>());
  health_port_ = ports["health_port"].get<int>();
}

void ServiceProcess::kill() {
  if (!process_) return;
  process_->signal(SIGKILL);
  process_->wait(std::chrono::seconds(10));
}

std::optional<int> ServiceProcess::stop() {
  if (!process_) return std::nullopt;
  process_->signal(SIGTERM);
  return process_->wait(std::chrono::seconds(30));
}

std::shared_ptr<grpc::Channel> ServiceProcess::channel() const {
  return security::ClientIdentity::for_person(ca_file_, "").channel(address_);
}

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

}  // namespace pact::testing
