#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "config/config_tree.h"
#include "config/hub.h"
#include "redis/redis_client.h"

namespace pact::config {

enum class SecurityMode { development, production };

struct GrpcSettings {
  std::string listen = "127.0.0.1:0";         // main API (port 0 picks a free port)
  std::string health_listen = "127.0.0.1:0";  // plaintext, health only (Kubernetes probes)
  std::chrono::milliseconds not_serving_grace{0};  // NOT_SERVING before draining, for load balancers
  std::chrono::milliseconds drain_timeout{10000};
  // Connections are closed (gracefully) after this long, so clients re-resolve and spread over the
  // replicas behind a Kubernetes Service instead of staying on one pod. 0: never.
  std::chrono::milliseconds max_connection_age{0};
  int executor_threads = 16;  // mostly waiting on Redis, not computing (Kafka is awaited without a thread)
  int executor_queue = 1024;
};

struct KafkaSettings {
  std::string bootstrap_servers;
  std::chrono::milliseconds message_timeout{5000};  // a dead broker is noticed in seconds
  std::map<std::string, std::string> properties{};   // passed through to librdkafka
};

struct LoggingSettings {
  std::string level = "info";
};

struct MetricsSettings {
  std::string listen;  // empty: no metrics endpoint
};

// Certificates for every gRPC server and client of the process (mutual TLS between services and
// between hubs). The files are watched and reloaded, so a rotated Secret takes effect without a
// restart. All three or none (plaintext, development mode only).
struct TlsSettings {
  std::string certificate_file;  // PEM chain; also presented as the client certificate
  std::string private_key_file;
  std::string ca_file;           // this hub's CA: the only one that can prove this hub's services
  std::string peer_ca_file;      // peer hubs' CAs (optional): trusted for peer identities only
  std::chrono::milliseconds refresh_interval{60000};
  bool enabled() const { return !certificate_file.empty(); }
};

// People's bearer tokens (JWT) and the issuers' public keys (one PEM per key id in a directory).
struct TokenSettings {
  std::string issuer;
  std::string audience = "pact";
  std::string public_keys_directory;
  std::chrono::milliseconds leeway{60000};          // clock skew tolerated on exp and nbf
  std::chrono::milliseconds max_lifetime{43200000};  // 12 h: a work shift, not a month
  std::chrono::milliseconds refresh_interval{60000};
  bool enabled() const { return !public_keys_directory.empty(); }
};

struct RateLimitSettings {
  double calls_per_second = 200;  // per person; 0 disables (the default in development mode)
  double burst = 400;
};

struct SecuritySettings {
  SecurityMode mode = SecurityMode::production;
  TlsSettings tls;
  TokenSettings tokens;
  std::string policy_file;  // who may call which RPC (security/access_policy.h)
  RateLimitSettings rate_limit;
};

// The sections every service reads. Service-specific sections are read by the service itself
// from the same ConfigTree before finish() is called.
struct PlatformConfig {
  std::string service_name;
  Hub hub{"pact"};
  std::vector<std::string> jurisdictions;
  GrpcSettings grpc;
  KafkaSettings kafka;
  redis::RedisEndpoint redis;
  LoggingSettings logging;
  MetricsSettings metrics;
  SecuritySettings security;
};

// Reads the platform sections; problems are recorded in the tree and reported by tree.finish().
PlatformConfig read_platform_config(ConfigTree& tree, std::string service_name);

}  // namespace pact::config
