#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "security/client_identity.h"
#include "security/token_signer.h"

namespace pact::security {

// How a command-line tool (pactctl, the load generator, the webhook receiver's stand-in NGOs) proves
// who it acts as, from its environment:
//   PACT_CA_FILE            TLS: servers are verified against this CA (unset: plaintext)
//   PACT_TOKEN              a person's bearer token from the identity provider: every call carries it
//   PACT_TOKEN_SIGNING_KEY  (with PACT_TOKEN_ISSUER) the local run's signing key: the tool mints a
//                           short-lived token for each identity it acts as. For the local run and
//                           the tests only; a deployment's tokens come from its identity provider.
//   none of the two:        development metadata (x-pact-*), accepted in development mode only.
class ToolIdentity {
 public:
  struct Settings {
    std::string ca_file;
    std::string token;
    std::string signing_key_file;
    std::string issuer;
    std::string audience = "pact";
  };
  // Throws std::runtime_error for an unreadable signing key or a key without an issuer.
  explicit ToolIdentity(Settings settings);
  static Settings environment_settings();
  static ToolIdentity from_environment() { return ToolIdentity(environment_settings()); }

  std::shared_ptr<grpc::Channel> channel(const std::string& address,
                                         const grpc::ChannelArguments& arguments = grpc::ChannelArguments()) const;
  // Attaches the identity of `as` (minted or development) or the given token.
  void identify(grpc::ClientContext& context, const rpc::Caller& as) const;
  const std::shared_ptr<grpc::ChannelCredentials>& credentials() const { return channels_.credentials(); }
  bool has_token() const { return !settings_.token.empty(); }

 private:
  std::string minted_token(const rpc::Caller& as) const;

  Settings settings_;
  ClientIdentity channels_;
  std::optional<TokenSigner> signer_;
  struct Minted {
    std::string token;
    std::chrono::system_clock::time_point renew_after;
  };
  mutable std::mutex mutex_;
  mutable std::map<std::string, Minted> minted_;
};

}  // namespace pact::security
