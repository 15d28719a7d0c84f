#include "security/tool_identity.h"

#include <cstdlib>
#include <stdexcept>

namespace pact::security {
namespace {

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

constexpr std::chrono::minutes kMintedLifetime{30};

}  // namespace

ToolIdentity::ToolIdentity(Settings settings)
    : settings_(std::move(settings)),
      channels_(settings_.token.empty() ? ClientIdentity::development(settings_.ca_file)
                                        : ClientIdentity::for_person(settings_.ca_file, settings_.token)) {
  if (!settings_.signing_key_file.empty() && settings_.token.empty()) {
    if (settings_.issuer.empty()) throw std::runtime_error("PACT_TOKEN_SIGNING_KEY needs PACT_TOKEN_ISSUER");
    signer_.emplace(settings_.signing_key_file);
    channels_ = ClientIdentity::for_person(settings_.ca_file, "");
  }
}

ToolIdentity::Settings ToolIdentity::environment_settings() {
  Settings settings;
  settings.ca_file = environment("PACT_CA_FILE");
  settings.token = environment("PACT_TOKEN");
  settings.signing_key_file = environment("PACT_TOKEN_SIGNING_KEY");
  settings.issuer = environment("PACT_TOKEN_ISSUER");
  return settings;
}

std::shared_ptr<grpc::Channel> ToolIdentity::channel(const std::string& address,
                                                     const grpc::ChannelArguments& arguments) const {
  return channels_.channel(address, arguments);
}

std::string ToolIdentity::minted_token(const rpc::Caller& as) const {
  // One token per distinct identity: each part length-prefixed, so no two identities share a key.
  std::string key;
  auto add = [&key](const std::string& part) { key += std::to_string(part.size()) + ":" + part; };
  add(as.organisation);
  add(as.subject);
  add(as.sector);
  key += "#" + std::to_string(as.roles.size());
  for (const auto& role : as.roles) add(role);
  key += "#" + std::to_string(as.jurisdictions.size());
  for (const auto& code : as.jurisdictions) add(code);
  const auto now = std::chrono::system_clock::now();
  std::lock_guard lock(mutex_);
  auto found = minted_.find(key);
  if (found != minted_.end() && now < found->second.renew_after) return found->second.token;
  TokenRequest request;
  request.person = as;
  request.issuer = settings_.issuer;
  request.audience = settings_.audience;
  request.issued_at = now;
  request.lifetime = kMintedLifetime;
  Minted minted{signer_->sign(request), now + kMintedLifetime / 2};
  return minted_.insert_or_assign(key, std::move(minted)).first->second.token;
}

void ToolIdentity::identify(grpc::ClientContext& context, const rpc::Caller& as) const {
  if (signer_) {
    context.AddMetadata("authorization", "Bearer " + minted_token(as));
    return;
  }
  channels_.identify(context, as);
}

}  // namespace pact::security
