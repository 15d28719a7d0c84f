#include "registration_call.h"

#include <chrono>
#include <memory>

namespace pactload {
namespace {

struct RegistrationCall {
  grpc::ClientContext context;
  pact::intake::v1::RegisterEncounterRequest request;
  pact::intake::v1::RegisterEncounterResponse response;
};

}  // namespace

void register_async(pact::intake::v1::IntakeService::Stub& stub, const pact::security::ToolIdentity& tool,
                    const pact::rpc::Caller& caller, pact::intake::v1::RegisterEncounterRequest request,
                    RegistrationDone done) {
  auto call = std::make_shared<RegistrationCall>();
  tool.identify(call->context, caller);
  call->context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  call->request = std::move(request);
  stub.async()->RegisterEncounter(&call->context, &call->request, &call->response,
                                  [call, done = std::move(done)](grpc::Status status) { done(status, call->response); });
}

pact::rpc::Caller load_identity(const std::string& subject, std::uint64_t sequence) {
  pact::rpc::Caller caller;
  caller.kind = pact::rpc::CallerKind::person;
  caller.subject = subject + "-" + std::to_string(sequence % kLoadWorkers);
  caller.organisation = subject;
  caller.roles = {"frontline"};
  caller.jurisdictions = {"RS", "MK"};
  return caller;
}

}  // namespace pactload
