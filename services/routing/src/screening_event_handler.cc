#include "screening_event_handler.h"

#include "crypto/sealed_message.h"
#include "log/logger.h"
#include "pact/events/v1/notification_events.pb.h"
#include "pact/events/v1/screening_events.pb.h"

namespace pact::routing {

void ScreeningEventHandler::handle(const kafka::ConsumedRecord& record, kafka::WriteBatch& /*effects*/) {
  events::v1::ScreeningEvent event;
  if (!event.ParseFromString(record.value) || !event.has_assessment_completed() || event.case_id().empty()) {
    throw kafka::PoisonRecord("not a pact.events.v1.ScreeningEvent with an assessment and a case id");
  }
  const bool erasure = event.assessment_completed().has_erasure() || !event.assessment_completed().has_snapshot();
  const std::optional<Evidence> evidence = erasure ? std::nullopt : open_evidence(event);
  updater_.update(event.case_id(), event.event_id(), true, [&](CaseRouter& router) {
    if (router.state().sequence() >= event.sequence() && router.state().version() > 0) return false;  // applied
    router.apply_assessment(event);
    if (evidence) {
      router.attach_evidence(evidence->result, [&](const google::protobuf::Message& message) {
        return crypto::seal_message(evidence->key, event.case_id(), message, evidence->key_version);
      });
    }
    return true;
  });
  if (erasure && keys_) keys_->forget(event.case_id());
}

// The sealed screening result behind the assessment, opened with the case key. Best effort: the
// evidence explains a referral but must never hold one up, so without the key routing goes on.
std::optional<ScreeningEventHandler::Evidence> ScreeningEventHandler::open_evidence(const events::v1::ScreeningEvent& event) const {
  if (!keys_) return std::nullopt;
  for (const auto& section : event.assessment_completed().sealed()) {
    if (section.record_type() != pact::screening::v1::ScreeningResult::descriptor()->full_name()) continue;
    try {
      auto key = keys_->key(event.case_id(), section.key_version(), event.event_id());
      if (!key) return std::nullopt;
      Evidence evidence{*key, section.key_version(), {}};
      if (!crypto::open_message(*key, event.case_id(), section, evidence.result)) return std::nullopt;
      return evidence;
    } catch (const crypto::CaseKeyUnavailable&) {
      log::warn("referrals made without their sealed evidence: the case key is not available now", {{"case_id", event.case_id()}});
      return std::nullopt;
    }
  }
  return std::nullopt;
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
