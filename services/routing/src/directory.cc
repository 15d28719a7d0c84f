#include "directory.h"

namespace pact::routing {

Directory::Directory(std::vector<v1::Organization> organizations, std::vector<v1::Service> services)
    : organizations_(std::move(organizations)), services_(std::move(services)) {
  for (std::size_t i = 0; i < organizations_.size(); ++i) organization_index_[organizations_[i].organization_id()] = i;
  for (std::size_t i = 0; i < services_.size(); ++i) {
    service_index_[services_[i].service_id()] = i;
    by_type_[services_[i].type()].push_back(&services_[i]);
    for (int jurisdiction : services_[i].area().jurisdictions()) {
      by_type_and_area_[{services_[i].type(), static_cast<common::Jurisdiction>(jurisdiction)}].push_back(&services_[i]);
    }
  }
}

const v1::Service* Directory::service(const std::string& service_id) const {
  auto found = service_index_.find(service_id);
  return found == service_index_.end() ? nullptr : &services_[found->second];
}

const v1::Organization* Directory::organization(const std::string& organization_id) const {
  auto found = organization_index_.find(organization_id);
  return found == organization_index_.end() ? nullptr : &organizations_[found->second];
}

const std::vector<const v1::Service*>& Directory::services_of_type(v1::ServiceType type) const {
  static const std::vector<const v1::Service*> kNone;
  auto found = by_type_.find(type);
  return found == by_type_.end() ? kNone : found->second;
}

}  // namespace pact::routing

namespace pact::routing {

const std::vector<const v1::Service*>& Directory::services_serving(v1::ServiceType type, common::Jurisdiction jurisdiction) const {
  static const std::vector<const v1::Service*> kNone;
  auto found = by_type_and_area_.find({type, jurisdiction});
  return found == by_type_and_area_.end() ? kNone : found->second;
}

}  // namespace pact::routing
