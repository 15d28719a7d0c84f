#pragma once

#include <functional>
#include <grpcpp/grpcpp.h>

#include "pact/intake/v1/intake.grpc.pb.h"
#include "rpc/caller.h"
#include "security/tool_identity.h"

namespace pactload {

// Sends one registration asynchronously as `caller` (identified the way `tool` says) and calls
// `done` with the outcome on a gRPC thread: the load generator's and the surge's one way of
// registering.
using RegistrationDone =
    std::function<void(const grpc::Status&, const pact::intake::v1::RegisterEncounterResponse&)>;
void register_async(pact::intake::v1::IntakeService::Stub& stub, const pact::security::ToolIdentity& tool,
                    const pact::rpc::Caller& caller, pact::intake::v1::RegisterEncounterRequest request,
                    RegistrationDone done);

// Who the load generator and the surge register as: one of many frontline workers in Serbia and
// North Macedonia (a surge is many officers at once; each is rate-limited on their own).
pact::rpc::Caller load_identity(const std::string& subject, std::uint64_t sequence);
inline constexpr std::uint64_t kLoadWorkers = 200;

}  // namespace pactload
