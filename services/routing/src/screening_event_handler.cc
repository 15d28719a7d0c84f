#include "screening_event_handler.h"

#include "pact/events/v1/notification_events.pb.h"
#include "pact/events/v1/screening_events.pb.h"

namespace pact::routing {

void ScreeningEventHandler::handle(const kafka::ConsumedRecord& record, kafka::WriteBatch& /*effects*/) {
  events::v1::ScreeningEvent event;
  if (!event.ParseFromString(record.value) || !event.has_assessment_completed() || event.case_id().empty()) {
    throw kafka::PoisonRecord("not a pact.events.v1.ScreeningEvent with an assessment and a case id");
  }
  const bool erasure = event.assessment_completed().has_erasure() || !event.assessment_completed().has_snapshot();
  updater_.update(event.case_id(), event.event_id(), true, [&](CaseRouter& router) {
    if (router.state().sequence() >= event.sequence() && router.state().version() > 0) return false;  // applied
    router.apply_assessment(event);
    return true;
  });
  if (erasure && keys_) keys_->forget(event.case_id());
}

void NotificationEventHandler::handle(const kafka::ConsumedRecord& record, kafka::WriteBatch& /*effects*/) {
  events::v1::NotificationEvent event;
  if (!event.ParseFromString(record.value) || event.case_id().empty()) {
    throw kafka::PoisonRecord("not a pact.events.v1.NotificationEvent with a case id");
  }
  if (!event.has_notification_acknowledged() && !event.has_notification_failed()) return;  // sent/delivered: no change
  updater_.update(event.case_id(), event.event_id(), false, [&](CaseRouter& router) {
    router.apply_notification(event);
    return !router.commit().events.empty();
  });
}

}  // namespace pact::routing
