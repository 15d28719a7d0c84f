#pragma once

#include <memory>
#include <optional>

#include <grpcpp/grpcpp.h>

#include "config/platform_config.h"
#include "rpc/caller.h"

namespace pact::rpc {

struct Authentication {
  std::optional<Caller> caller;
  grpc::Status refusal;  // UNAUTHENTICATED (or PERMISSION_DENIED) when caller is empty
};

// Establishes the caller of one call from its context (metadata, peer certificate).
class Authenticator {
 public:
  virtual ~Authenticator() = default;
  virtual Authentication authenticate(const grpc::CallbackServerContext& context) const = 0;
};

// Identity straight from request metadata (x-pact-subject, x-pact-organisation, x-pact-roles,
// x-pact-jurisdictions, x-pact-caller-kind, and x-pact-on-behalf-of-* for the person a service acts
// for). Anyone can claim anything with it, so it refuses to exist outside development mode.
class DevelopmentAuthenticator : public Authenticator {
 public:
  // Throws std::logic_error unless mode is development.
  explicit DevelopmentAuthenticator(config::SecurityMode mode);
  Authentication authenticate(const grpc::CallbackServerContext& context) const override;
};

// The client side of the development identity: sets the metadata DevelopmentAuthenticator reads.
void attach_development_identity(grpc::ClientContext& context, const Caller& caller);

}  // namespace pact::rpc
