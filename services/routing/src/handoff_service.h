#pragma once

#include "case_updater.h"
#include "handoff_inbox.h"
#include "handoff_policy.h"
#include "intake_gateway.h"
#include "pact/routing/v1/handoff.grpc.pb.h"
#include "routing_store.h"
#include "rpc/call_gate.h"

namespace pact::routing {

// The hub-to-hub handoff protocol, both sides. Receiving: an offer is checked (basis, served
// jurisdiction), registered through this hub's intake as a linked case and answered at once
// (accepted with the new case id, or declined with a reason); an erasure passed on erases the
// linked case. Sending: answers and transfer requests change the case through CaseUpdater.
// Peer hubs call as services; the method-level mTLS policy comes with the security work.
class HandoffService final : public v1::HandoffService::CallbackService {
 public:
  HandoffService(const rpc::CallGate& gate, const CaseUpdater& updater, const RoutingStore& store, const HandoffInbox& inbox,
                 const IntakeGateway& intake, const HandoffPolicy& policy)
      : gate_(gate.for_service("pact.routing.v1.HandoffService")), updater_(updater), store_(store), inbox_(inbox), intake_(intake), policy_(policy) {}

  grpc::ServerUnaryReactor* OfferHandoff(grpc::CallbackServerContext*, const v1::OfferHandoffRequest*, v1::OfferHandoffResponse*) override;
  grpc::ServerUnaryReactor* AnswerHandoff(grpc::CallbackServerContext*, const v1::AnswerHandoffRequest*, v1::AnswerHandoffResponse*) override;
  grpc::ServerUnaryReactor* GetHandoff(grpc::CallbackServerContext*, const v1::GetHandoffRequest*, v1::GetHandoffResponse*) override;
  grpc::ServerUnaryReactor* EraseHandedOffCase(grpc::CallbackServerContext*, const v1::EraseHandedOffCaseRequest*,
                                               v1::EraseHandedOffCaseResponse*) override;
  grpc::ServerUnaryReactor* RequestTransfer(grpc::CallbackServerContext*, const v1::RequestTransferRequest*,
                                            v1::RequestTransferResponse*) override;

 private:
  grpc::Status receive(const rpc::Caller& caller, const v1::HandoffOffer& offer, v1::OfferHandoffResponse& response) const;
  grpc::Status erase(const rpc::Caller& caller, const v1::EraseHandedOffCaseRequest& request, v1::EraseHandedOffCaseResponse& response) const;
  // The case an outgoing handoff belongs to, if this hub sent it.
  std::string case_of_handoff(const std::string& handoff_id) const;
  // An event about an incoming handoff (its record key: the receiving case, or the handoff id).
  void record(const v1::Handoff& handoff, const std::string& cause, std::uint32_t position) const;

  rpc::CallGate gate_;
  const CaseUpdater& updater_;
  const RoutingStore& store_;
  const HandoffInbox& inbox_;
  const IntakeGateway& intake_;
  const HandoffPolicy& policy_;
};

}  // namespace pact::routing
