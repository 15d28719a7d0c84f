#include "directory_service.h"

#include <algorithm>
#include <chrono>

#include <google/protobuf/util/time_util.h>

#include "capacity_event.h"
#include "directory_import.h"
#include "directory_validation.h"
#include "ids/ids.h"
#include "rpc/status.h"
#include "vocabulary.h"

namespace pact::routing {
namespace {

using google::protobuf::util::TimeUtil;

bool is_admin(const rpc::Caller& caller) { return caller.has_role("directory_admin"); }

grpc::Status admins_only() {
  return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "changing the directory needs the directory_admin role");
}

grpc::Status outside_your_jurisdictions() {
  return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                      "the record covers a jurisdiction you do not administer");
}

// A directory administrator administers the records whose every jurisdiction they work in (an
// administrator in one country cannot rewrite another's providers); services act for the hub.
bool administers(const rpc::Caller& caller, const google::protobuf::RepeatedField<int>& jurisdictions) {
  if (caller.kind == rpc::CallerKind::service) return true;
  if (!is_admin(caller)) return false;
  return std::all_of(jurisdictions.begin(), jurisdictions.end(), [&](int jurisdiction) {
    return caller.works_in(vocabulary::jurisdiction_name(static_cast<common::Jurisdiction>(jurisdiction)));
  });
}

// Every jurisdiction a service acts in: where it serves and, for a coordination desk, whose
// escalations it receives (a desk for another country would receive that country's cases).
google::protobuf::RepeatedField<int> jurisdictions_of(const v1::Service& service) {
  google::protobuf::RepeatedField<int> all = service.area().jurisdictions();
  all.MergeFrom(service.coordinates_jurisdictions());
  return all;
}

// For reading a provider's contact channels or confidential location: an administrator of one of
// the jurisdictions it serves.
bool administers_any(const rpc::Caller& caller, const google::protobuf::RepeatedField<int>& jurisdictions) {
  if (caller.kind == rpc::CallerKind::service) return true;
  if (!is_admin(caller)) return false;
  return std::any_of(jurisdictions.begin(), jurisdictions.end(), [&](int jurisdiction) {
    return caller.works_in(vocabulary::jurisdiction_name(static_cast<common::Jurisdiction>(jurisdiction)));
  });
}

grpc::Status invalid(const std::string& what, const std::vector<FieldProblem>& problems, const std::string& prefix) {
  std::vector<rpc::FieldViolation> violations;
  for (const auto& problem : problems) violations.push_back({prefix + problem.field, problem.message});
  return rpc::invalid_argument(what, violations);
}

grpc::Status write_status(DirectoryWrite outcome, const std::string& id) {
  switch (outcome) {
    case DirectoryWrite::ok: return grpc::Status::OK;
    case DirectoryWrite::already_exists: return grpc::Status(grpc::StatusCode::ALREADY_EXISTS, id + " already exists");
    case DirectoryWrite::not_found: return grpc::Status(grpc::StatusCode::NOT_FOUND, "no " + id);
    case DirectoryWrite::version_mismatch:
      return grpc::Status(grpc::StatusCode::ABORTED, id + " changed since you read it; read it again and retry");
    case DirectoryWrite::above_maximum:
      return rpc::invalid_argument("more places free than in total", {{"available", "is larger than maximum"}});
    case DirectoryWrite::unknown_organization:
      return rpc::invalid_argument("unknown organisation", {{"service.organization_id", "no such organisation in the directory"}});
  }
  return grpc::Status(grpc::StatusCode::INTERNAL, "unexpected directory outcome");
}

template <typename T>
bool has(const google::protobuf::RepeatedField<int>& list, T value) {
  return std::find(list.begin(), list.end(), static_cast<int>(value)) != list.end();
}

