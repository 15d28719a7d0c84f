#include "security/client_identity.h"

#include "rpc/authenticator.h"
#include "security/tls_credentials.h"

namespace pact::security {

ClientIdentity ClientIdentity::for_service(const config::SecuritySettings& security) {
  ClientIdentity identity;
  identity.credentials_ = security.tls.enabled() ? channel_credentials(security.tls, /*present_certificate=*/true)
                                                 : grpc::InsecureChannelCredentials();
  if (security.tls.enabled() && !security.tls.peer_ca_file.empty()) {
    identity.peer_credentials_ = channel_credentials(security.tls, /*present_certificate=*/true, /*with_peer_cas=*/true);
  }
  identity.metadata_identity_ = security.mode == config::SecurityMode::development;
  return identity;
}

ClientIdentity ClientIdentity::for_person(const std::string& ca_file, std::string bearer_token) {
  ClientIdentity identity;
  if (ca_file.empty()) {
    identity.credentials_ = grpc::InsecureChannelCredentials();
  } else {
    config::TlsSettings tls;
    tls.ca_file = ca_file;
    identity.credentials_ = channel_credentials(tls, /*present_certificate=*/false);
  }
  identity.metadata_identity_ = false;
  identity.bearer_token_ = std::move(bearer_token);
  return identity;
}

ClientIdentity ClientIdentity::development(const std::string& ca_file) {
  ClientIdentity identity = for_person(ca_file, "");
  identity.metadata_identity_ = true;
  return identity;
}

std::shared_ptr<grpc::Channel> ClientIdentity::peer_channel(const std::string& address) const {
  return grpc::CreateChannel(address, peer_credentials());
}

std::shared_ptr<grpc::Channel> ClientIdentity::channel(const std::string& address,
                                                       const grpc::ChannelArguments& arguments) const {
  return grpc::CreateCustomChannel(address, credentials_, arguments);
}

void ClientIdentity::identify(grpc::ClientContext& context, const rpc::Caller& acting) const {
  if (metadata_identity_) {
    rpc::attach_development_identity(context, acting);
    return;
  }
  const std::string& token =
      !bearer_token_.empty() ? bearer_token_ : (acting.on_behalf_of ? acting.on_behalf_of->bearer_token : bearer_token_);
  if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
}

}  // namespace pact::security
