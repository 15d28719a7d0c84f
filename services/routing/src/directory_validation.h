#pragma once

#include <string>
#include <vector>

#include "pact/routing/v1/directory.pb.h"

// What makes a directory entry usable by routing and notification, checked the same way for an
// AddService call and for a row of an import file (rules: docs/routing-directory.md).
namespace pact::routing {

namespace v1 = ::pact::routing::v1;
namespace common = ::pact::common::v1;

// One problem with one field. `field` is the field's path in the import JSON ("area.jurisdictions",
// "channels[1].address"; indices from 0), so importers can point at the value and API callers can
// turn it into a BadRequest field violation.
struct FieldProblem {
  std::string field;
  std::string message;
};

// Every problem of the organisation; empty when it is fine.
std::vector<FieldProblem> organization_problems(const v1::Organization& organization);

// Every problem of the service on its own; whether its organisation exists is the caller's check.
std::vector<FieldProblem> service_problems(const v1::Service& service);

}  // namespace pact::routing
