#pragma once

#include "call_errors.h"
#include "directory_store.h"
#include "pact/routing/v1/directory.grpc.pb.h"
#include "routing_store.h"
#include "rpc/call_gate.h"

namespace pact::routing {

// gRPC front of the provider directory. Writes need the directory_admin role, except that a
// provider reports its own services' capacity; reads are open to every authenticated caller, with
// confidential locations left out for all but directory admins and the service's own organisation.
class DirectoryService final : public v1::DirectoryService::CallbackService {
 public:
  DirectoryService(const rpc::CallGate& gate, const DirectoryStore& store, DirectoryCache& cache, const RoutingStore& events,
                   std::string hub)
      : gate_(gate.for_service("pact.routing.v1.DirectoryService")), store_(store), cache_(cache), events_(events), hub_(std::move(hub)) {}

  grpc::ServerUnaryReactor* AddOrganization(grpc::CallbackServerContext*, const v1::AddOrganizationRequest*, v1::AddOrganizationResponse*) override;
  grpc::ServerUnaryReactor* UpdateOrganization(grpc::CallbackServerContext*, const v1::UpdateOrganizationRequest*,
                                               v1::UpdateOrganizationResponse*) override;
  grpc::ServerUnaryReactor* ListOrganizations(grpc::CallbackServerContext*, const v1::ListOrganizationsRequest*,
                                              v1::ListOrganizationsResponse*) override;
  grpc::ServerUnaryReactor* AddService(grpc::CallbackServerContext*, const v1::AddServiceRequest*, v1::AddServiceResponse*) override;
  grpc::ServerUnaryReactor* UpdateService(grpc::CallbackServerContext*, const v1::UpdateServiceRequest*, v1::UpdateServiceResponse*) override;
  grpc::ServerUnaryReactor* GetService(grpc::CallbackServerContext*, const v1::GetServiceRequest*, v1::GetServiceResponse*) override;
  grpc::ServerUnaryReactor* ListServices(grpc::CallbackServerContext*, const v1::ListServicesRequest*, v1::ListServicesResponse*) override;
  grpc::ServerUnaryReactor* SetCapacity(grpc::CallbackServerContext*, const v1::SetCapacityRequest*, v1::SetCapacityResponse*) override;
  grpc::ServerUnaryReactor* GetRecipient(grpc::CallbackServerContext*, const v1::GetRecipientRequest*, v1::GetRecipientResponse*) override;
  grpc::ServerUnaryReactor* ListRecipients(grpc::CallbackServerContext*, const v1::ListRecipientsRequest*, v1::ListRecipientsResponse*) override;
  grpc::ServerUnaryReactor* ImportDirectory(grpc::CallbackServerContext*, const v1::ImportDirectoryRequest*,
                                            v1::ImportDirectoryResponse*) override;

 private:
  // Every handler blocks on Redis: on the executor, with outages answered as UNAVAILABLE.
  template <class Handler>
  grpc::ServerUnaryReactor* blocking(grpc::CallbackServerContext* context, std::string_view method, Handler&& handler) {
    return gate_.blocking_unary(context, method, [handler = std::forward<Handler>(handler)](const rpc::Caller& caller) {
      return with_retryable_errors([&] { return handler(caller); });
    });
  }

  grpc::Status set_capacity(const rpc::Caller& caller, const v1::SetCapacityRequest& request, v1::Capacity& out) const;
  grpc::Status import(const rpc::Caller& caller, const v1::ImportDirectoryRequest& request,
                      v1::ImportDirectoryResponse& response) const;

  rpc::CallGate gate_;
  const DirectoryStore& store_;
  DirectoryCache& cache_;
  const RoutingStore& events_;
  std::string hub_;
};

// A service as `caller` may see it: the location of a confidential one only for directory admins
// and the service's own organisation.
v1::Service visible_service(const rpc::Caller& caller, const v1::Service& service);
// How notification reaches a service.
v1::Recipient recipient_of(const v1::Service& service);

}  // namespace pact::routing
