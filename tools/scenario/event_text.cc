#include "event_text.h"

#include <google/protobuf/util/json_util.h>

#include <memory>

#include "kafka/topics.h"
#include "pact/events/v1/case_events.pb.h"
#include "pact/events/v1/notification_events.pb.h"
#include "pact/events/v1/referral_events.pb.h"
#include "pact/events/v1/screening_events.pb.h"

namespace pactscenario {
namespace {

namespace topic = pact::kafka::topic;

std::unique_ptr<google::protobuf::Message> envelope_for(const std::string& topic_base) {
  if (topic_base == topic::kCase) return std::make_unique<pact::events::v1::CaseEvent>();
  if (topic_base == topic::kScreening) return std::make_unique<pact::events::v1::ScreeningEvent>();
  if (topic_base == topic::kReferral) return std::make_unique<pact::events::v1::ReferralEvent>();
  if (topic_base == topic::kNotification) return std::make_unique<pact::events::v1::NotificationEvent>();
  return nullptr;
}

nlohmann::json decoded(const FollowedRecord& record) {
  auto envelope = envelope_for(record.topic_base);
  if (!envelope || !envelope->ParseFromString(record.value)) {
    return {{"undecoded_bytes", record.value.size()}};
  }
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string text;
  if (!google::protobuf::util::MessageToJsonString(*envelope, &text, options).ok()) {
    return {{"undecoded_bytes", record.value.size()}};
  }
  return nlohmann::json::parse(text);
}

}  // namespace

nlohmann::json event_json(const FollowedRecord& record) {
  nlohmann::json attributes = nlohmann::json::object();
  for (const auto& [name, value] : record.headers) {
    if (name.rfind("ce_", 0) == 0) attributes[name.substr(3)] = value;
  }
  return {{"topic", record.topic_base},
          {"partition", record.partition},
          {"offset", record.offset},
          {"key", record.key},
          {"cloudevents", attributes},
          {"event", decoded(record)}};
}

std::string event_line(const FollowedRecord& record) {
  const nlohmann::json event = decoded(record);
  // The envelope's one-of (what happened) is its only object-valued field besides timestamps.
  std::string what = event.dump();
  for (const auto& [name, value] : event.items()) {
    if (value.is_object()) {
      what = name + " " + value.dump();
      break;
    }
  }
  const std::string time = record.header("ce_time");
  const std::string type = record.header("ce_type");
  return (time.empty() ? std::string("-") : time) + "  " + (type.empty() ? record.topic_base : type) + "  " +
         (record.key.empty() ? std::string("-") : record.key) + "  " + record.topic_base + "@" +
         std::to_string(record.partition) + ":" + std::to_string(record.offset) + "  " + what;
}

}  // namespace pactscenario
