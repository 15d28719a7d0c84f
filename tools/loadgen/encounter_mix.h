#pragma once

#include <cstdint>
#include <string>

#include "pact/intake/v1/intake.pb.h"

namespace pactload {

// Realistic registrations for load: a mix of arrivals at a transit centre (single adults, families,
// unaccompanied and separated children, urgent medical needs, people moving on), names in Latin,
// Cyrillic and Arabic script, each registration with its own idempotency key. Deterministic per
// sequence number, so a run can be repeated.
pact::intake::v1::RegisterEncounterRequest encounter_for(std::uint64_t sequence, const std::string& run_id,
                                                         bool exercise);

}  // namespace pactload
