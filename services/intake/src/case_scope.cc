#include "case_scope.h"

namespace pact::intake {

std::string jurisdiction_code(common::v1::Jurisdiction jurisdiction) {
  std::string name = common::v1::Jurisdiction_Name(jurisdiction);
  return name.substr(name.rfind('_') + 1);
}

bool works_on(const rpc::Caller& caller, common::v1::Jurisdiction jurisdiction) {
  if (caller.kind == rpc::CallerKind::service) return true;
  return caller.works_in(jurisdiction_code(jurisdiction));
}

bool works_on(const rpc::Caller& caller, const v1::CaseSummary& summary) {
  return works_on(caller, summary.jurisdiction());
}

grpc::Status outside_scope() {
  return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "the case belongs to a jurisdiction you do not work in");
}

}  // namespace pact::intake
