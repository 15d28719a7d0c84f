#pragma once

#include <string>

#include "pact/intake/v1/intake.pb.h"

namespace pact::intake {

// The coarse attributes of a case that may travel and rest in clear (DESIGN.md "What travels in
// clear"): everything else about the person stays inside the sealed Case.
v1::CaseSummary summarise(const v1::Case& case_record);

// A short code a case worker can read out on the phone ("RS-7K4M-2Q9X"), derived from the case id.
std::string reference_code_for(const std::string& case_id, common::v1::Jurisdiction jurisdiction);

}  // namespace pact::intake
