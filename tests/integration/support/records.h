#pragma once

#include <cstdint>
#include <string>

#include "config/platform_config.h"
#include "events/cloud_event.h"
#include "kafka/producer.h"
#include "kafka/topics.h"

namespace pact::testing {

// A record on the hub's case topic with CloudEvents headers, keyed by case with a per-case sequence.
inline kafka::OutgoingRecord case_record(const config::PlatformConfig& platform, const std::string& case_id,
                                         std::uint64_t sequence, const std::string& value) {
  events::CloudEvent event;
  event.id = case_id + "/" + std::to_string(sequence);
  event.source = "/pact/" + platform.hub.prefix() + "/test";
  event.type = "pact.events.v1.CaseEvent";
  event.subject = case_id;
  event.time = events::rfc3339_now();
  event.sequence = sequence;
  event.traceparent = events::TraceParent::new_root();
  return {platform.hub.topic(kafka::topic::kCase), case_id, value, events::to_kafka_headers(event)};
}

}  // namespace pact::testing
