#pragma once

#include <string>
#include <string_view>

#include <google/protobuf/message.h>

#include "config/hub.h"
#include "kafka/producer.h"

namespace pact::kafka {

// The Kafka record of a pact.events.v1 envelope (CaseEvent, ScreeningEvent, ReferralEvent,
// NotificationEvent all share event_id, case_id, sequence, occurred_at and a oneof `event`): the
// serialized envelope as value, the case id as key, CloudEvents binary headers whose type is the
// concrete event's full name. `trace_id` (32 hex digits) continues the caller's trace when given.
OutgoingRecord envelope_record(const config::Hub& hub, std::string_view topic_base, std::string_view service,
                               const google::protobuf::Message& envelope, const std::string& trace_id);

}  // namespace pact::kafka
