#include "intake_gateway.h"

#include "rpc/authenticator.h"

namespace pact::routing {

IntakeGateway::IntakeGateway(std::shared_ptr<grpc::Channel> intake, std::chrono::milliseconds deadline,
                             security::ClientIdentity calls)
    : stub_(pact::intake::v1::IntakeService::NewStub(std::move(intake))), deadline_(deadline), calls_(std::move(calls)) {}

std::unique_ptr<grpc::ClientContext> IntakeGateway::context_for(const std::string& sending_hub) const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + deadline_);
  // Routing acts for the sending hub: its organisation scopes the idempotency key.
  calls_.identify(*context, rpc::service_caller("service:routing", sending_hub, {"routing"}));
  return context;
}

grpc::Status IntakeGateway::register_handed_in(const v1::HandoffOffer& offer, pact::intake::v1::RegisterEncounterResponse& response) const {
  pact::intake::v1::RegisterEncounterRequest request;
  request.set_idempotency_key(offer.handoff_id());
  *request.mutable_encounter() = offer.encounter();
  auto& origin = *request.mutable_handoff_origin();
  origin.set_handoff_id(offer.handoff_id());
  origin.set_sending_hub(offer.sending_hub());
  origin.set_sending_jurisdiction(offer.sending_jurisdiction());
  origin.set_sending_case_id(offer.sending_case_id());
  request.set_language("en");
  return stub_->RegisterEncounter(context_for(offer.sending_hub()).get(), request, &response);
}

grpc::Status IntakeGateway::erase(const std::string& case_id, const std::string& handoff_id, const std::string& sending_hub,
                                  pact::intake::v1::EraseCaseResponse& response) const {
  pact::intake::v1::EraseCaseRequest request;
  request.set_case_id(case_id);
  request.set_reason(pact::common::v1::ERASURE_REASON_ERASED_AT_SENDING_HUB);
  request.set_idempotency_key(handoff_id);
  return stub_->EraseCase(context_for(sending_hub).get(), request, &response);
}

}  // namespace pact::routing
