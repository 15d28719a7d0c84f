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
  std::map<std::string, std::string> properties;     // passed through to librdkafka
};

struct LoggingSettings {
  std::string level = "info";
};

struct MetricsSettings {
  std::string listen;  // empty: no metrics endpoint
};

struct SecuritySettings {
  SecurityMode mode = SecurityMode::production;
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
