#pragma once

#include <optional>
#include <vector>

#include "case_facts.h"

namespace pact::routing {

// The basis on which a referral may be sent and what it may share, or nullopt when it may not be
// sent yet. Consent gate and police gate of REFERENCE section 0: a flag alone never shares data
// and never sends anyone to the police.
struct SharingDecision {
  common::SharingBasis basis;
  std::vector<common::DataCategory> shared;
};

std::optional<SharingDecision> sharing_for(v1::ServiceType service, std::optional<common::ConsentScope> consent,
                                           const std::vector<common::DataCategory>& share, const CaseFacts& facts);

// Whether a basis recorded on a referral still holds now (consent not withdrawn, exception not
// lapsed, still a presumed child): checked again at every read of personal data.
bool basis_in_force(const common::SharingBasis& basis, const CaseFacts& facts);

}  // namespace pact::routing
