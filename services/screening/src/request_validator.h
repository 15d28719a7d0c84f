#pragma once

#include <string>
#include <vector>

#include "pact/screening/v1/screening.pb.h"
#include "rpc/status.h"

namespace pact::screening {

// Problems with a screening request, one per field, never echoing an observed id (personal data).
// `prefix` is the field path of the request inside the RPC message ("request.").
std::vector<rpc::FieldViolation> validate_screening_request(const v1::ScreeningRequest& request,
                                                            const std::string& prefix);

}  // namespace pact::screening
