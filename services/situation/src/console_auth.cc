#include "console_auth.h"

#include <stdexcept>

#include "log/logger.h"

namespace pact::situation {
namespace {

constexpr std::string_view kRead = "pact.situation.v1.SituationService/GetSituation";

rpc::Caller development_duty_officer(const std::vector<std::string>& jurisdictions) {
  rpc::Caller caller;
  caller.subject = "development-console";
  caller.organisation = "development";
  caller.roles = {"eoc_duty_officer"};
  caller.jurisdictions = jurisdictions;
  return caller;
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

}  // namespace

ConsoleAuthenticator::ConsoleAuthenticator(config::SecurityMode mode,
                                           std::shared_ptr<const security::TokenVerifier> tokens,
                                           std::shared_ptr<const security::AccessPolicy> policy,
                                           std::vector<std::string> hub_jurisdictions)
    : mode_(mode), tokens_(std::move(tokens)), policy_(std::move(policy)), hub_jurisdictions_(std::move(hub_jurisdictions)) {
  if (mode_ == config::SecurityMode::production && (!tokens_ || !policy_)) {
    throw std::invalid_argument("the situation console needs security.tokens and security.policy_file in production mode");
  }
}

std::variant<rpc::Caller, ConsoleRefusal> ConsoleAuthenticator::authenticate(std::string_view authorization,
                                                                             std::string_view cookie_token,
                                                                             std::string_view method) const {
  std::string_view token = cookie_token;
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.substr(0, kBearer.size()) == kBearer) token = trimmed(authorization.substr(kBearer.size()));
  if (token.empty()) {
    if (!tokens_ && mode_ == config::SecurityMode::development) return development_duty_officer(hub_jurisdictions_);
    return ConsoleRefusal{401, "sign in with an access token"};
  }
  return verify(token, method);
}

std::optional<ConsoleRefusal> ConsoleAuthenticator::check_sign_in(std::string_view token) const {
  if (trimmed(token).empty()) return ConsoleRefusal{400, "no token given"};
  if (!tokens_) return ConsoleRefusal{400, "this hub takes no tokens (development mode without token keys)"};
  auto result = verify(trimmed(token), kRead);
  if (auto* refusal = std::get_if<ConsoleRefusal>(&result)) return *refusal;
  return std::nullopt;
}

std::variant<rpc::Caller, ConsoleRefusal> ConsoleAuthenticator::verify(std::string_view token,
                                                                      std::string_view method) const {
  if (!tokens_) return ConsoleRefusal{401, "this hub takes no tokens"};
  auto check = tokens_->verify(token, std::chrono::system_clock::now());
  // The reason stays in the server's log; the browser learns only that the token did not verify.
  if (!check.caller) {
    log::info("console sign-in refused", {{"problem", check.problem}});
    return ConsoleRefusal{401, "the access token is not valid (expired, or not from this hub's issuer)"};
  }
  if (policy_ && !policy_->allows(method, *check.caller)) {
    return ConsoleRefusal{403, "your roles do not include the EOC situation (eoc_duty_officer or coordinator)"};
  }
  check.caller->bearer_token.clear();
  return *check.caller;
}

std::string cookie_value(std::string_view cookie_header, std::string_view name) {
  while (!cookie_header.empty()) {
    const auto end = cookie_header.find(';');
    std::string_view pair = trimmed(cookie_header.substr(0, end));
    const auto equals = pair.find('=');
    if (equals != std::string_view::npos && pair.substr(0, equals) == name) return std::string(pair.substr(equals + 1));
    if (end == std::string_view::npos) break;
    cookie_header.remove_prefix(end + 1);
  }
  return {};
}

}  // namespace pact::situation
