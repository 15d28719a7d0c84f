#include "intake_service.h"

#include "log/trace_context.h"
#include "redis/redis_value.h"
#include "rpc/status.h"

namespace pact::intake {
namespace {

grpc::Status case_store_unavailable() {
  return rpc::unavailable("the case store is unavailable; retry with the same idempotency key",
                          std::chrono::seconds(1));
}

// Redis down is an outage the client should ride out with a retry (same idempotency key).
template <class Work>
grpc::Status guarded(Work&& work) {
  try {
    return work();
  } catch (const redis::RedisUnavailable&) {
    return case_store_unavailable();
  }
}

}  // namespace

IntakeService::IntakeService(const rpc::CallGate& gate, Registrar& registrar, CaseEditor& editor, CaseReader& reader)
    : gate_(gate.for_service("pact.intake.v1.IntakeService")), registrar_(registrar), editor_(editor), reader_(reader) {}

grpc::ServerUnaryReactor* IntakeService::RegisterEncounter(grpc::CallbackServerContext* context,
                                                           const v1::RegisterEncounterRequest* request,
                                                           v1::RegisterEncounterResponse* response) {
  return gate_.offloaded_unary(context, "RegisterEncounter", [this, request, response](
                                                                 const rpc::Caller& caller,
                                                                 rpc::UnaryCompletion done) {
    try {
      registrar_.register_encounter(caller, *request, log::current_trace_id(), *response,
                                    [done](const grpc::Status& status) { done(status); });
    } catch (const redis::RedisUnavailable&) {
      done(case_store_unavailable());
    }
  });
}

grpc::ServerUnaryReactor* IntakeService::GetCase(grpc::CallbackServerContext* context,
                                                 const v1::GetCaseRequest* request, v1::GetCaseResponse* response) {
  return gate_.blocking_unary(context, "GetCase", [this, request, response](const rpc::Caller& caller) {
    return guarded([&] { return reader_.get(caller, *request, *response); });
  });
}

grpc::ServerUnaryReactor* IntakeService::AmendCase(grpc::CallbackServerContext* context,
                                                   const v1::AmendCaseRequest* request,
                                                   v1::AmendCaseResponse* response) {
  return gate_.blocking_unary(context, "AmendCase", [this, request, response](const rpc::Caller& caller) {
    return guarded([&] { return editor_.amend(caller, *request, log::current_trace_id(), *response); });
  });
}

grpc::ServerUnaryReactor* IntakeService::RecordConsent(grpc::CallbackServerContext* context,
                                                       const v1::RecordConsentRequest* request,
                                                       v1::RecordConsentResponse* response) {
  return gate_.blocking_unary(context, "RecordConsent", [this, request, response](const rpc::Caller& caller) {
    return guarded([&] { return editor_.record_consent(caller, *request, log::current_trace_id(), *response); });
  });
}

grpc::ServerUnaryReactor* IntakeService::WithdrawConsent(grpc::CallbackServerContext* context,
                                                         const v1::WithdrawConsentRequest* request,
                                                         v1::WithdrawConsentResponse* response) {
  return gate_.blocking_unary(context, "WithdrawConsent", [this, request, response](const rpc::Caller& caller) {
    return guarded([&] { return editor_.withdraw_consent(caller, *request, log::current_trace_id(), *response); });
  });
}

grpc::ServerUnaryReactor* IntakeService::ListCases(grpc::CallbackServerContext* context,
                                                   const v1::ListCasesRequest* request,
                                                   v1::ListCasesResponse* response) {
  return gate_.blocking_unary(context, "ListCases", [this, request, response](const rpc::Caller& caller) {
    return guarded([&] { return reader_.list(caller, *request, *response); });
  });
}

grpc::ServerUnaryReactor* IntakeService::EraseCase(grpc::CallbackServerContext* context,
                                                   const v1::EraseCaseRequest* request,
                                                   v1::EraseCaseResponse* response) {
  return gate_.blocking_unary(context, "EraseCase", [this, request, response](const rpc::Caller& caller) {
    return guarded([&] { return editor_.erase(caller, *request, log::current_trace_id(), *response); });
  });
}

grpc::ServerUnaryReactor* IntakeService::ReleaseCaseKey(grpc::CallbackServerContext* context,
                                                        const v1::ReleaseCaseKeyRequest* request,
                                                        v1::ReleaseCaseKeyResponse* response) {
  return gate_.blocking_unary(context, "ReleaseCaseKey", [this, request, response](const rpc::Caller& caller) {
    return guarded([&] { return reader_.release_key(caller, *request, *response); });
  });
}

}  // namespace pact::intake
