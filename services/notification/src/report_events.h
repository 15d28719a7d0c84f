#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "config/hub.h"
#include "pact/events/v1/notification_events.pb.h"
#include "pact/notification/v1/notification_state.pb.h"

namespace pact::notification {

// The events notification reports on pact.notification.v1, one builder per kind. Ids derive from
// the delivery and what happened, so a repeated step repeats the same event id (consumers skip it).
// They carry no message content, no address and no personal data.
using TimePoint = std::chrono::system_clock::time_point;

events::v1::NotificationEvent sent_event(const config::Hub& hub, const v1::StoredDelivery& stored,
                                         std::uint32_t attempt, TimePoint now);
events::v1::NotificationEvent delivered_event(const config::Hub& hub, const v1::StoredDelivery& stored, TimePoint now);
events::v1::NotificationEvent failed_event(const config::Hub& hub, const v1::StoredDelivery& stored,
                                           v1::FailureReason reason, const std::string& error, TimePoint now);
events::v1::NotificationEvent acknowledged_event(const config::Hub& hub, const v1::StoredDelivery& stored,
                                                 v1::AcknowledgementMethod method, const std::string& subject,
                                                 TimePoint now);

}  // namespace pact::notification
