#pragma once

#include <memory>

#include "rpc/authenticator.h"
#include "security/access_policy.h"
#include "security/certificate_authorities.h"
#include "security/token_verifier.h"

namespace pact::security {

// Production authentication, in the one handler wrapper (gRPC 1.51's AuthMetadataProcessor cannot
// fail a call on plaintext and interceptors cannot fail one at all):
//   - a verified client certificate whose common name the access policy lists: that service (a
//     peer hub's CA proves only the entries pinned to it with `peer_ca`);
//   - a bearer token ("authorization: Bearer <JWT>") that verifies: that person;
//   - both: the service, acting on the person's behalf (their token forwarded);
//   - neither, an unknown certificate, or a token that does not verify: UNAUTHENTICATED.
class CredentialAuthenticator : public rpc::Authenticator {
 public:
  // `tokens` may be null: then only services (certificates) can call. Without `peer_cas` the
  // handshake trusts the hub's own CAs only, so every verified certificate is the hub's; with them,
  // `hub_cas` tells the hub's from the peers'.
  struct Issuers {
    std::shared_ptr<const CertificateAuthorities> hub_cas;
    std::shared_ptr<const CertificateAuthorities> peer_cas;
  };
  CredentialAuthenticator(std::shared_ptr<const AccessPolicy> policy, std::shared_ptr<const TokenVerifier> tokens,
                          Issuers issuers = {});
  rpc::Authentication authenticate(const grpc::CallbackServerContext& context) const override;

 private:
  std::shared_ptr<const AccessPolicy> policy_;
  std::shared_ptr<const TokenVerifier> tokens_;
  Issuers issuers_;
};

}  // namespace pact::security
