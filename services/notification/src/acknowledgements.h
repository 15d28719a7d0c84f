#pragma once

#include <optional>
#include <string>

#include <grpcpp/support/status.h>

#include "ack_token.h"
#include "config/hub.h"
#include "delivery_store.h"
#include "pact/notification/v1/notification.pb.h"

namespace pact::notification {

// The one way a message is acknowledged, whether the token comes over gRPC or the ack link's POST:
// recorded once, reported once (NotificationAcknowledged, which moves the referral to `received`
// in routing); a second acknowledgement answers as the first.
class Acknowledgements {
 public:
  Acknowledgements(const config::Hub& hub, DeliveryStore& store, const AckTokens& tokens)
      : hub_(hub), store_(store), tokens_(tokens) {}

  // The delivery a genuine token names, for the confirmation page.
  std::optional<v1::StoredDelivery> delivery_for(const std::string& token) const;

  grpc::Status acknowledge(const std::string& token, v1::AcknowledgementMethod method, const std::string& subject,
                           v1::AcknowledgeResponse& response) const;

 private:
  const config::Hub& hub_;
  DeliveryStore& store_;
  const AckTokens& tokens_;
};

}  // namespace pact::notification
