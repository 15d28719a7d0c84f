#pragma once

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "config/platform_config.h"
#include "rpc/caller.h"

namespace pact::security {

// How this process calls other gRPC servers: the channel's credentials and who it says it is.
//   a service in production: mutual TLS (its certificate identifies it) and, when it acts for a
//     person, that person's token forwarded as the bearer token;
//   a person's tool: TLS (the server is verified) and the person's own bearer token;
//   development: identity in metadata (x-pact-*), over TLS when certificates are configured.
class ClientIdentity {
 public:
  static ClientIdentity for_service(const config::SecuritySettings& security);
  // `ca_file` empty: plaintext (a development server).
  static ClientIdentity for_person(const std::string& ca_file, std::string bearer_token);
  // `ca_file` empty: plaintext.
  static ClientIdentity development(const std::string& ca_file = "");

  // A channel to this hub's services: their certificates must come from this hub's CA.
  std::shared_ptr<grpc::Channel> channel(const std::string& address,
                                         const grpc::ChannelArguments& arguments = grpc::ChannelArguments()) const;
  // A channel to a peer hub (routing's handoffs): its certificate may come from a peer hub's CA
  // (security.tls.peer_ca_file) too. Without peer CAs, the same as channel().
  std::shared_ptr<grpc::Channel> peer_channel(const std::string& address) const;
  // Sets the call's identity metadata; `acting` is who the call is made as (in production a
  // service's own identity comes from its certificate, so only its on_behalf_of matters).
  void identify(grpc::ClientContext& context, const rpc::Caller& acting) const;
  const std::shared_ptr<grpc::ChannelCredentials>& credentials() const { return credentials_; }
  const std::shared_ptr<grpc::ChannelCredentials>& peer_credentials() const {
    return peer_credentials_ ? peer_credentials_ : credentials_;
  }

 private:
  std::shared_ptr<grpc::ChannelCredentials> credentials_;
  std::shared_ptr<grpc::ChannelCredentials> peer_credentials_;  // null: credentials_
  bool metadata_identity_ = true;
  std::string bearer_token_;
};

}  // namespace pact::security
