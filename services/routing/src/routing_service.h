#pragma once

#include <string>

#include "audit/audit_trail.h"
#include "call_errors.h"
#include "case_updater.h"
#include "crypto/case_key_client.h"
#include "decision_draft.h"
#include "pact/routing/v1/routing.grpc.pb.h"
#include "redis/redis_client.h"
#include "rpc/call_gate.h"

namespace pact::routing {

// An audit entry for a change made through RoutingService's `method`.
audit::AuditEntry change_of(std::string_view method, const std::string& case_id, const std::string& record_id);

// gRPC front of referrals: queries, providers' answers, decisions people record, and the personal
// data a referral lets its provider read. Every change goes through CaseUpdater.
//
// Who may do what (record-level; method-level policy comes with the security work):
//   - a provider (caller's organisation = the referral's) answers and reads its own referrals;
//   - roles case_worker, coordinator, competent_authority, routing_admin read every referral;
//   - competent_authority records reasonable-grounds and identification decisions; case_worker,
//     coordinator and competent_authority record consent exceptions.
class RoutingService final : public v1::RoutingService::CallbackService {
 public:
  RoutingService(const rpc::CallGate& gate, const CaseUpdater& updater, const RoutingStore& store,
                 crypto::CaseKeyClient& keys, const audit::AuditTrail& audit, std::uint32_t max_exception_days)
      : gate_(gate.for_service("pact.routing.v1.RoutingService")), updater_(updater), store_(store), keys_(keys), audit_(audit), max_exception_days_(max_exception_days) {}

  grpc::ServerUnaryReactor* GetReferral(grpc::CallbackServerContext*, const v1::GetReferralRequest*, v1::GetReferralResponse*) override;
  grpc::ServerUnaryReactor* ListReferrals(grpc::CallbackServerContext*, const v1::ListReferralsRequest*, v1::ListReferralsResponse*) override;
  grpc::ServerUnaryReactor* AcknowledgeReferral(grpc::CallbackServerContext*, const v1::AcknowledgeReferralRequest*,
                                                v1::AcknowledgeReferralResponse*) override;
  grpc::ServerUnaryReactor* AcceptReferral(grpc::CallbackServerContext*, const v1::AcceptReferralRequest*, v1::AcceptReferralResponse*) override;
  grpc::ServerUnaryReactor* RejectReferral(grpc::CallbackServerContext*, const v1::RejectReferralRequest*, v1::RejectReferralResponse*) override;
  grpc::ServerUnaryReactor* StartReferral(grpc::CallbackServerContext*, const v1::StartReferralRequest*, v1::StartReferralResponse*) override;
  grpc::ServerUnaryReactor* CompleteReferral(grpc::CallbackServerContext*, const v1::CompleteReferralRequest*,
                                             v1::CompleteReferralResponse*) override;
  grpc::ServerUnaryReactor* FailReferral(grpc::CallbackServerContext*, const v1::FailReferralRequest*, v1::FailReferralResponse*) override;
  grpc::ServerUnaryReactor* RecordDecision(grpc::CallbackServerContext*, const v1::RecordDecisionRequest*, v1::RecordDecisionResponse*) override;
  grpc::ServerUnaryReactor* ListDecisions(grpc::CallbackServerContext*, const v1::ListDecisionsRequest*, v1::ListDecisionsResponse*) override;
  grpc::ServerUnaryReactor* GetReferralData(grpc::CallbackServerContext*, const v1::GetReferralDataRequest*,
                                            v1::GetReferralDataResponse*) override;

 private:
  struct AnswerOutcome {
    v1::Referral referral;
    std::string next_referral_id;
  };
  grpc::Status answer(const rpc::Caller& caller, const std::string& referral_id, Answer answer,
                      v1::ReferralStatusReason reason, const std::string& note, AnswerOutcome& outcome) const;
  // One provider answer as a gRPC call: the referral after it, and the next attempt where the
  // response has room for one (reject, fail).
  template <class Request, class Response>
  grpc::ServerUnaryReactor* answer_call(grpc::CallbackServerContext* context, std::string_view method, Answer kind,
                                        const Request& request, Response& response, v1::ReferralStatusReason reason,
                                        std::string note) {
    return gate_.blocking_unary(context, method, [this, method, kind, &request, &response, reason, note](const rpc::Caller& caller) {
      return with_retryable_errors([&] {
        AnswerOutcome outcome;
        auto status = answer(caller, request.referral_id(), kind, reason, note, outcome);
        if (!status.ok()) return status;
        status = audit_.record(caller, change_of(method, case_of_referral(request.referral_id()), request.referral_id()));
        if (!status.ok()) return status;  // answered again (idempotently) on retry, and recorded then
        *response.mutable_referral() = outcome.referral;
        if constexpr (requires { response.set_next_referral_id(std::string()); }) response.set_next_referral_id(outcome.next_referral_id);
        return status;
      });
    });
  }
  grpc::Status record_decision(const rpc::Caller& caller, const v1::RecordDecisionRequest& request, v1::Decision& out) const;
  grpc::Status list(const rpc::Caller& caller, const v1::ListReferralsRequest& request, v1::ListReferralsResponse& response) const;
  grpc::Status referral_data(const rpc::Caller& caller, const v1::GetReferralDataRequest& request, v1::ReferralData& out) const;
  // The case key of a state's sealed case; nullopt when erased. Throws CaseKeyUnavailable.
  std::optional<crypto::SecretKey> case_key(const v1::CaseRoutingState& state, const std::string& purpose) const;
  v1::Referral view_for(const rpc::Caller& caller, const v1::Referral& referral) const;

  rpc::CallGate gate_;
  const CaseUpdater& updater_;
  const RoutingStore& store_;
  crypto::CaseKeyClient& keys_;
  const audit::AuditTrail& audit_;
  std::uint32_t max_exception_days_;
};

// Access rules, free functions so that tests can state them.
// Roles that read referrals and decisions across providers.
bool sees_every_referral(const rpc::Caller& caller);
// Such a role, working in the case's jurisdiction (or a service).
bool works_on(const rpc::Caller& caller, const pact::intake::v1::CaseSummary& summary);
// The referral's provider (or a routing admin) answers it.
bool may_answer(const rpc::Caller& caller, const v1::Referral& referral, const pact::intake::v1::CaseSummary& summary);
// Only the referral's provider reads the person's data it allows: no role stands in for that.
bool may_read_data(const rpc::Caller& caller, const v1::Referral& referral);

}  // namespace pact::routing
