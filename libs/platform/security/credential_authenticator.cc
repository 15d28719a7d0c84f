#include "security/credential_authenticator.h"

#include <chrono>

#include <grpc/grpc_security_constants.h>

namespace pact::security {
namespace {

rpc::Authentication unauthenticated(std::string message) {
  return {std::nullopt, grpc::Status(grpc::StatusCode::UNAUTHENTICATED, std::move(message))};
}

struct ClientCertificate {
  std::string common_name;
  std::string pem;
  std::string chain_pem;
};

std::string first_value(const grpc::AuthContext& auth, const char* property) {
  auto values = auth.FindPropertyValues(property);
  return values.empty() ? std::string() : std::string(values.front().data(), values.front().size());
}

std::optional<ClientCertificate> client_certificate(const grpc::CallbackServerContext& context) {
  auto auth = context.auth_context();
  if (!auth || !auth->IsPeerAuthenticated()) return std::nullopt;
  ClientCertificate certificate{first_value(*auth, GRPC_X509_CN_PROPERTY_NAME),
                                first_value(*auth, GRPC_X509_PEM_CERT_PROPERTY_NAME),
                                first_value(*auth, GRPC_X509_PEM_CERT_CHAIN_PROPERTY_NAME)};
  if (certificate.common_name.empty()) return std::nullopt;
  return certificate;
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
                                                 std::shared_ptr<const TokenVerifier> tokens,
                                                 Issuers issuers)
    : policy_(std::move(policy)), tokens_(std::move(tokens)), issuers_(std::move(issuers)) {}

rpc::Authentication CredentialAuthenticator::authenticate(const grpc::CallbackServerContext& context) const {
  std::optional<rpc::Caller> service;
  if (auto certificate = client_certificate(context)) {
    std::optional<std::string> peer_ca;  // nothing: this hub's own CA issued it
    if (issuers_.peer_cas) {
      const auto hub = issuers_.hub_cas->issuer_of(certificate->pem, certificate->chain_pem);
      const auto peer = issuers_.peer_cas->issuer_of(certificate->pem, certificate->chain_pem);
      // The nearest CA decides: a peer's CA signed by this hub's (a regional root) still makes peers.
      if (peer && (!hub || peer->distance < hub->distance)) {
        peer_ca = peer->fingerprint;
      } else if (!hub) {
        return unauthenticated("client certificate from a CA this hub no longer trusts");
      }
    }
    service = policy_->service_for_certificate(certificate->common_name, peer_ca);
    if (!service) {
      return unauthenticated(!peer_ca ? "client certificate not registered in the access policy"
                                      : "a peer hub's certificate proves only the policy entries pinned to its CA (peer_ca)");
    }
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
