#pragma once

#include <functional>
#include <grpcpp/grpcpp.h>

#include "pact/intake/v1/intake.grpc.pb.h"
#include "rpc/authenticator.h"

namespace pactload {

// Sends one registration asynchronously as `caller` (development identity) and calls `done` with
// the outcome on a gRPC thread: the load generator's and the surge's one way of registering.
using RegistrationDone =
    std::function<void(const grpc::Status&, const pact::intake::v1::RegisterEncounterResponse&)>;
void register_async(pact::intake::v1::IntakeService::Stub& stub, const pact::rpc::Caller& caller,
                    pact::intake::v1::RegisterEncounterRequest request, RegistrationDone done);

// Who the load generator and the surge register as: a frontline service identity.
pact::rpc::Caller load_identity(const std::string& subject);

}  // namespace pactload
