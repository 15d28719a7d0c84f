#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config/platform_config.h"
#include "rpc/caller.h"
#include "security/access_policy.h"
#include "security/token_verifier.h"

namespace pact::situation {

// Why a console request is refused: 401 (no or bad credentials) or 403 (not an EOC role).
struct ConsoleRefusal {
  int http_status = 401;
  std::string message;
};

// The console's authentication, the same as the gRPC API's for people: a bearer token from the
// hub's token issuer, and the access policy's roles for the SituationService method the request
// stands for. A browser cannot put a header on an EventSource, so after sign-in the token rides in
// an HttpOnly, SameSite=Strict cookie. In development mode without token keys anyone is let in as
// a development duty officer (development mode is refused outside a laptop).
class ConsoleAuthenticator {
 public:
  // `tokens` and `policy` may be null in development mode only (throws std::invalid_argument).
  // `hub_jurisdictions` are the development duty officer's.
  ConsoleAuthenticator(config::SecurityMode mode, std::shared_ptr<const security::TokenVerifier> tokens,
                       std::shared_ptr<const security::AccessPolicy> policy,
                       std::vector<std::string> hub_jurisdictions = {});

  // `authorization` is the Authorization header (may be empty), `cookie_token` the session cookie's
  // value (may be empty); `method` the policy's name, e.g. "pact.situation.v1.SituationService/GetSituation".
  std::variant<rpc::Caller, ConsoleRefusal> authenticate(std::string_view authorization, std::string_view cookie_token,
                                                         std::string_view method) const;

  // Checks a token offered at sign-in; nullopt when it verifies and its holder may read the situation.
  std::optional<ConsoleRefusal> check_sign_in(std::string_view token) const;

  static constexpr std::string_view kCookie = "pact_console";

 private:
  std::variant<rpc::Caller, ConsoleRefusal> verify(std::string_view token, std::string_view method) const;

  config::SecurityMode mode_;
  std::shared_ptr<const security::TokenVerifier> tokens_;
  std::shared_ptr<const security::AccessPolicy> policy_;
  std::vector<std::string> hub_jurisdictions_;
};

// The value of cookie `name` in a Cookie header; empty when absent.
std::string cookie_value(std::string_view cookie_header, std::string_view name);

}  // namespace pact::situation
