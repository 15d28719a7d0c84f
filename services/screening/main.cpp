#include <memory>

#include "service/service_main.h"

int main(int argc, char** argv) {
  // The screening service's behaviour (indicator catalogues and the decision engine) is wired here as it lands; the platform
  // already gives it configuration, logs, metrics, health (both ports), reflection and clean shutdown.
  return pact::service::run_service(argc, argv, "screening", std::make_unique<pact::service::Service>());
}
