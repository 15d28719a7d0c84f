#include <memory>

#include "service/service_main.h"

int main(int argc, char** argv) {
  // The notification service's behaviour (channels, deliveries and acknowledgements) is wired here as it lands; the platform
  // already gives it configuration, logs, metrics, health (both ports), reflection and clean shutdown.
  return pact::service::run_service(argc, argv, "notification", std::make_unique<pact::service::Service>());
}