// Page over an already filtered, ordered list: the token is the offset.
template <typename Item, typename Out>
grpc::Status page(const std::vector<Item>& items, const common::PageRequest& request, Out* out,
                  common::PageResponse* response) {
  const std::size_t size = request.page_size() == 0 ? 50 : std::min<std::size_t>(request.page_size(), 500);
  std::size_t offset = 0;
  if (!request.page_token().empty()) {
    try {
      offset = std::stoul(request.page_token());
    } catch (const std::exception&) {
      return rpc::invalid_argument("the page token is not one this service gave", {{"page.page_token", "unknown token"}});
    }
  }
  for (std::size_t i = offset; i < items.size() && i < offset + size; ++i) *out->Add() = items[i];
  if (offset + size < items.size()) response->set_next_page_token(std::to_string(offset + size));
  response->set_total_count(items.size());
  return grpc::Status::OK;
}

}  // namespace

v1::Service visible_service(const rpc::Caller& caller, const v1::Service& service) {
  v1::Service view = service;
  if (service.confidential_location() && !administers_any(caller, jurisdictions_of(service)) &&
      caller.organisation != service.organization_id()) {
    view.clear_location();
  }
  return view;
}

v1::Recipient recipient_of(const v1::Service& service) {
  v1::Recipient recipient;
  recipient.set_recipient_id(service.service_id());
  recipient.set_organization_id(service.organization_id());
  recipient.set_name(service.name());
  recipient.set_service_type(service.type());
  *recipient.mutable_jurisdictions() = service.area().jurisdictions();
  *recipient.mutable_channels() = service.channels();
  recipient.set_language(service.channels().empty() ? "en" : service.channels(0).language());
  recipient.set_active(service.status() == v1::SERVICE_STATUS_ACTIVE);
  recipient.set_fictional(service.fictional());
  recipient.set_version(service.version());
  *recipient.mutable_updated_at() = service.updated_at();
  return recipient;
}

grpc::ServerUnaryReactor* DirectoryService::AddOrganization(grpc::CallbackServerContext* context,
                                                            const v1::AddOrganizationRequest* request,
                                                            v1::AddOrganizationResponse* response) {
  return blocking(context, "AddOrganization", [this, request, response](const rpc::Caller& caller) {
    if (!is_admin(caller)) return admins_only();
    v1::Organization organization = request->organization();
    if (!administers(caller, organization.jurisdictions())) return outside_your_jurisdictions();
    if (auto problems = organization_problems(organization); !problems.empty()) {
      return invalid("the organisation is not valid", problems, "organization.");
    }
    auto status = write_status(store_.add_organization(organization), "organisation " + organization.organization_id());
    if (status.ok()) *response->mutable_organization() = organization;
    cache_.invalidate();
    return status;
  });
}

grpc::ServerUnaryReactor* DirectoryService::UpdateOrganization(grpc::CallbackServerContext* context,
                                                               const v1::UpdateOrganizationRequest* request,
                                                               v1::UpdateOrganizationResponse* response) {
  return blocking(context, "UpdateOrganization", [this, request, response](const rpc::Caller& caller) {
    if (!is_admin(caller)) return admins_only();
    v1::Organization organization = request->organization();
    const auto stored = store_.read();  // kept: `existing` points into it
    const v1::Organization* existing = stored->organization(organization.organization_id());
    if (!administers(caller, organization.jurisdictions()) ||
        (existing != nullptr && !administers(caller, existing->jurisdictions()))) {
      return outside_your_jurisdictions();
    }
    if (auto problems = organization_problems(organization); !problems.empty()) {
      return invalid("the organisation is not valid", problems, "organization.");
    }
    auto status = write_status(store_.update_organization(organization), "organisation " + organization.organization_id());
    if (status.ok()) *response->mutable_organization() = organization;
    cache_.invalidate();
    return status;
  });
}

