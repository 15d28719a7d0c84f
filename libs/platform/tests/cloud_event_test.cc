#include "events/cloud_event.h"

#include <gtest/gtest.h>

namespace pact::events {
namespace {

CloudEvent sample() {
  CloudEvent event;
  event.id = "evt-1";
  event.source = "/pact/wb-rs/intake";
  event.type = "pact.events.v1.CaseRegistered";
  event.subject = "case-abc";
  event.time = "2026-11-28T12:00:00.000Z";
  event.sequence = 7;
  event.traceparent = *TraceParent::parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  return event;
}

Headers without(Headers headers, const std::string& name) {
  std::erase_if(headers, [&](const Header& h) { return h.first == name; });
  return headers;
}

Headers with(Headers headers, const std::string& name, const std::string& value) {
  headers = without(headers, name);
  headers.emplace_back(name, value);
  return headers;
}

TEST(CloudEvents, BinaryModeHeadersRoundTrip) {
  Headers headers = to_kafka_headers(sample());
  auto parsed = from_kafka_headers(headers);
  ASSERT_TRUE(std::holds_alternative<CloudEvent>(parsed));
  const CloudEvent& event = std::get<CloudEvent>(parsed);
  EXPECT_EQ(event.id, "evt-1");
  EXPECT_EQ(event.source, "/pact/wb-rs/intake");
  EXPECT_EQ(event.type, "pact.events.v1.CaseRegistered");
  EXPECT_EQ(event.subject, "case-abc");
  EXPECT_EQ(event.time, "2026-11-28T12:00:00.000Z");
  EXPECT_EQ(event.content_type, "application/protobuf");
  EXPECT_EQ(event.sequence, 7u);
  EXPECT_EQ(event.traceparent.to_header(), "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
}

TEST(CloudEvents, HeaderNamesFollowTheKafkaBinding) {
  Headers headers = to_kafka_headers(sample());
  std::set<std::string> names;
  for (const auto& [name, value] : headers) names.insert(name);
  for (const char* expected : {"ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time", "ce_subject",
                               "content-type", "traceparent", "ce_sequence"}) {
    EXPECT_TRUE(names.count(expected)) << expected;
  }
}

TEST(CloudEvents, MissingRequiredAttributesAreProblems) {
  Headers headers = to_kafka_headers(sample());
  for (const char* required : {"ce_specversion", "ce_id", "ce_source", "ce_type"}) {
    auto parsed = from_kafka_headers(without(headers, required));
    ASSERT_TRUE(std::holds_alternative<HeaderProblem>(parsed)) << required;
    EXPECT_NE(std::get<HeaderProblem>(parsed).message.find(required), std::string::npos);
  }
}

TEST(CloudEvents, MalformedValuesAreProblems) {
  Headers headers = to_kafka_headers(sample());
  EXPECT_TRUE(std::holds_alternative<HeaderProblem>(from_kafka_headers(with(headers, "ce_specversion", "0.3"))));
  EXPECT_TRUE(std::holds_alternative<HeaderProblem>(from_kafka_headers(with(headers, "ce_sequence", "seven"))));
  EXPECT_TRUE(std::holds_alternative<HeaderProblem>(from_kafka_headers(with(headers, "ce_sequence", "0"))));
  EXPECT_TRUE(std::holds_alternative<HeaderProblem>(from_kafka_headers(with(headers, "ce_time", "yesterday"))));
}

TEST(CloudEvents, BrokenTraceparentStartsANewTraceInsteadOfRejecting) {
  auto parsed = from_kafka_headers(with(to_kafka_headers(sample()), "traceparent", "garbage"));
  ASSERT_TRUE(std::holds_alternative<CloudEvent>(parsed));
  EXPECT_EQ(std::get<CloudEvent>(parsed).traceparent.trace_id.size(), 32u);
}

TEST(CloudEvents, Rfc3339NowIsUtcWithMilliseconds) {
  std::string now = rfc3339_now();
  ASSERT_EQ(now.size(), 24u);
  EXPECT_EQ(now[10], 'T');
  EXPECT_EQ(now.back(), 'Z');
}

}  // namespace
}  // namespace pact::events
