#include "config/platform_config.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <limits>

namespace pact::config {
namespace {

const std::vector<std::string> kJurisdictions = {"AL", "BA", "XK", "ME", "MK", "RS"};

bool parse_host_port(const std::string& address, std::string& host, int& port) {
  size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  host = address.substr(0, colon);
  auto tail = std::string_view(address).substr(colon + 1);
  auto [end, error] = std::from_chars(tail.data(), tail.data() + tail.size(), port);
  return error == std::errc() && end == tail.data() + tail.size() && port > 0 && port < 65536;
}

}  // namespace

namespace {

// "{service}" in a certificate or key path stands for the service's name, so one hub configuration
// file serves every service with its own certificate (e.g. certs/{service}.crt).
std::string for_service(std::string path, const std::string& service_name) {
  if (auto at = path.find("{service}"); at != std::string::npos) path.replace(at, 9, service_name);
  return path;
}

void read_security_settings(ConfigTree& tree, SecuritySettings& security, const std::string& service_name) {
  TlsSettings& tls = security.tls;
  tls.certificate_file = for_service(tree.text("security.tls.certificate_file", ""), service_name);
  tls.private_key_file = for_service(tree.text("security.tls.private_key_file", ""), service_name);
  tls.ca_file = tree.text("security.tls.ca_file", "");
  tls.peer_ca_file = tree.text("security.tls.peer_ca_file", "");
  if (!tls.peer_ca_file.empty() && tls.ca_file.empty()) {
    tree.reject("security.tls.peer_ca_file", "needs security.tls (the hub's own certificates and CA)");
  }
  tls.refresh_interval = tree.duration("security.tls.refresh_interval", std::chrono::seconds(60));
  const int tls_files = !tls.certificate_file.empty() + !tls.private_key_file.empty() + !tls.ca_file.empty();
  if (tls_files != 0 && tls_files != 3) {
    tree.reject("security.tls", "certificate_file, private_key_file and ca_file go together");
  }
  for (const auto& [key, file] : {std::pair{"security.tls.certificate_file", tls.certificate_file},
                                  std::pair{"security.tls.private_key_file", tls.private_key_file},
                                  std::pair{"security.tls.ca_file", tls.ca_file},
                                  std::pair{"security.tls.peer_ca_file", tls.peer_ca_file}}) {
    if (!file.empty() && !std::filesystem::is_regular_file(file)) tree.reject(key, "file not found: " + file);
  }
  if (tls.refresh_interval < std::chrono::seconds(1)) tree.reject("security.tls.refresh_interval", "at least 1s");

  TokenSettings& tokens = security.tokens;
  tokens.issuer = tree.text("security.tokens.issuer", "");
  tokens.audience = tree.text("security.tokens.audience", "pact");
  tokens.public_keys_directory = tree.text("security.tokens.public_keys_directory", "");
  tokens.leeway = tree.duration("security.tokens.leeway", std::chrono::seconds(60));
  tokens.max_lifetime = tree.duration("security.tokens.max_lifetime", std::chrono::hours(12));
  tokens.refresh_interval = tree.duration("security.tokens.refresh_interval", std::chrono::seconds(60));
  if (tokens.enabled() && tokens.issuer.empty()) tree.reject("security.tokens.issuer", "is required with token keys");
  if (tokens.enabled() && !std::filesystem::is_directory(tokens.public_keys_directory)) {
    tree.reject("security.tokens.public_keys_directory", "not a directory: " + tokens.public_keys_directory);
  }
  if (tokens.leeway > std::chrono::minutes(5)) tree.reject("security.tokens.leeway", "at most 5m");

  security.policy_file = tree.text("security.policy_file", "");
  if (!security.policy_file.empty() && !std::filesystem::is_regular_file(security.policy_file)) {
    tree.reject("security.policy_file", "file not found: " + security.policy_file);
  }
  // A laptop's load generator is one "person" sending thousands of calls: off unless asked for.
  const long default_rate = security.mode == SecurityMode::production ? 200 : 0;
  security.rate_limit.calls_per_second =
      static_cast<double>(tree.integer("security.rate_limit.calls_per_second", default_rate, 0, 1'000'000));
  security.rate_limit.burst = static_cast<double>(tree.integer("security.rate_limit.burst", 400, 1, 1'000'000));

  if (security.mode == SecurityMode::production) {
    // Production answers nobody it cannot identify: refuse to start rather than run open.
    if (!tls.enabled()) tree.reject("security.tls", "production mode needs certificates (mutual TLS)");
    if (security.policy_file.empty()) tree.reject("security.policy_file", "production mode needs an access policy");
  }
}

}  // namespace

PlatformConfig read_platform_config(ConfigTree& tree, std::string service_name) {
  PlatformConfig config;
  config.service_name = std::move(service_name);

  std::string prefix = tree.text("hub.prefix");
  if (Hub::is_valid_prefix(prefix)) {
    config.hub = Hub(prefix);
  } else if (!prefix.empty()) {
    tree.reject("hub.prefix", "must be 1-32 characters of a-z, 0-9 and '-', starting with a letter");
  }
  config.jurisdictions = tree.text_list("hub.jurisdictions", std::nullopt);
  for (const auto& code : config.jurisdictions) {
    if (std::find(kJurisdictions.begin(), kJurisdictions.end(), code) == kJurisdictions.end()) {
      tree.reject("hub.jurisdictions", "'" + code + "' is not one of AL, BA, XK, ME, MK, RS");
    }
  }

  config.grpc.listen = tree.text("grpc.listen", "127.0.0.1:0");
  config.grpc.health_listen = tree.text("grpc.health_listen", "127.0.0.1:0");
  config.grpc.not_serving_grace = tree.duration("grpc.not_serving_grace", std::chrono::milliseconds(0));
  config.grpc.drain_timeout = tree.duration("grpc.drain_timeout", std::chrono::seconds(10));
  config.grpc.max_connection_age = tree.duration("grpc.max_connection_age", std::chrono::milliseconds(0));
  if (config.grpc.max_connection_age > std::chrono::hours(24)) {
    tree.reject("grpc.max_connection_age", "must be at most 24h (0 turns it off)");
  }
  config.grpc.executor_threads = static_cast<int>(tree.integer("grpc.executor_threads", 16, 1, 512));
  config.grpc.executor_queue = static_cast<int>(tree.integer("grpc.executor_queue", 1024, 1, 1'000'000));

  config.kafka.bootstrap_servers = tree.text("kafka.bootstrap_servers");
  config.kafka.message_timeout = tree.duration("kafka.message_timeout", std::chrono::seconds(5));
  config.kafka.properties = tree.text_map("kafka.properties");

  std::string redis_address = tree.text("redis.address");
  if (!redis_address.empty() && !parse_host_port(redis_address, config.redis.host, config.redis.port)) {
    tree.reject("redis.address", "must be host:port, got '" + redis_address + "'");
  }
  config.redis.username = tree.text("redis.username", "");
  // The password is a secret: it comes from a mounted file, never from the configuration itself.
  std::string password_file = tree.text("redis.password_file", "");
  if (!password_file.empty()) {
    std::ifstream in(password_file);
    std::stringstream content;
    content << in.rdbuf();
    config.redis.password = content.str();
    while (!config.redis.password.empty() && (config.redis.password.back() == '\n' || config.redis.password.back() == '\r')) {
      config.redis.password.pop_back();
    }
    if (!in) tree.reject("redis.password_file", "cannot be read");
  }
  config.redis.connect_timeout = tree.duration("redis.connect_timeout", std::chrono::seconds(2));
  config.redis.command_timeout = tree.duration("redis.command_timeout", std::chrono::seconds(2));

  config.logging.level = tree.text("logging.level", "info");
  if (config.logging.level != "trace" && config.logging.level != "debug" && config.logging.level != "info" &&
      config.logging.level != "warn" && config.logging.level != "error") {
    tree.reject("logging.level", "must be one of trace, debug, info, warn, error");
  }
  config.metrics.listen = tree.text("metrics.listen", "");

  std::string mode = tree.text("security.mode", "production");
  if (mode == "development") {
    config.security.mode = SecurityMode::development;
  } else if (mode != "production") {
    tree.reject("security.mode", "must be development or production");
  }
  read_security_settings(tree, config.security, config.service_name);
  return config;
}

}  // namespace pact::config
