#pragma once

#include <string>

#include "config/hub.h"
#include "kafka/producer.h"
#include "pact/events/v1/case_events.pb.h"

namespace pact::intake {

// The id of the case event of a given sequence: deterministic, so a produce retried after a
// timeout carries the same id and downstream skips the copy.
std::string case_event_id(const std::string& case_id, std::uint64_t sequence);

// An envelope with the identity fields filled in; the caller sets the concrete event.
events::v1::CaseEvent new_case_event(const config::Hub& hub, const std::string& case_id, std::uint64_t sequence,
                                     bool exercise);

// The Kafka record for a case event: key = case id, CloudEvents headers (type = the concrete
// event's full name, sequence = the case sequence), trace id of the call that caused it.
kafka::OutgoingRecord case_event_record(const config::Hub& hub, const std::string& service,
                                        const events::v1::CaseEvent& event, const std::string& trace_id);

}  // namespace pact::intake
