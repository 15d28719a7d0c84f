#pragma once

#include <string>

#include "pact/events/v1/referral_events.pb.h"
#include "pact/routing/v1/directory.pb.h"

namespace pact::routing {

// CapacityChanged for a service: absolute figures with their version (readers keep the highest),
// the service's coarse identity, never its location. The envelope's ids and time are the caller's.
pact::events::v1::CapacityChanged capacity_changed(const pact::routing::v1::Service& service,
                                                   const pact::routing::v1::Capacity& capacity,
                                                   pact::events::v1::CapacityChangeReason reason, const std::string& referral_id);

}  // namespace pact::routing
