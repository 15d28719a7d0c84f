#include "metrics/metrics_endpoint.h"

#include <prometheus/exposer.h>

namespace pact::metrics {

MetricsEndpoint::MetricsEndpoint(const std::string& listen_address)
    : registry_(std::make_shared<prometheus::Registry>()) {
  if (!listen_address.empty()) {
    exposer_ = std::make_unique<prometheus::Exposer>(listen_address, 1);
    exposer_->RegisterCollectable(registry_);
  }
}

MetricsEndpoint::~MetricsEndpoint() = default;

void MetricsEndpoint::add_collectable(std::shared_ptr<prometheus::Collectable> collectable) {
  if (exposer_) exposer_->RegisterCollectable(collectable);
  collectables_.push_back(std::move(collectable));
}

int MetricsEndpoint::port() const {
  if (!exposer_) return 0;
  auto ports = exposer_->GetListeningPorts();
  return ports.empty() ? 0 : ports.front();
}

}  // namespace pact::metrics
