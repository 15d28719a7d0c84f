#pragma once

#include <functional>

#include "acknowledgements.h"
#include "delivery_planner.h"
#include "delivery_store.h"
#include "pact/notification/v1/notification.grpc.pb.h"
#include "recipient_directory.h"
#include "rpc/call_gate.h"

namespace pact::notification {

// gRPC front of notification. Acknowledge needs only the token (the token is the proof, as on the
// ack link). Deliveries are read and resent by case workers, coordinators and notification admins
// of the case's jurisdiction, and by services; deliveries hold no personal data, but who was told
// what about which case is still need-to-know.
class NotificationService final : public v1::NotificationService::CallbackService {
 public:
  NotificationService(const rpc::CallGate& gate, DeliveryStore& store, const Acknowledgements& acknowledgements,
                      const DeliveryPlanner& planner, RecipientDirectory& directory, std::function<void()> new_work)
      : gate_(gate.for_service("pact.notification.v1.NotificationService")),
        store_(store),
        acknowledgements_(acknowledgements),
        planner_(planner),
        directory_(directory),
        new_work_(std::move(new_work)) {}

  grpc::ServerUnaryReactor* Acknowledge(grpc::CallbackServerContext* context, const v1::AcknowledgeRequest* request,
                                        v1::AcknowledgeResponse* response) override;
  grpc::ServerUnaryReactor* ListDeliveries(grpc::CallbackServerContext* context,
                                           const v1::ListDeliveriesRequest* request,
                                           v1::ListDeliveriesResponse* response) override;
  grpc::ServerUnaryReactor* Resend(grpc::CallbackServerContext* context, const v1::ResendRequest* request,
                                   v1::ResendResponse* response) override;

 private:
  grpc::Status resend(const rpc::Caller& caller, const v1::ResendRequest& request, v1::ResendResponse& response);

  rpc::CallGate gate_;
  DeliveryStore& store_;
  const Acknowledgements& acknowledgements_;
  const DeliveryPlanner& planner_;
  RecipientDirectory& directory_;
  std::function<void()> new_work_;
};

// Whether `caller` may see deliveries of a case in `jurisdiction` (a fact value such as "rs").
bool may_see_deliveries(const rpc::Caller& caller, const std::string& jurisdiction);

}  // namespace pact::notification
