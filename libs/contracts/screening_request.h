#pragma once

#include <string>

#include "pact/intake/v1/intake.pb.h"
#include "pact/screening/v1/screening.pb.h"

namespace pact::contracts {

// What screening assesses for an encounter: the observing sector, the person's age and companion
// status, the reported flags, the observed indicator ids, the jurisdiction whose catalogues apply.
// Intake uses it for immediate guidance at registration, screening for every case event, so both
// always screen the same thing.
screening::v1::ScreeningRequest screening_request_for(const intake::v1::Encounter& encounter,
                                                      common::v1::Jurisdiction jurisdiction,
                                                      const std::string& language);

// The same for a case as it stands.
screening::v1::ScreeningRequest screening_request_for(const intake::v1::Case& case_record, const std::string& language);

}  // namespace pact::contracts
