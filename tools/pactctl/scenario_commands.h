#pragma once

#include "arguments.h"

namespace pactctl {

// `pactctl surge`: a surge of arrivals through intake with progress and a summary of what the hub
// did with them (tools/scenario).
int surge(const Arguments& args);
// `pactctl tail`: the hub's events from Kafka, decoded, with their CloudEvents attributes.
int tail(const Arguments& args);
// pactctl audit --case ID: the audit trail of one case (who read, released or changed what, and why).
int audit(const Arguments& args);

}  // namespace pactctl
