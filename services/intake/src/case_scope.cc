#include "case_scope.h"

#include <algorithm>
#include <cctype>
#include <string_view>

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

bool records_as(const rpc::Caller& caller, common::v1::Sector sector) {
  if (caller.kind == rpc::CallerKind::service || caller.sector.empty()) return true;
  auto plain = [](std::string name) {
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return c == '-' ? '_' : static_cast<char>(std::tolower(c)); });
    constexpr std::string_view kPrefix = "sector_";
    return name.starts_with(kPrefix) ? name.substr(kPrefix.size()) : name;
  };
  return plain(caller.sector) == plain(common::v1::Sector_Name(sector));
}

grpc::Status outside_scope() {
  return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "the case belongs to a jurisdiction you do not work in");
}

}  // namespace pact::intake
