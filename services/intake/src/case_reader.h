#pragma once

#include <chrono>
#include <string>

#include <grpcpp/support/status.h>

#include "case_store.h"
#include "crypto/key_wrap.h"
#include "pact/intake/v1/intake.pb.h"
#include "case_scope.h"
#include "rpc/caller.h"

namespace pact::intake {

// Reading cases: a case with its personal data (for a stated purpose), the list of case summaries
// (coarse attributes only), and the release of a case key to an authenticated service. People see
// the cases of the jurisdictions they work in; every key release is audited.
class CaseReader {
 public:
  CaseReader(const config::Hub& hub, CaseStore& store, const crypto::KeyWrapper& key_wrapper,
             std::chrono::milliseconds key_cache_ttl);

  grpc::Status get(const rpc::Caller& caller, const v1::GetCaseRequest& request, v1::GetCaseResponse& response);
  grpc::Status list(const rpc::Caller& caller, const v1::ListCasesRequest& request, v1::ListCasesResponse& response);
  grpc::Status release_key(const rpc::Caller& caller, const v1::ReleaseCaseKeyRequest& request,
                           v1::ReleaseCaseKeyResponse& response);

 private:
  const config::Hub& hub_;
  CaseStore& store_;
  const crypto::KeyWrapper& key_wrapper_;
  std::chrono::milliseconds key_cache_ttl_;
};


}  // namespace pact::intake
