#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "rpc/caller.h"

namespace pact::security {

// Who may call which RPC, as data (an operator changes it without a rebuild):
//
//   services:            # client certificate common name -> the service identity it proves
//     pact-screening: {subject: service:screening, organisation: pact-hub, roles: [screening]}
//     pact-routing.mk: {subject: "hub:mk", organisation: mk, roles: [hub], peer: true}
//   methods:             # full method name -> roles allowed to call it; absent means nobody
//     pact.intake.v1.IntakeService/GetCase: [case_worker, coordinator]
//
// The wrapper checks the direct caller's roles (a service calling on a person's behalf is checked
// as the service; the service itself checks what the person may see). Record-level scope
// (jurisdiction, organisation) is the services' job: this only says who may call at all.
// Who signed a client certificate: the hub's own CA (security.tls.ca_file), or a peer hub's
// (security.tls.peer_ca_file), which can only prove the identities marked `peer: true`: a peer
// that issues itself "pact-routing" must not become this hub's routing service.
enum class CertificateIssuer { hub_ca, peer_ca };

class AccessPolicy {
 public:
  // Throws std::runtime_error listing every problem in the file.
  static AccessPolicy from_file(const std::filesystem::path& file);
  static AccessPolicy from_yaml(std::string_view yaml, const std::string& source_name);

  // The identity a verified client certificate with this common name stands for, if any.
  std::optional<rpc::Caller> service_for_certificate(const std::string& common_name,
                                                     CertificateIssuer issuer = CertificateIssuer::hub_ca) const;
  bool allows(std::string_view full_method, const rpc::Caller& caller) const;
  // Methods of the named gRPC services (from the compiled descriptors) that the policy does not
  // mention: a new RPC must be given its roles on purpose, never be open by default.
  std::vector<std::string> unlisted_methods(const std::vector<std::string>& service_names) const;

 private:
  std::map<std::string, rpc::Caller, std::less<>> services_;
  std::set<std::string, std::less<>> peers_;  // certificate names a peer hub's CA may prove
  std::map<std::string, std::set<std::string>, std::less<>> methods_;
};

}  // namespace pact::security
