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

constexpr const char* kService = "pact.intake.v1.IntakeService/";

audit::AuditEntry change_of(const std::string& method, const std::string& case_id, const std::string& record_id = "") {
  return audit::change(kService + method, case_id, record_id);
}

}  // namespace

IntakeService::IntakeService(const rpc::CallGate& gate, Registrar& registrar, CaseEditor& editor, CaseReader& reader,
                             const audit::AuditTrail& audit)
    : gate_(gate.for_service("pact.intake.v1.IntakeService")),
      registrar_(registrar),
      editor_(editor),
      reader_(reader),
      audit_(audit) {}

grpc::ServerUnaryReactor* IntakeService::RegisterEncounter(grpc::CallbackServerContext* context,
                                                           const v1::RegisterEncounterRequest* request,
                                                           v1::RegisterEncounterResponse* response) {
  return gate_.offloaded_unary(context, "RegisterEncounter", [this, request, response](
                                                                 const rpc::Caller& caller,
                                                                 rpc::UnaryCompletion done) {
    try {
      // The registration is on the audit trail once its case is stored; the answer waits for it.
      registrar_.register_encounter(
          caller, *request, log::current_trace_id(), *response,
          [this, caller, done, response, trace = log::current_trace_id()](const grpc::Status& status) {
            if (!status.ok() || response->case_id().empty()) return done(status);
            audit::AuditEntry entry = change_of("RegisterEncounter", response->case_id());
            entry.trace_id = trace;
            // This runs in the case event's delivery report, on the producer's thread, which must
            // not produce (or wait) itself: the record is written from the executor.
            const bool queued = gate_.offload([this, caller, entry, done, status] {
              const grpc::Status recorded = audit_.record(caller, entry);
              done(recorded.ok() ? status : recorded);
            });
            // Stored but not yet recorded: the client's retry (same idempotency key) records it.
            if (!queued) done(rpc::resource_exhausted("server busy, retry shortly", std::chrono::milliseconds(200)));
          });
    } catch (const redis::RedisUnavailable&) {
      done(case_store_unavailable());
    }
  });
}

grpc::ServerUnaryReactor* IntakeService::GetCase(grpc::CallbackServerContext* context,
                                                 const v1::GetCaseRequest* request, v1::GetCaseResponse* response) {
  return gate_.blocking_unary(context, "GetCase", [this, request, response](const rpc::Caller& caller) {
    return guarded([&] {
      grpc::Status status = reader_.get(caller, *request, *response);
      if (!status.ok()) return status;
      // Recorded before the answer leaves: no unrecorded read of personal data.
      grpc::Status recorded = audit_.record(caller, {events::v1::AUDIT_ACTION_PERSONAL_DATA_READ,
                                                     std::string(kService) + "GetCase", request->case_id(), "",
                                                     request->purpose(), "", ""});
      if (!recorded.ok()) response->Clear();
      return recorded;
    });
  });
}

grpc::ServerUnaryReactor* IntakeService::AmendCase(grpc::CallbackServerContext* context,
                                                   const v1::AmendCaseRequest* request,
                                                   v1::AmendCaseResponse* response) {
  return gate_.blocking_unary(context, "AmendCase", [this, request, response](const rpc::Caller& caller) {
    return guarded([&] {
      grpc::Status status = editor_.amend(caller, *request, log::current_trace_id(), *response);
      return status.ok() ? audit_.record(caller, change_of("AmendCase", request->case_id())) : status;
    });
  });
}

grpc::ServerUnaryReactor* IntakeService::RecordConsent(grpc::CallbackServerContext* context,
                                                       const v1::RecordConsentRequest* request,
                                                       v1::RecordConsentResponse* response) {
  return gate_.blocking_unary(context, "RecordConsent", [this, request, response](const rpc::Caller& caller) {
    return guarded([&] {
      grpc::Status status = editor_.record_consent(caller, *request, log::current_trace_id(), *response);
      return status.ok() ? audit_.record(caller, change_of("RecordConsent", request->case_id(), response->consent_id()))
                         : status;
    });
  });
}

grpc::ServerUnaryReactor* IntakeService::WithdrawConsent(grpc::CallbackServerContext* context,
                                                         const v1::WithdrawConsentRequest* request,
                                                         v1::WithdrawConsentResponse* response) {
  return gate_.blocking_unary(context, "WithdrawConsent", [this, request, response](const rpc::Caller& caller) {
    return guarded([&] {
      grpc::Status status = editor_.withdraw_consent(caller, *request, log::current_trace_id(), *response);
      return status.ok() ? audit_.record(caller, change_of("WithdrawConsent", request->case_id())) : status;
    });
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
    return guarded([&] {
      grpc::Status status = editor_.erase(caller, *request, log::current_trace_id(), *response);
      return status.ok() ? audit_.record(caller, change_of("EraseCase", request->case_id())) : status;
    });
  });
}

grpc::ServerUnaryReactor* IntakeService::ReleaseCaseKey(grpc::CallbackServerContext* context,
                                                        const v1::ReleaseCaseKeyRequest* request,
                                                        v1::ReleaseCaseKeyResponse* response) {
  return gate_.blocking_unary(context, "ReleaseCaseKey", [this, request, response](const rpc::Caller& caller) {
    return guarded([&] {
      grpc::Status status = reader_.release_key(caller, *request, *response);
      if (!status.ok()) return status;
      // Recorded before the key leaves: a released key is always on record, under its release id.
      std::string release_id;
      grpc::Status recorded = audit_.record(caller,
                                            {events::v1::AUDIT_ACTION_CASE_KEY_RELEASED,
                                             std::string(kService) + "ReleaseCaseKey", request->case_id(), "",
                                             request->purpose(), request->purpose_reference(), ""},
                                            &release_id);
      if (!recorded.ok()) {
        response->Clear();
        return recorded;
      }
      response->set_release_id(release_id);
      log::info("case key released", {{"release_id", release_id},
                                       {"case_id", request->case_id()},
                                       {"organisation", caller.organisation},
                                       {"purpose", common::v1::AccessPurpose_Name(request->purpose())}});
      return status;
    });
  });
}

}  // namespace pact::intake
