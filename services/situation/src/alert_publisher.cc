#include "alert_publisher.h"

#include "log/logger.h"

namespace pact::situation {

KafkaAlertPublisher::KafkaAlertPublisher(kafka::Producer& producer, std::string topic)
    : producer_(producer), topic_(std::move(topic)) {}

bool KafkaAlertPublisher::publish(const std::string& key, const v1::Alert& alert) {
  kafka::OutgoingRecord record;
  record.topic = topic_;
  record.key = key;
  record.value = alert.cap_xml();
  record.headers = {{"content-type", "application/cap+xml"}, {"cap-identifier", alert.identifier()},
                    {"cap-msg-type", alert.msg_type()}};
  const auto result = producer_.produce_and_wait(std::move(record));
  if (!result.stored()) log::warn("CAP alert not stored yet, will retry", {{"identifier", alert.identifier()}});
  return result.stored();
}

}  // namespace pact::situation
