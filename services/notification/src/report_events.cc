#include "report_events.h"

#include <google/protobuf/util/time_util.h>

#include "ids/ids.h"

namespace pact::notification {
namespace {

using google::protobuf::util::TimeUtil;

google::protobuf::Timestamp timestamp(TimePoint time) {
  return TimeUtil::MillisecondsToTimestamp(
      std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count());
}

events::v1::NotificationEvent envelope(const config::Hub& hub, const v1::StoredDelivery& stored,
                                       std::string_view what, std::uint32_t position, TimePoint now) {
  const auto& delivery = stored.delivery();
  events::v1::NotificationEvent event;
  event.set_event_id(ids::derive_event_id(delivery.delivery_id(), what, position));
  event.set_case_id(delivery.case_id());
  event.set_sequence(stored.source_sequence());
  event.set_hub(hub.prefix());
  *event.mutable_occurred_at() = timestamp(now);
  event.set_exercise(delivery.exercise());
  return event;
}

void describe(const v1::Delivery& delivery, events::v1::DeliveryRef& ref) {
  ref.set_delivery_id(delivery.delivery_id());
  ref.set_source_event_id(delivery.source_event_id());
  ref.set_referral_id(delivery.referral_id());
  ref.set_recipient_id(delivery.recipient_id());
  ref.set_channel(delivery.channel());
  ref.set_kind(delivery.kind());
}

}  // namespace

events::v1::NotificationEvent sent_event(const config::Hub& hub, const v1::StoredDelivery& stored,
                                         std::uint32_t attempt, TimePoint now) {
  auto event = envelope(hub, stored, "notification-sent", attempt, now);
  auto& sent = *event.mutable_notification_sent();
  describe(stored.delivery(), *sent.mutable_delivery());
  sent.set_attempt(attempt);
  return event;
}

events::v1::NotificationEvent delivered_event(const config::Hub& hub, const v1::StoredDelivery& stored, TimePoint now) {
  // Position = attempts: a resend that is delivered again reports again, a repeated step does not.
  auto event = envelope(hub, stored, "notification-delivered", stored.delivery().attempts(), now);
  auto& delivered = *event.mutable_notification_delivered();
  describe(stored.delivery(), *delivered.mutable_delivery());
  delivered.set_attempts(stored.delivery().attempts());
  *delivered.mutable_delivered_at() = timestamp(now);
  return event;
}

events::v1::NotificationEvent failed_event(const config::Hub& hub, const v1::StoredDelivery& stored,
                                           v1::FailureReason reason, const std::string& error, TimePoint now) {
  auto event = envelope(hub, stored, "notification-failed", stored.delivery().attempts(), now);
  auto& failed = *event.mutable_notification_failed();
  describe(stored.delivery(), *failed.mutable_delivery());
  failed.set_attempts(stored.delivery().attempts());
  failed.set_reason(reason);
  failed.set_error(error);
  return event;
}

events::v1::NotificationEvent acknowledged_event(const config::Hub& hub, const v1::StoredDelivery& stored,
                                                 v1::AcknowledgementMethod method, const std::string& subject,
                                                 TimePoint now) {
  auto event = envelope(hub, stored, "notification-acknowledged", 0, now);
  auto& acknowledged = *event.mutable_notification_acknowledged();
  describe(stored.delivery(), *acknowledged.mutable_delivery());
  acknowledged.set_method(method);
  *acknowledged.mutable_acknowledged_at() = timestamp(now);
  acknowledged.set_acknowledged_by_subject(subject);
  return event;
}

}  // namespace pact::notification
