#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>

namespace pact::rpc {

struct ServerHostOptions {
  std::string listen = "127.0.0.1:0";
  std::string health_listen = "127.0.0.1:0";
  std::chrono::milliseconds not_serving_grace{0};
  std::chrono::milliseconds drain_timeout{10000};
  std::chrono::milliseconds max_connection_age{0};  // 0: connections live until the client closes them
  // The main port's credentials (TLS in production); null: plaintext. The health port is always
  // plaintext and serves nothing but health.
  std::shared_ptr<grpc::ServerCredentials> credentials;
};

// Runs a service's gRPC API (callback API, health, reflection) and a second, plaintext server on
// its own port that serves only health, mirroring the main server's status, for Kubernetes' native
// gRPC probes (which cannot speak TLS). A second port on the same server would expose every service.
class ServerHost {
 public:
  explicit ServerHost(ServerHostOptions options);
  ~ServerHost();

  // `name` is the fully qualified service name, e.g. "pact.intake.v1.IntakeService".
  void add_service(grpc::Service* service, std::string name);
  std::vector<std::string> service_names() const;
  // Binds both ports and starts serving; throws std::runtime_error if a port cannot be bound.
  void start();
  int port() const { return port_; }
  int health_port() const { return health_port_; }

  // Sets SERVING / NOT_SERVING for the server and each service, on both servers.
  void set_serving(bool serving);
  // NOT_SERVING first (load balancers and probes stop sending), then after the grace period stop
  // taking calls and let running ones finish within drain_timeout. Idempotent.
  void shutdown();

 private:
  ServerHostOptions options_;
  std::vector<std::pair<grpc::Service*, std::string>> services_;
  grpc::CallbackGenericService unimplemented_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<grpc::Server> health_server_;
  int port_ = 0;
  int health_port_ = 0;
  bool shut_down_ = false;
};

}  // namespace pact::rpc
