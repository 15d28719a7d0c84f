#include "kafka/envelope_record.h"

#include <stdexcept>

#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/time_util.h>

#include "events/cloud_event.h"

namespace pact::kafka {

OutgoingRecord envelope_record(const config::Hub& hub, std::string_view topic_base, std::string_view service,
                               const google::protobuf::Message& envelope, const std::string& trace_id) {
  const google::protobuf::Descriptor* descriptor = envelope.GetDescriptor();
  const google::protobuf::Reflection* reflection = envelope.GetReflection();
  auto field = [descriptor](const char* name) {
    const google::protobuf::FieldDescriptor* found = descriptor->FindFieldByName(name);
    if (found == nullptr) throw std::logic_error(descriptor->full_name() + " is not an event envelope: no " + name);
    return found;
  };
  const google::protobuf::OneofDescriptor* oneof = descriptor->FindOneofByName("event");
  if (oneof == nullptr) throw std::logic_error(descriptor->full_name() + " is not an event envelope: no oneof event");
  const google::protobuf::FieldDescriptor* set_event = reflection->GetOneofFieldDescriptor(envelope, oneof);

  events::CloudEvent attributes;
  attributes.id = reflection->GetString(envelope, field("event_id"));
  attributes.source = "/pact/" + hub.prefix() + "/" + std::string(service);
  attributes.type = set_event != nullptr ? set_event->message_type()->full_name() : descriptor->full_name();
  attributes.subject = reflection->GetString(envelope, field("case_id"));
  const auto& occurred_at =
      static_cast<const google::protobuf::Timestamp&>(reflection->GetMessage(envelope, field("occurred_at")));
  attributes.time = google::protobuf::util::TimeUtil::ToString(occurred_at);
  attributes.sequence = reflection->GetUInt64(envelope, field("sequence"));
  attributes.traceparent = events::TraceParent::new_root();
  if (trace_id.size() == 32) attributes.traceparent.trace_id = trace_id;
  return {hub.topic(topic_base), attributes.subject, envelope.SerializeAsString(), events::to_kafka_headers(attributes)};
}

}  // namespace pact::kafka
