#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "pact/routing/v1/directory.pb.h"

namespace pact::routing {

namespace v1 = ::pact::routing::v1;
namespace common = ::pact::common::v1;

// An immutable view of the provider directory with live capacity as last read, indexed for
// selection. Routing decisions read one snapshot; reservations are checked again atomically in
// Redis, so a stale capacity figure can only make routing try a provider that turns out full.
class Directory {
 public:
  Directory() = default;
  Directory(std::vector<v1::Organization> organizations, std::vector<v1::Service> services);

  const v1::Service* service(const std::string& service_id) const;
  const v1::Organization* organization(const std::string& organization_id) const;
  const std::vector<const v1::Service*>& services_of_type(v1::ServiceType type) const;
  // The services of `type` whose area includes `jurisdiction`: what selection scans.
  const std::vector<const v1::Service*>& services_serving(v1::ServiceType type, common::Jurisdiction jurisdiction) const;
  const std::vector<v1::Service>& services() const { return services_; }
  const std::vector<v1::Organization>& organizations() const { return organizations_; }

 private:
  std::vector<v1::Organization> organizations_;
  std::vector<v1::Service> services_;
  std::map<std::string, std::size_t> service_index_;
  std::map<std::string, std::size_t> organization_index_;
  std::map<v1::ServiceType, std::vector<const v1::Service*>> by_type_;
  std::map<std::pair<v1::ServiceType, common::Jurisdiction>, std::vector<const v1::Service*>> by_type_and_area_;
};

}  // namespace pact::routing
