#pragma once

#include "pact/intake/v1/intake.pb.h"
#include "pact/routing/v1/routing.pb.h"

namespace pact::routing {

// The part of a case a referral's provider may read: only the categories the referral allows,
// and nothing at all when its basis shares no personal data. Data minimisation in one place.
pact::routing::v1::ReferralData referral_data_of(const pact::intake::v1::Case& case_record,
                                                 const pact::routing::v1::Referral& referral);

}  // namespace pact::routing
