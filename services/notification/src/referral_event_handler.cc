#include "referral_event_handler.h"

#include <google/protobuf/util/time_util.h>

#include "message_plan.h"
#include "pact/events/v1/referral_events.pb.h"

namespace pact::notification {

void ReferralEventHandler::handle(const kafka::ConsumedRecord& record, kafka::WriteBatch& effects) {
  events::v1::ReferralEvent event;
  if (!event.ParseFromString(record.value)) throw kafka::PoisonRecord("not a pact.events.v1.ReferralEvent");
  try {
    if (event.has_delivery_cancelled()) {
      const auto& cancelled = event.delivery_cancelled();
      store_.cancel_for_referral(cancelled.referral_id(),
                                 {cancelled.recipient_ids().begin(), cancelled.recipient_ids().end()});
      return;
    }
    auto message = plan_message(event);
    if (!message) return;
    // For receivers measuring how long a referral took to reach them (and for our benchmark).
    message->facts["occurred_at_ms"] = std::to_string(google::protobuf::util::TimeUtil::TimestampToMilliseconds(event.occurred_at()));
    const MessageSource source{event.event_id(), event.case_id(), event.sequence(), event.exercise()};
    const auto now = Clock::now();
    for (const auto& recipient_id : event.notify_recipient_ids()) {
      for (auto& delivery : planner_.plan(source, *message, recipient_id, directory_.recipient(recipient_id), now)) {
        for (auto& command : store_.creation_commands(std::move(delivery), now)) effects.add(std::move(command));
      }
    }
  } catch (const redis::RedisUnavailable& e) {
    // Not the record's fault: wait for Redis instead of dead-lettering a referral.
    throw kafka::DependencyUnavailable(std::string("notification's store is unavailable: ") + e.what());
  }
}

void ReferralEventHandler::applied(const kafka::ConsumedRecord& /*record*/) {
  if (new_work_) new_work_();
}

}  // namespace pact::notification
