#pragma once

#include <grpcpp/support/status.h>

#include "pact/common/v1/common.pb.h"
#include "pact/intake/v1/intake.pb.h"
#include "rpc/caller.h"

namespace pact::intake {

// "RS" for JURISDICTION_RS: the code callers' jurisdictions are written in.
std::string jurisdiction_code(common::v1::Jurisdiction jurisdiction);

// Record-level scope: a person works on the cases of their own jurisdictions (a case handed in from
// another hub is registered in this hub's jurisdiction, so it is theirs too). Services act for
// someone the calling service checked, or for the hub itself.
bool works_on(const rpc::Caller& caller, common::v1::Jurisdiction jurisdiction);
bool works_on(const rpc::Caller& caller, const v1::CaseSummary& summary);

// A person whose token names a sector (claim "sector": police, social_welfare, health,
// protection_facility, education, employment) records encounters as that sector: it selects the
// required fields and the screening view. Services, and people without the claim, are not bound.
bool records_as(const rpc::Caller& caller, common::v1::Sector sector);

// PERMISSION_DENIED for a case outside the caller's scope; naming no record.
grpc::Status outside_scope();

}  // namespace pact::intake
