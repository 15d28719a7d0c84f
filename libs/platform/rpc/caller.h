#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace pact::rpc {

enum class CallerKind { person, service };

// Who is calling. Every handler runs with one; a service calling on a person's behalf sends its own
// identity and the person's (on_behalf_of).
struct Caller {
  CallerKind kind = CallerKind::person;
  std::string subject;       // stable id of the person or service, never a name
  std::string organisation;  // the caller's organisation (scopes idempotency keys and records)
  std::vector<std::string> roles;
  std::vector<std::string> jurisdictions;  // ISO codes the caller works in
  std::string sector;                      // a frontline person's sector (token claim), else empty
  std::shared_ptr<const Caller> on_behalf_of;
  // The person's verified bearer token, forwarded when a service calls another on their behalf.
  // Never logged.
  std::string bearer_token;

  bool has_role(const std::string& role) const {
    return std::find(roles.begin(), roles.end(), role) != roles.end();
  }
  bool works_in(const std::string& jurisdiction) const {
    return std::find(jurisdictions.begin(), jurisdictions.end(), jurisdiction) != jurisdictions.end();
  }
};

// A service's own identity, for the calls it makes as itself.
inline Caller service_caller(std::string subject, std::string organisation, std::vector<std::string> roles) {
  Caller caller;
  caller.kind = CallerKind::service;
  caller.subject = std::move(subject);
  caller.organisation = std::move(organisation);
  caller.roles = std::move(roles);
  return caller;
}

}  // namespace pact::rpc