grpc::ServerUnaryReactor* DirectoryService::ListOrganizations(grpc::CallbackServerContext* context,
                                                              const v1::ListOrganizationsRequest* request,
                                                              v1::ListOrganizationsResponse* response) {
  return blocking(context, "ListOrganizations", [this, request, response](const rpc::Caller&) {
    const auto directory = cache_.current();
    std::vector<v1::Organization> matches;
    for (const auto& organization : directory->organizations()) {
      if (request->jurisdiction() != common::JURISDICTION_UNSPECIFIED && !has(organization.jurisdictions(), request->jurisdiction())) continue;
      if (request->kind() != v1::ORGANIZATION_KIND_UNSPECIFIED && organization.kind() != request->kind()) continue;
      matches.push_back(organization);
    }
    std::sort(matches.begin(), matches.end(), [](const auto& a, const auto& b) { return a.organization_id() < b.organization_id(); });
    return page(matches, request->page(), response->mutable_organizations(), response->mutable_page());
  });
}

grpc::ServerUnaryReactor* DirectoryService::AddService(grpc::CallbackServerContext* context, const v1::AddServiceRequest* request,
                                                       v1::AddServiceResponse* response) {
  return blocking(context, "AddService", [this, request, response](const rpc::Caller& caller) {
    if (!is_admin(caller)) return admins_only();
    v1::Service service = request->service();
    if (!administers(caller, jurisdictions_of(service))) return outside_your_jurisdictions();
    if (auto problems = service_problems(service); !problems.empty()) return invalid("the service is not valid", problems, "service.");
    auto status = write_status(store_.add_service(service), "service " + service.service_id());
    if (status.ok()) *response->mutable_service() = service;
    cache_.invalidate();
    return status;
  });
}

grpc::ServerUnaryReactor* DirectoryService::UpdateService(grpc::CallbackServerContext* context, const v1::UpdateServiceRequest* request,
                                                          v1::UpdateServiceResponse* response) {
  return blocking(context, "UpdateService", [this, request, response](const rpc::Caller& caller) {
    if (!is_admin(caller)) return admins_only();
    v1::Service service = request->service();
    const auto stored = store_.read();  // kept: `existing` points into it
    const v1::Service* existing = stored->service(service.service_id());
    if (!administers(caller, jurisdictions_of(service)) ||
        (existing != nullptr && !administers(caller, jurisdictions_of(*existing)))) {
      return outside_your_jurisdictions();
    }
    if (auto problems = service_problems(service); !problems.empty()) return invalid("the service is not valid", problems, "service.");
    auto status = write_status(store_.update_service(service), "service " + service.service_id());
    if (status.ok()) *response->mutable_service() = service;
    cache_.invalidate();
    return status;
  });
}

grpc::ServerUnaryReactor* DirectoryService::GetService(grpc::CallbackServerContext* context, const v1::GetServiceRequest* request,
                                                       v1::GetServiceResponse* response) {
  return blocking(context, "GetService", [this, request, response](const rpc::Caller& caller) {
    const auto directory = cache_.current();
    const v1::Service* service = directory->service(request->service_id());
    if (!service) return grpc::Status(grpc::StatusCode::NOT_FOUND, "no service " + request->service_id());
    *response->mutable_service() = visible_service(caller, *service);
    if (auto capacity = store_.capacity(service->service_id())) *response->mutable_service()->mutable_capacity() = *capacity;
    return grpc::Status::OK;
  });
}

grpc::ServerUnaryReactor* DirectoryService::ListServices(grpc::CallbackServerContext* context, const v1::ListServicesRequest* request,
                                                         v1::ListServicesResponse* response) {
  return blocking(context, "ListServices", [this, request, response](const rpc::Caller& caller) {
    const auto directory = cache_.current();
    std::vector<v1::Service> matches;
    for (const auto& service : directory->services()) {
      if (request->type() != v1::SERVICE_TYPE_UNSPECIFIED && service.type() != request->type()) continue;
      if (request->jurisdiction() != common::JURISDICTION_UNSPECIFIED && !has(service.area().jurisdictions(), request->jurisdiction())) continue;
      if (!request->site_id().empty() &&
          std::find(service.area().site_ids().begin(), service.area().site_ids().end(), request->site_id()) == service.area().site_ids().end()) {
        continue;
      }
      if (!request->organization_id().empty() && service.organization_id() != request->organization_id()) continue;
      if (!request->statuses().empty() && !has(request->statuses(), service.status())) continue;
      if (request->with_capacity_only() && service.capacity().tracked() && service.capacity().available() == 0) continue;
      matches.push_back(visible_service(caller, service));
    }
    std::sort(matches.begin(), matches.end(), [](const auto& a, const auto& b) { return a.service_id() < b.service_id(); });
    return page(matches, request->page(), response->mutable_services(), response->mutable_page());
  });
}

