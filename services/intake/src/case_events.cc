#include "case_events.h"

#include <google/protobuf/util/time_util.h>

#include "ids/ids.h"
#include "kafka/envelope_record.h"
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
  return kafka::envelope_record(hub, kafka::topic::kCase, service, event, trace_id);
}

}  // namespace pact::intake
