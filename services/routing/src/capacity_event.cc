#include "capacity_event.h"

namespace pact::routing {

pact::events::v1::CapacityChanged capacity_changed(const v1::Service& service, const v1::Capacity& capacity,
                                                   pact::events::v1::CapacityChangeReason reason, const std::string& referral_id) {
  pact::events::v1::CapacityChanged changed;
  changed.set_service_id(service.service_id());
  changed.set_organization_id(service.organization_id());
  changed.set_service_name(service.name());
  changed.set_service_type(service.type());
  *changed.mutable_jurisdictions() = service.area().jurisdictions();
  *changed.mutable_site_ids() = service.area().site_ids();
  *changed.mutable_capacity() = capacity;
  changed.set_reason(reason);
  changed.set_referral_id(referral_id);
  changed.set_confidential_location(service.confidential_location());
  return changed;
}

}  // namespace pact::routing
