#pragma once

#include "audit/audit_trail.h"
#include "case_editor.h"
#include "case_reader.h"
#include "pact/intake/v1/intake.grpc.pb.h"
#include "registrar.h"
#include "rpc/call_gate.h"

namespace pact::intake {

// The gRPC face of intake: every call goes through the call gate (caller first) and runs on the
// bounded executor, because each one waits on Redis and, for changes, on Kafka's acknowledgement.
class IntakeService final : public v1::IntakeService::CallbackService {
 public:
  IntakeService(const rpc::CallGate& gate, Registrar& registrar, CaseEditor& editor, CaseReader& reader,
                const audit::AuditTrail& audit);

  grpc::ServerUnaryReactor* RegisterEncounter(grpc::CallbackServerContext* context,
                                              const v1::RegisterEncounterRequest* request,
                                              v1::RegisterEncounterResponse* response) override;
  grpc::ServerUnaryReactor* GetCase(grpc::CallbackServerContext* context, const v1::GetCaseRequest* request,
                                    v1::GetCaseResponse* response) override;
  grpc::ServerUnaryReactor* AmendCase(grpc::CallbackServerContext* context, const v1::AmendCaseRequest* request,
                                      v1::AmendCaseResponse* response) override;
  grpc::ServerUnaryReactor* RecordConsent(grpc::CallbackServerContext* context, const v1::RecordConsentRequest* request,
                                          v1::RecordConsentResponse* response) override;
  grpc::ServerUnaryReactor* WithdrawConsent(grpc::CallbackServerContext* context,
                                            const v1::WithdrawConsentRequest* request,
                                            v1::WithdrawConsentResponse* response) override;
  grpc::ServerUnaryReactor* ListCases(grpc::CallbackServerContext* context, const v1::ListCasesRequest* request,
                                      v1::ListCasesResponse* response) override;
  grpc::ServerUnaryReactor* EraseCase(grpc::CallbackServerContext* context, const v1::EraseCaseRequest* request,
                                      v1::EraseCaseResponse* response) override;
  grpc::ServerUnaryReactor* ReleaseCaseKey(grpc::CallbackServerContext* context,
                                           const v1::ReleaseCaseKeyRequest* request,
                                           v1::ReleaseCaseKeyResponse* response) override;

 private:
  rpc::CallGate gate_;
  Registrar& registrar_;
  CaseEditor& editor_;
  CaseReader& reader_;
  const audit::AuditTrail& audit_;
};

}  // namespace pact::intake
