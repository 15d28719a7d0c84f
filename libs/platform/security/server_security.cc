#include "security/server_security.h"

#include <algorithm>
#include <stdexcept>

#include "security/credential_authenticator.h"
#include "security/tls_credentials.h"

namespace pact::security {

ServerSecurity make_server_security(const config::PlatformConfig& platform) {
  const config::SecuritySettings& security = platform.security;
  ServerSecurity result;
  std::shared_ptr<const AccessPolicy> access;
  if (!security.policy_file.empty()) access = std::make_shared<const AccessPolicy>(AccessPolicy::from_file(security.policy_file));
  result.policy.access = access;
  result.policy.rate_limiter = std::make_shared<CallerRateLimiter>(security.rate_limit.calls_per_second,
                                                                   security.rate_limit.burst);
  result.credentials = security.tls.enabled() ? server_credentials(security.tls) : grpc::InsecureServerCredentials();
  if (security.mode == config::SecurityMode::development) {
    result.authenticator = std::make_shared<rpc::DevelopmentAuthenticator>(security.mode);
    return result;
  }
  if (!access || !security.tls.enabled()) {
    throw std::runtime_error("production mode needs security.tls and security.policy_file");
  }
  std::shared_ptr<const TokenVerifier> tokens;
  if (security.tokens.enabled()) tokens = std::make_shared<const TokenVerifier>(security.tokens);
  CredentialAuthenticator::Issuers issuers;
  if (!security.tls.peer_ca_file.empty()) {
    issuers.hub_cas = std::make_shared<const CertificateAuthorities>(security.tls.ca_file, security.tls.refresh_interval);
    issuers.peer_cas =
        std::make_shared<const CertificateAuthorities>(security.tls.peer_ca_file, security.tls.refresh_interval);
    // One CA in both files would make every peer certificate of it this hub's.
    for (const auto& hub_ca : issuers.hub_cas->fingerprints()) {
      const auto peers = issuers.peer_cas->fingerprints();
      if (std::find(peers.begin(), peers.end(), hub_ca) != peers.end()) {
        throw std::runtime_error("security.tls.peer_ca_file holds a CA of security.tls.ca_file (SHA-256 " + hub_ca +
                                 "): a peer's CA must not be this hub's");
      }
    }
  }
  result.authenticator = std::make_shared<CredentialAuthenticator>(access, tokens, std::move(issuers));
  return result;
}

}  // namespace pact::security
