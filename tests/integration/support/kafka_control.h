#pragma once

#include <string>

namespace pact::testing {

// True when the suite runs on the real broker started by deploy/test-all.sh, whose script a test
// may use to stop and start it (the embedded mock cluster cannot restart).
bool can_restart_broker();
// Runs deploy/kafka/kafka.sh ACTION (stop, start, restart) on that broker; false if it failed.
bool control_broker(const std::string& action);

}  // namespace pact::testing