grpc::Status DirectoryService::set_capacity(const rpc::Caller& caller, const v1::SetCapacityRequest& request, v1::Capacity& out) const {
  if (request.service_id().empty()) return rpc::invalid_argument("say which service", {{"service_id", "is required"}});
  const auto directory = cache_.current();
  const auto stored = store_.read();  // kept: `service` may point into it
  const v1::Service* service = directory->service(request.service_id());
  if (!service) service = stored->service(request.service_id());
  if (!service) return grpc::Status(grpc::StatusCode::NOT_FOUND, "no service " + request.service_id());
  if (caller.organisation != service->organization_id() && !administers(caller, jurisdictions_of(*service))) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "providers report the capacity of their own services only");
  }
  if (request.has_maximum() && request.maximum() == 0) return rpc::invalid_argument("no places at all?", {{"maximum", "must be at least 1"}});
  const CapacityWrite write = store_.set_capacity(request.service_id(), request.available(),
                                                  request.has_maximum() ? std::optional<std::uint32_t>(request.maximum()) : std::nullopt,
                                                  request.unit(), request.expected_version());
  if (write.outcome != DirectoryWrite::ok) return write_status(write.outcome, "service " + request.service_id());
  out = write.capacity;
  cache_.invalidate();
  events::v1::ReferralEvent event;
  const std::string cause = "capacity:" + request.service_id() + ":" + std::to_string(out.version());
  event.set_event_id(ids::derive_event_id(cause, "routing", 0));
  event.set_hub(hub_);
  *event.mutable_occurred_at() = out.updated_at();
  event.set_cause_id(cause);
  *event.mutable_capacity_changed() = capacity_changed(*service, out, events::v1::CAPACITY_CHANGE_REASON_REPORTED, "");
  events_.outbox_push(event);
  return grpc::Status::OK;
}

grpc::ServerUnaryReactor* DirectoryService::SetCapacity(grpc::CallbackServerContext* context, const v1::SetCapacityRequest* request,
                                                        v1::SetCapacityResponse* response) {
  return blocking(context, "SetCapacity", [this, request, response](const rpc::Caller& caller) {
    return set_capacity(caller, *request, *response->mutable_capacity());
  });
}

grpc::ServerUnaryReactor* DirectoryService::GetRecipient(grpc::CallbackServerContext* context, const v1::GetRecipientRequest* request,
                                                         v1::GetRecipientResponse* response) {
  return blocking(context, "GetRecipient", [this, request, response](const rpc::Caller& caller) {
    const auto directory = cache_.current();
    const v1::Service* service = directory->service(request->recipient_id());
    if (!service) return grpc::Status(grpc::StatusCode::NOT_FOUND, "no recipient " + request->recipient_id());
    if (!administers_any(caller, jurisdictions_of(*service))) return outside_your_jurisdictions();
    *response->mutable_recipient() = recipient_of(*service);
    return grpc::Status::OK;
  });
}

