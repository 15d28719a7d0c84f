#pragma once

#include <memory>

#include "rpc/authenticator.h"
#include "security/access_policy.h"
#include "security/hub_certificate_authority.h"
#include "security/token_verifier.h"

namespace pact::security {

// Production authentication, in the one handler wrapper (gRPC 1.51's AuthMetadataProcessor cannot
// fail a call on plaintext and interceptors cannot fail one at all):
//   - a verified client certificate whose common name the access policy lists: that service (a
//     peer hub's CA proves only the names marked `peer`);
//   - a bearer token ("authorization: Bearer <JWT>") that verifies: that person;
//   - both: the service, acting on the person's behalf (their token forwarded);
//   - neither, an unknown certificate, or a token that does not verify: UNAUTHENTICATED.
class CredentialAuthenticator : public rpc::Authenticator {
 public:
  // `tokens` may be null: then only services (certificates) can call. `hub_ca` is null when the
  // handshake trusts the hub's own CA only (no peer CAs): every verified certificate is the hub's.
  CredentialAuthenticator(std::shared_ptr<const AccessPolicy> policy, std::shared_ptr<const TokenVerifier> tokens,
                          std::shared_ptr<const HubCertificateAuthority> hub_ca = nullptr);
  rpc::Authentication authenticate(const grpc::CallbackServerContext& context) const override;

 private:
  std::shared_ptr<const AccessPolicy> policy_;
  std::shared_ptr<const TokenVerifier> tokens_;
  std::shared_ptr<const HubCertificateAuthority> hub_ca_;
};

}  // namespace pact::security
