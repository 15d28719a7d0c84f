#pragma once

#include <memory>
#include <string>
#include <vector>

#include <prometheus/registry.h>

namespace prometheus {
class Exposer;
}

namespace pact::metrics {

// The process's Prometheus registry and, when an address is configured, its /metrics endpoint.
// Labels never carry personal data (only service, method, topic, status codes).
class MetricsEndpoint {
 public:
  explicit MetricsEndpoint(const std::string& listen_address);
  ~MetricsEndpoint();

  std::shared_ptr<prometheus::Registry> registry() const { return registry_; }
  // Adds a collector read at scrape time (kept alive by the endpoint).
  void add_collectable(std::shared_ptr<prometheus::Collectable> collectable);
  // The bound port (useful when the address asked for port 0); 0 when not serving.
  int port() const;

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  std::vector<std::shared_ptr<prometheus::Collectable>> collectables_;
};

}  // namespace pact::metrics
