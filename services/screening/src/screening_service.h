#pragma once

#include "audit/audit_trail.h"
#include "assessment_store.h"
#include "crypto/case_key_client.h"
#include "pact/screening/v1/screening.grpc.pb.h"
#include "redis/redis_pool.h"
#include "rpc/call_gate.h"
#include "screener.h"

namespace pact::screening {

// gRPC front of screening: Screen (synchronous guidance, no side effects), ExplainResult (a request,
// or a case's latest assessment), ListCatalogues and GetCatalogue (per sector and language).
class ScreeningService final : public v1::ScreeningService::CallbackService {
 public:
  ScreeningService(const rpc::CallGate& gate, const Screener& screener, const AssessmentStore& store,
                   redis::RedisPool& redis, crypto::CaseKeyClient& keys, const audit::AuditTrail& audit)
      : gate_(gate.for_service("pact.screening.v1.ScreeningService")),
        screener_(screener),
        store_(store),
        redis_(redis),
        keys_(keys),
        audit_(audit) {}

  grpc::ServerUnaryReactor* Screen(grpc::CallbackServerContext* context, const v1::ScreenRequest* request,
                                   v1::ScreenResponse* response) override;
  grpc::ServerUnaryReactor* ExplainResult(grpc::CallbackServerContext* context,
                                          const v1::ExplainResultRequest* request,
                                          v1::ExplainResultResponse* response) override;
  grpc::ServerUnaryReactor* ListCatalogues(grpc::CallbackServerContext* context,
                                           const v1::ListCataloguesRequest* request,
                                           v1::ListCataloguesResponse* response) override;
  grpc::ServerUnaryReactor* GetCatalogue(grpc::CallbackServerContext* context, const v1::GetCatalogueRequest* request,
                                         v1::GetCatalogueResponse* response) override;

 private:
  grpc::Status explain_case(const rpc::Caller& caller, const std::string& case_id, const std::string& language,
                            v1::ExplainResultResponse& response);

  rpc::CallGate gate_;
  const Screener& screener_;
  const AssessmentStore& store_;
  redis::RedisPool& redis_;
  crypto::CaseKeyClient& keys_;
  const audit::AuditTrail& audit_;
};

}  // namespace pact::screening
