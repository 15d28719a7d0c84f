#pragma once

#include <memory>

#include <grpcpp/security/server_credentials.h>

#include "config/platform_config.h"
#include "rpc/authenticator.h"
#include "rpc/call_gate.h"

namespace pact::security {

// Everything a process's gRPC server needs to know who calls and what they may do, built from the
// `security` section:
//   production:  mutual TLS, certificates and bearer tokens, the policy file (all required);
//   development: identity from metadata (anyone can claim anything), TLS and the policy only if
//                configured — for a laptop and the tests, never for real data.
struct ServerSecurity {
  std::shared_ptr<const rpc::Authenticator> authenticator;
  rpc::CallPolicy policy;
  std::shared_ptr<grpc::ServerCredentials> credentials;
};

// Throws std::runtime_error (an unreadable policy or key directory).
ServerSecurity make_server_security(const config::PlatformConfig& platform);

}  // namespace pact::security
