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
//     pact-routing.mk: {subject: "hub:mk", organisation: mk, roles: [hub], peer_ca: "3f:a1:..."}
//   methods:             # full method name -> roles allowed to call it; absent means nobody
//     pact.intake.v1.IntakeService/GetCase: [case_worker, coordinator]
//
// The wrapper checks the direct caller's roles (a service calling on a person's behalf is checked
// as the service; the service itself checks what the person may see). Record-level scope
// (jurisdiction, organisation) is the services' job: this only says who may call at all.
class AccessPolicy {
 public:
  // Throws std::runtime_error listing every problem in the file.
  static AccessPolicy from_file(const std::filesystem::path& file);
  static AccessPolicy from_yaml(std::string_view yaml, const std::string& source_name);

  // The identity a verified client certificate with this common name stands for, if any.
  // `peer_ca` is the SHA-256 fingerprint of the peer hub's CA that issued it (security.tls.peer_ca_file),
  // nothing for this hub's own CA (ca_file). An entry with `peer_ca` is proved only by a certificate
  // of that CA; an entry without, only by this hub's: a peer that issues itself "pact-routing", or
  // another peer's name, gets no identity.
  std::optional<rpc::Caller> service_for_certificate(const std::string& common_name,
                                                     const std::optional<std::string>& peer_ca = std::nullopt) const;
  bool allows(std::string_view full_method, const rpc::Caller& caller) const;
  // Methods of the named gRPC services (from the compiled descriptors) that the policy does not
  // mention: a new RPC must be given its roles on purpose, never be open by default.
  std::vector<std::string> unlisted_methods(const std::vector<std::string>& service_names) const;

 private:
  std::map<std::string, rpc::Caller, std::less<>> services_;
  std::map<std::string, std::string, std::less<>> peer_cas_;  // certificate name -> its peer CA's fingerprint
  std::map<std::string, std::set<std::string>, std::less<>> methods_;
};

}  // namespace pact::security
