#include "security/credential_authenticator.h"

#include <chrono>

namespace pact::security {
namespace {

rpc::Authentication unauthenticated(std::string message) {
  return {std::nullopt, grpc::Status(grpc::StatusCode::UNAUTHENTICATED, std::move(message))};
}

std::optional<std::string> certificate_name(const grpc::CallbackServerContext& context) {
  auto auth = context.auth_context();
  if (!auth || !auth->IsPeerAuthenticated()) return std::nullopt;
  auto names = auth->FindPropertyValues("x509_common_name");
  if (names.empty()) return std::nullopt;
  return std::string(names.front().data(), names.front().size());
}

std::optional<std::string_view> bearer_token(const grpc::CallbackServerContext& context) {
  const auto& metadata = context.client_metadata();
  auto found = metadata.find("authorization");
  if (found == metadata.end()) return std::nullopt;
  std::string_view value(found->second.data(), found->second.size());
  constexpr std::string_view kScheme = "Bearer ";
  if (value.size() <= kScheme.size() || value.substr(0, kScheme.size()) != kScheme) return std::string_view();
  return value.substr(kScheme.size());
}

}  // namespace

CredentialAuthenticator::CredentialAuthenticator(std::shared_ptr<const AccessPolicy> policy,
                                                 std::shared_ptr<const TokenVerifier> tokens)
    : policy_(std::move(policy)), tokens_(std::move(tokens)) {}

rpc::Authentication CredentialAuthenticator::authenticate(const grpc::CallbackServerContext& context) const {
  std::optional<rpc::Caller> service;
  if (auto name = certificate_name(context)) {
    service = policy_->service_for_certificate(*name);
    if (!service) return unauthenticated("client certificate not registered in the access policy");
  }
  std::optional<rpc::Caller> person;
  if (auto token = bearer_token(context)) {
    if (token->empty()) return unauthenticated("authorization metadata must be 'Bearer <token>'");
    if (!tokens_) return unauthenticated("this server accepts no bearer tokens (security.tokens)");
    TokenCheck check = tokens_->verify(*token, std::chrono::system_clock::now());
    if (!check.caller) return unauthenticated(check.problem);
    person = std::move(check.caller);
  }
  if (service && person) {
    service->on_behalf_of = std::make_shared<const rpc::Caller>(std::move(*person));
    return {std::move(service), grpc::Status::OK};
  }
  if (service) return {std::move(service), grpc::Status::OK};
  if (person) return {std::move(person), grpc::Status::OK};
  return unauthenticated("present a bearer token or a client certificate");
}

}  // namespace pact::security
