#pragma once

#include <memory>

#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>

#include "config/platform_config.h"

namespace pact::security {

// The roots a server's handshake trusts: ca_file, or, with peer hubs, ca_file and peer_ca_file
// written together to one file of this process, rewritten when either changes (checked every
// refresh_interval), so both rotate without a restart.
std::string trusted_roots_file(const config::TlsSettings& tls);

// Server side: this process's certificate, and client certificates verified against the CA when
// presented. People's clients (pactctl, a case-management front end) have no certificate and bring
// a bearer token instead; services present theirs (mutual TLS), which identifies them. Files are
// watched and reloaded every tls.refresh_interval.
std::shared_ptr<grpc::ServerCredentials> server_credentials(const config::TlsSettings& tls);

// Client side: verifies the server's certificate and host name against ca_file (and peer_ca_file
// `with_peer_cas`: a peer hub's server). With `present_certificate` the process also proves its own
// identity (a service calling a service).
std::shared_ptr<grpc::ChannelCredentials> channel_credentials(const config::TlsSettings& tls,
                                                              bool present_certificate, bool with_peer_cas = false);

}  // namespace pact::security
