#include "case_events.h"

#include <google/protobuf/util/time_util.h>

#include "events/cloud_event.h"
#include "ids/ids.h"
#include "kafka/topics.h"

namespace pact::intake {

std::string case_event_id(const std::string& case_id, std::uint64_t sequence) {
  return ids::derive_event_id(case_id, "intake", static_cast<std::uint32_t>(sequence));
}

events::v1::CaseEvent new_case_event(const config::Hub& hub, const std::string& case_id, std::uint64_t sequence,
                                     bool exercise) {
  events::v1::CaseEvent event;
  event.set_event_id(case_event_id(case_id, sequence));
  event.set_case_id(case_id);
  event.set_sequence(sequence);
  event.set_hub(hub.prefix());
  *event.mutable_occurred_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
  event.set_exercise(exercise);
  return event;
}

kafka::OutgoingRecord case_event_record(const config::Hub& hub, const std::string& service,
                                        const events::v1::CaseEvent& event, const std::string& trace_id) {
  events::CloudEvent attributes;
  attributes.id = event.event_id();
  attributes.source = "/pact/" + hub.prefix() + "/" + service;
  const auto* field = events::v1::CaseEvent::descriptor()->FindFieldByNumber(static_cast<int>(event.event_case()));
  attributes.type = field != nullptr ? field->message_type()->full_name() : events::v1::CaseEvent::descriptor()->full_name();
  attributes.subject = event.case_id();
  attributes.time = google::protobuf::util::TimeUtil::ToString(event.occurred_at());
  attributes.sequence = event.sequence();
  attributes.traceparent = events::TraceParent::new_root();
  if (trace_id.size() == 32) attributes.traceparent.trace_id = trace_id;
  return {hub.topic(kafka::topic::kCase), event.case_id(), event.SerializeAsString(), events::to_kafka_headers(attributes)};
}

}  // namespace pact::intake
