#pragma once

// A hub in production security mode for the security tests: certificates from
// deploy/security/make-local-pki.sh, people's tokens minted with its local signing key, and the
// access policy the project ships (deploy/security/access-policy.yaml).

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "config/platform_config.h"
#include "rpc/caller.h"
#include "security/client_identity.h"
#include "security/tls_credentials.h"
#include "security/token_signer.h"
#include "support/infrastructure.h"

namespace pact::security::testing {

namespace fs = std::filesystem;

inline constexpr const char* kIssuer = "pact-local";

// The local PKI, made once per test binary.
inline const fs::path& local_pki() {
  static const fs::path pki = [] {
    fs::path dir = fs::path(::testing::TempDir()) / ("pact-pki-" + std::to_string(::getpid()));
    const std::string command = "bash " + std::string(PACT_SOURCE_DIR) + "/deploy/security/make-local-pki.sh " +
                                dir.string() + " >/dev/null";
    if (std::system(command.c_str()) != 0) ADD_FAILURE() << "make-local-pki.sh failed";
    return dir;
  }();
  return pki;
}

// The SHA-256 fingerprint of a CA certificate, as an operator writes it in a policy's peer_ca.
inline std::string ca_fingerprint(const fs::path& certificate) {
  const std::string command = "openssl x509 -noout -fingerprint -sha256 -in " + certificate.string();
  std::string out;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    char buffer[256];
    while (std::fgets(buffer, sizeof buffer, pipe)) out += buffer;
    pclose(pipe);
  }
  const auto equals = out.find('=');
  return equals == std::string::npos ? "" : out.substr(equals + 1, out.find_last_not_of("\n") - equals);
}

// Production security for a hub's platform settings: every service presents its own certificate.
inline void secure(config::PlatformConfig& platform, const fs::path& pki = local_pki()) {
  platform.security.mode = config::SecurityMode::production;
  platform.security.tls.certificate_file = (pki / "{service}.crt").string();
  platform.security.tls.private_key_file = (pki / "{service}.key").string();
  platform.security.tls.ca_file = (pki / "ca.crt").string();
  platform.security.tls.refresh_interval = std::chrono::seconds(1);
  platform.security.tokens.issuer = kIssuer;
  platform.security.tokens.public_keys_directory = (pki / "token-keys").string();
  platform.security.policy_file = std::string(PACT_SOURCE_DIR) + "/deploy/security/access-policy.yaml";
  platform.security.rate_limit.calls_per_second = 0;
}

inline rpc::Caller person(const std::string& subject, const std::string& organisation, std::vector<std::string> roles,
                          std::vector<std::string> jurisdictions) {
  rpc::Caller caller;
  caller.subject = subject;
  caller.organisation = organisation;
  caller.roles = std::move(roles);
  caller.jurisdictions = std::move(jurisdictions);
  return caller;
}

inline std::string token_for(const rpc::Caller& caller, std::chrono::seconds lifetime = std::chrono::seconds(600),
                             std::chrono::system_clock::time_point issued = std::chrono::system_clock::now()) {
  TokenSigner signer(local_pki() / "token-signing" / "local-1.pem");
  TokenRequest request;
  request.person = caller;
  request.issuer = kIssuer;
  request.issued_at = issued;
  request.lifetime = lifetime;
  return signer.sign(request);
}

// A call context carrying `token` (none when empty) and a generous deadline.
inline std::unique_ptr<grpc::ClientContext> with_token(const std::string& token) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  if (!token.empty()) context->AddMetadata("authorization", "Bearer " + token);
  return context;
}

inline std::unique_ptr<grpc::ClientContext> as_person(const rpc::Caller& caller) { return with_token(token_for(caller)); }

// A mutual-TLS channel presenting one of the PKI's service certificates (e.g. "screening").
inline std::shared_ptr<grpc::Channel> service_channel(const std::string& address, const std::string& service,
                                                      const fs::path& pki = local_pki()) {
  config::TlsSettings tls;
  tls.certificate_file = (pki / (service + ".crt")).string();
  tls.private_key_file = (pki / (service + ".key")).string();
  tls.ca_file = (pki / "ca.crt").string();
  return grpc::CreateChannel(address, channel_credentials(tls, /*present_certificate=*/true));
}

}  // namespace pact::security::testing
