#pragma once

#include <set>
#include <string>

#include <google/protobuf/repeated_ptr_field.h>

#include "rpc/caller.h"

namespace pact::situation {

// Which jurisdictions a caller's picture covers (the record-level scope every service applies):
// a duty officer sees the jurisdictions their token names; administrators and services see the
// whole hub.
struct ViewScope {
  bool whole_hub = true;
  std::set<std::string> jurisdictions;

  bool covers(const std::string& jurisdiction) const { return whole_hub || jurisdictions.count(jurisdiction) != 0; }
  // True when any of `codes` is covered; an item tied to no jurisdiction counts for the whole hub only.
  bool covers_any(const google::protobuf::RepeatedPtrField<std::string>& codes) const;
  // A stable name, for caching pictures per scope.
  std::string key() const;
};

ViewScope scope_of(const rpc::Caller& caller);

}  // namespace pact::situation