grpc::ServerUnaryReactor* DirectoryService::ListRecipients(grpc::CallbackServerContext* context, const v1::ListRecipientsRequest* request,
                                                           v1::ListRecipientsResponse* response) {
  return blocking(context, "ListRecipients", [this, request, response](const rpc::Caller& caller) {
    if (caller.kind == rpc::CallerKind::person && request->jurisdiction() != common::JURISDICTION_UNSPECIFIED &&
        !caller.works_in(vocabulary::jurisdiction_name(request->jurisdiction()))) {
      return outside_your_jurisdictions();
    }
    const auto directory = cache_.current();
    const std::int64_t after = request->has_updated_after() ? TimeUtil::TimestampToMilliseconds(request->updated_after()) : -1;
    std::vector<v1::Recipient> matches;
    for (const auto& service : directory->services()) {
      if (request->jurisdiction() != common::JURISDICTION_UNSPECIFIED && !has(service.area().jurisdictions(), request->jurisdiction())) continue;
      if (after >= 0 && TimeUtil::TimestampToMilliseconds(service.updated_at()) <= after) continue;
      if (!administers_any(caller, jurisdictions_of(service))) continue;
      matches.push_back(recipient_of(service));
    }
    std::sort(matches.begin(), matches.end(), [](const auto& a, const auto& b) { return a.recipient_id() < b.recipient_id(); });
    return page(matches, request->page(), response->mutable_recipients(), response->mutable_page());
  });
}

grpc::Status DirectoryService::import(const rpc::Caller& caller, const v1::ImportDirectoryRequest& request,
                                      v1::ImportDirectoryResponse& response) const {
  const std::string source = request.source_name().empty() ? "import" : request.source_name();
  auto exists = [this](const std::string& id) { return store_.organization_exists(id); };
  DirectoryRecords records;
  switch (request.format()) {
    case v1::IMPORT_FORMAT_JSON: records = parse_directory_json(request.content(), source, exists); break;
    case v1::IMPORT_FORMAT_CSV:
      if (request.records() == v1::IMPORT_RECORDS_UNSPECIFIED) {
        return rpc::invalid_argument("say what the CSV file holds", {{"records", "organisations or services"}});
      }
      records = parse_directory_csv(request.content(), request.records(), source, exists);
      break;
    default: return rpc::invalid_argument("say the file's format", {{"format", "JSON or CSV"}});
  }
  *response.mutable_errors() = {records.errors.begin(), records.errors.end()};
  if (!records.errors.empty()) {
    std::vector<rpc::FieldViolation> violations;
    for (const auto& error : records.errors) {
      violations.push_back({error.field(), source + ":" + std::to_string(error.row()) + ": " + error.message()});
    }
    return rpc::invalid_argument(std::to_string(records.errors.size()) + " problem(s) in " + source + "; nothing was imported",
                                 violations);
  }
  const auto directory = store_.read();
  // An import adds or replaces: both what comes in and what it would replace must be the caller's.
  for (const auto& organization : records.organizations) {
    const v1::Organization* existing = directory->organization(organization.organization_id());
    if (!administers(caller, organization.jurisdictions()) ||
        (existing != nullptr && !administers(caller, existing->jurisdictions()))) {
      return outside_your_jurisdictions();
    }
  }
  for (const auto& service : records.services) {
    const v1::Service* existing = directory->service(service.service_id());
    if (!administers(caller, jurisdictions_of(service)) ||
        (existing != nullptr && !administers(caller, jurisdictions_of(*existing)))) {
      return outside_your_jurisdictions();
    }
  }
  for (const auto& organization : records.organizations) {
    if (directory->organization(organization.organization_id())) response.set_organizations_updated(response.organizations_updated() + 1);
    else response.set_organizations_added(response.organizations_added() + 1);
  }
  for (const auto& service : records.services) {
    if (directory->service(service.service_id())) response.set_services_updated(response.services_updated() + 1);
    else response.set_services_added(response.services_added() + 1);
  }
  if (!request.dry_run()) {
    store_.upsert(records.organizations, records.services);
    cache_.invalidate();
  }
  return grpc::Status::OK;
}

grpc::ServerUnaryReactor* DirectoryService::ImportDirectory(grpc::CallbackServerContext* context,
                                                            const v1::ImportDirectoryRequest* request,
                                                            v1::ImportDirectoryResponse* response) {
  return blocking(context, "ImportDirectory", [this, request, response](const rpc::Caller& caller) {
    if (!is_admin(caller)) return admins_only();
    return import(caller, *request, *response);
  });
}

}  // namespace pact::routing
