#include "support/kafka_control.h"

#include <cstdlib>

#include "support/infrastructure.h"

namespace pact::testing {

bool can_restart_broker() {
  return Infrastructure::instance().real_broker() && std::getenv("PACT_TEST_KAFKA_STATE_DIR") != nullptr;
}

bool control_broker(const std::string& action) {
  std::string command = "PACT_KAFKA_STATE_DIR='" + std::string(std::getenv("PACT_TEST_KAFKA_STATE_DIR")) + "' '" +
                        PACT_SOURCE_DIR + "/deploy/kafka/kafka.sh' " + action + " >/dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

}  // namespace pact::testing
