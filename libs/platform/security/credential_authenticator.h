#pragma once

#include <memory>

#include "rpc/authenticator.h"
#include "security/access_policy.h"
#include "security/token_verifier.h"

namespace pact::security {

// Production authentication, in the one handler wrapper (gRPC 1.51's AuthMetadataProcessor cannot
// fail a call on plaintext and interceptors cannot fail one at all):
//   - a verified client certificate whose common name the access policy lists: that service;
//   - a bearer token ("authorization: Bearer <JWT>") that verifies: that person;
//   - both: the service, acting on the person's behalf (their token forwarded);
//   - neither, an unknown certificate, or a token that does not verify: UNAUTHENTICATED.
class CredentialAuthenticator : public rpc::Authenticator {
 public:
  // `tokens` may be null: then only services (certificates) can call.
  CredentialAuthenticator(std::shared_ptr<const AccessPolicy> policy, std::shared_ptr<const TokenVerifier> tokens);
  rpc::Authentication authenticate(const grpc::CallbackServerContext& context) const override;

 private:
  std::shared_ptr<const AccessPolicy> policy_;
  std::shared_ptr<const TokenVerifier> tokens_;
};

}  // namespace pact::security
