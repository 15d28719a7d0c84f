#include "view_scope.h"

namespace pact::situation {

bool ViewScope::covers_any(const google::protobuf::RepeatedPtrField<std::string>& codes) const {
  if (whole_hub) return true;
  for (const auto& code : codes) {
    if (jurisdictions.count(code) != 0) return true;
  }
  return false;
}

std::string ViewScope::key() const {
  if (whole_hub) return "*";
  std::string key;
  for (const auto& code : jurisdictions) key += code + ",";
  return key;
}

ViewScope scope_of(const rpc::Caller& caller) {
  if (caller.kind == rpc::CallerKind::service || caller.has_role("administrator")) return ViewScope{};
  return ViewScope{.whole_hub = false,
                   .jurisdictions = std::set<std::string>(caller.jurisdictions.begin(), caller.jurisdictions.end())};
}

}  // namespace pact::situation
