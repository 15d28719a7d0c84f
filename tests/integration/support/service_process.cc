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

#include "support/infrastructure.h"

namespace pact::testing {

namespace fs = std::filesystem;

ServiceProcess::ServiceProcess(std::string binary, const config::PlatformConfig& platform,
                               const std::string& own_sections_yaml, const std::string& listen)
    : binary_(std::move(binary)) {
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
      << "security:\n  mode: development\n"
      << own_sections_yaml;
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
  return grpc::CreateChannel(address_, grpc::InsecureChannelCredentials());
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
