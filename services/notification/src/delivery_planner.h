#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ack_token.h"
#include "config/hub.h"
#include "delivery_store.h"
#include "message.h"
#include "message_templates.h"
#include "pact/routing/v1/directory.pb.h"

namespace pact::notification {

// The referral event a message comes from: what every delivery of it carries.
struct MessageSource {
  std::string event_id;
  std::string case_id;
  std::uint64_t sequence = 0;
  bool exercise = false;
};

// Turns one message for one recipient into deliveries: one per channel of the recipient's first
// usable channel group (lowest priority number, active, for the message's purpose), each rendered
// once in the channel's language, with a deterministic id (source event, recipient, channel,
// address) so a replayed event makes the same deliveries, which the store then refuses to repeat.
class DeliveryPlanner {
 public:
  DeliveryPlanner(const config::Hub& hub, const MessageTemplates& templates, const AckTokens& tokens,
                  std::string ack_base_url)
      : hub_(hub), templates_(templates), tokens_(tokens), ack_base_url_(std::move(ack_base_url)) {}

  // An unknown, inactive or unreachable recipient (no usable channel) gets one delivery that is dead
  // on arrival, with its NotificationFailed, so that routing hears at once and can re-route.
  std::vector<DeliveryStore::NewDelivery> plan(const MessageSource& source, const PlannedMessage& message,
                                               const std::string& recipient_id,
                                               const std::optional<routing::v1::Recipient>& recipient,
                                               Clock::time_point now) const;

  // After every delivery of a channel group gave up: the deliveries on the recipient's next group
  // (e-mail after a dead webhook); empty when no group is left.
  std::vector<DeliveryStore::NewDelivery> fail_over(const v1::StoredDelivery& given_up,
                                                    const std::optional<routing::v1::Recipient>& recipient,
                                                    Clock::time_point now) const;

  // The same message over another of the recipient's channels (a resend on request); nullopt when
  // the recipient has no active channel of that kind.
  std::optional<DeliveryStore::NewDelivery> on_channel(const v1::StoredDelivery& original,
                                                       const routing::v1::Recipient& recipient, v1::Channel channel,
                                                       Clock::time_point now) const;

  // "scheme://host:port" for a webhook, "smtp" and "sms" for the shared gateways.
  static std::string endpoint_of(v1::Channel channel, const std::string& address);

 private:
  v1::StoredDelivery delivery_on(const v1::StoredDelivery& message, const PlannedMessage& planned,
                                 const routing::v1::Recipient& recipient, const routing::v1::ContactChannel& channel,
                                 Clock::time_point now) const;
  std::vector<DeliveryStore::NewDelivery> on_group(const v1::StoredDelivery& message, const PlannedMessage& planned,
                                                   const routing::v1::Recipient& recipient,
                                                   std::optional<std::uint32_t> after_priority,
                                                   Clock::time_point now) const;

  const config::Hub& hub_;
  const MessageTemplates& templates_;
  const AckTokens& tokens_;
  std::string ack_base_url_;
};

}  // namespace pact::notification
