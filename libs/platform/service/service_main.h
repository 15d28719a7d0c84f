#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "config/config_tree.h"
#include "config/platform_config.h"
#include "metrics/metrics_endpoint.h"
#include "rpc/call_gate.h"
#include "rpc/server_host.h"
#include "security/client_identity.h"

namespace pact::service {

// What a service gets to wire itself with.
struct Runtime {
  const config::PlatformConfig& platform;
  rpc::ServerHost& server;
  const rpc::CallGate& gate;
  metrics::MetricsEndpoint& metrics;
  // Channels and identity for the calls this service makes to others (mutual TLS in production).
  const security::ClientIdentity& calls;
};

// A service binary's own parts. The platform handles configuration, logging, metrics, the gRPC
// servers, identity and shutdown; main.cpp hands over an implementation of this.
class Service {
 public:
  virtual ~Service() = default;
  // Reads the service's own configuration sections; problems are recorded in the tree.
  virtual void read_config(config::ConfigTree& /*tree*/, const config::PlatformConfig& /*platform*/) {}
  // Builds clients and handlers and registers gRPC services on runtime.server (not started yet).
  virtual void start(Runtime& /*runtime*/) {}
  // Called when the process is told to stop, before the gRPC servers drain: end calls that would
  // otherwise never finish (server streams), so the drain does not wait them out.
  virtual void stopping() {}
  // Called after the gRPC servers have drained: stop consumers, flush producers.
  virtual void stop() {}
  // Adds what else the process serves (e.g. an HTTP port) to the --ready-file's JSON.
  virtual void describe_ready(nlohmann::json& /*ready*/) const {}
};

// The whole life of a service process:
//   <binary> --config FILE [--check-config] [--ready-file FILE]
// Exit codes: 0 clean stop, 1 failure while running, 2 bad command line or configuration.
int run_service(int argc, char** argv, const std::string& name, std::unique_ptr<Service> service);

}  // namespace pact::service
