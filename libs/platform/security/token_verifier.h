#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "config/platform_config.h"
#include "rpc/caller.h"
#include "security/public_key_ring.h"

namespace pact::security {

struct TokenCheck {
  std::optional<rpc::Caller> caller;  // set when the token is valid
  std::string problem;                // why not, for the log and the UNAUTHENTICATED message; no claims
};

// Verifies the bearer tokens (JWT, RFC 7519) people present, against the issuers' public keys.
// Accepted signatures: EdDSA (Ed25519), ES256 and RS256; "none" and HMAC never (a shared secret
// would let every service mint tokens). Claims read:
//   iss (must equal tokens.issuer), aud (must contain tokens.audience), exp (required),
//   nbf and iat (optional), sub, org (the person's organisation), roles and jurisdictions
//   (arrays of strings), sector (optional, for frontline roles).
// A token may live at most tokens.max_lifetime, so a stolen long-lived token is refused even if an
// issuer was misconfigured to mint one.
class TokenVerifier {
 public:
  // Throws std::runtime_error when the key directory holds no usable key.
  explicit TokenVerifier(const config::TokenSettings& settings);

  TokenCheck verify(std::string_view token, std::chrono::system_clock::time_point now) const;

 private:
  config::TokenSettings settings_;
  PublicKeyRing keys_;
};

// Checks a JWS signature over `signed_part` with `key` for the given JWT "alg"; false on any mismatch
// (an RSA key presented for EdDSA, a short signature).
bool signature_matches(const PublicKey& key, std::string_view algorithm, std::string_view signed_part,
                       std::string_view signature);

}  // namespace pact::security
