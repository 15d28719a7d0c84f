#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include <grpcpp/channel.h>

#include "config/platform_config.h"
#include "support/child_process.h"

namespace pact::testing {

// A real service binary on a hub of the test infrastructure: its configuration is the platform
// sections of the hub plus the service's own sections; it is started with a ready file and can be
// stopped, killed with SIGKILL and started again on fresh ports.
class ServiceProcess {
 public:
  // `binary` relative to the build directory, e.g. "services/intake/pact-intake". `listen` fixes the
  // main gRPC address when another process must know it before this one starts (see free_port()).
  ServiceProcess(std::string binary, const config::PlatformConfig& platform, const std::string& own_sections_yaml,
                 const std::string& listen = "127.0.0.1:0");

  // Starts (or restarts) the process; a failure to become ready is a test failure.
  void start();
  void kill();
  // SIGTERM, then wait for the exit code.
  std::optional<int> stop();

  const std::string& address() const { return address_; }
  std::string health_address() const { return "127.0.0.1:" + std::to_string(health_port_); }
  // Plaintext, or TLS verifying the server against the hub's CA (no client certificate: callers
  // bring their identity per call).
  std::shared_ptr<grpc::Channel> channel() const;
  const std::filesystem::path& dir() const { return dir_; }
  ChildProcess& process() { return *process_; }
  std::string log() const { return process_ ? process_->log() : std::string(); }

 private:
  std::string binary_;
  std::filesystem::path dir_;
  std::unique_ptr<ChildProcess> process_;
  std::string address_;
  std::string ca_file_;  // empty: plaintext
  int health_port_ = 0;
};

// A loopback port that was free a moment ago.
int free_port();

}  // namespace pact::testing
