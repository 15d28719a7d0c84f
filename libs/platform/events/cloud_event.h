#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "events/traceparent.h"

namespace pact::events {

using Header = std::pair<std::string, std::string>;
using Headers = std::vector<Header>;

inline constexpr std::string_view kProtobufContentType = "application/protobuf";

// CloudEvents 1.0 attributes of one Kafka record, carried in binary mode: the payload is the
// record value and the attributes are record headers (ce_*), plus W3C traceparent.
struct CloudEvent {
  std::string id;       // unique per event; deterministic where a retry could repeat it
  std::string source;   // URI reference of the producer, e.g. /pact/<hub>/intake
  std::string type;     // full protobuf name of the payload's event, e.g. pact.events.v1.CaseRegistered
  std::string subject;  // the case id the event is about (also the record key)
  std::string time;     // RFC 3339, UTC
  std::string content_type{kProtobufContentType};
  std::optional<std::uint64_t> sequence;  // per-case sequence (CloudEvents "sequence" extension)
  TraceParent traceparent;
};

Headers to_kafka_headers(const CloudEvent& event);

struct HeaderProblem {
  std::string message;
};

// Reads the binary-mode headers; a missing required attribute or a malformed value is a problem
// (the consumer dead-letters such a record rather than guess).
std::variant<CloudEvent, HeaderProblem> from_kafka_headers(const Headers& headers);

// The current time in RFC 3339 with millisecond precision, UTC ("2026-11-28T12:00:00.123Z").
std::string rfc3339_now();

}  // namespace pact::events
