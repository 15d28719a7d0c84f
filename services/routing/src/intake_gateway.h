#pragma once

#include <memory>
#include <string>

#include <grpcpp/channel.h>

#include "pact/intake/v1/intake.grpc.pb.h"
#include "pact/routing/v1/handoff.pb.h"
#include "rpc/caller.h"
#include "security/client_identity.h"

namespace pact::routing {

// This hub's intake as the receiving side of a handoff uses it: registers the handed-in case with
// the sending hub as the caller's organisation and the handoff id as the idempotency key (so a
// repeated offer is the same case), and erases it when the sending hub passes an erasure on.
class IntakeGateway {
 public:
  IntakeGateway(std::shared_ptr<grpc::Channel> intake, std::chrono::milliseconds deadline,
                security::ClientIdentity calls);

  grpc::Status register_handed_in(const pact::routing::v1::HandoffOffer& offer,
                                  pact::intake::v1::RegisterEncounterResponse& response) const;
  grpc::Status erase(const std::string& case_id, const std::string& handoff_id, const std::string& sending_hub,
                     pact::intake::v1::EraseCaseResponse& response) const;

 private:
  std::unique_ptr<grpc::ClientContext> context_for(const std::string& sending_hub) const;

  std::unique_ptr<pact::intake::v1::IntakeService::Stub> stub_;
  std::chrono::milliseconds deadline_;
  security::ClientIdentity calls_;
};

}  // namespace pact::routing
