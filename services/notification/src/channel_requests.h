#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <variant>

#include "notification_settings.h"
#include "pact/notification/v1/notification_state.pb.h"
#include "signing_secrets.h"
#include "transfer_engine.h"

namespace pact::notification {

// Why an attempt could not even be made; permanent until configuration changes.
struct CannotSend {
  v1::FailureReason reason = v1::FAILURE_REASON_UNSPECIFIED;
  std::string detail;
};

// Builds the transfer for one attempt of a delivery over its channel: a webhook POST signed with
// the recipient's secret (timestamp and signature made per attempt, the same idempotency key on
// every one), an e-mail through the configured SMTP relay, an SMS through the configured gateway.
class ChannelRequests {
 public:
  ChannelRequests(const NotificationSettings& settings, SigningSecrets& secrets)
      : settings_(settings), secrets_(secrets) {}

  std::variant<TransferRequest, CannotSend> request_for(const v1::StoredDelivery& stored, std::uint32_t attempt,
                                                        std::chrono::system_clock::time_point now) const;

 private:
  std::variant<TransferRequest, CannotSend> webhook(const v1::StoredDelivery& stored, std::uint32_t attempt,
                                                    std::chrono::system_clock::time_point now) const;
  std::variant<TransferRequest, CannotSend> email(const v1::StoredDelivery& stored,
                                                  std::chrono::system_clock::time_point now) const;
  std::variant<TransferRequest, CannotSend> sms(const v1::StoredDelivery& stored) const;
  void apply_policy(TransferRequest& request) const;

  const NotificationSettings& settings_;
  SigningSecrets& secrets_;
};

}  // namespace pact::notification
