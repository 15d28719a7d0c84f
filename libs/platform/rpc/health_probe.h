#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <grpcpp/security/credentials.h>

namespace pact::rpc {

enum class HealthStatus { serving, not_serving, service_unknown, unreachable };

struct HealthAnswer {
  HealthStatus status = HealthStatus::unreachable;
  std::string detail;  // why it is unreachable
};

// Asks grpc.health.v1.Health/Check at `address` (plaintext) about `service` ("" = the server as a
// whole), the way Kubernetes' gRPC probe does, without needing health.proto.
// `credentials` null: plaintext (the health-only port); TLS ones for a service's main port.
HealthAnswer check_health(const std::string& address, const std::string& service = "",
                          std::chrono::milliseconds timeout = std::chrono::seconds(3),
                          const std::shared_ptr<grpc::ChannelCredentials>& credentials = nullptr);

const char* to_string(HealthStatus status);

}  // namespace pact::rpc
