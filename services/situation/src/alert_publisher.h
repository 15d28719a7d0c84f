#pragma once

#include <string>

#include "kafka/producer.h"
#include "pact/situation/v1/situation.pb.h"

namespace pact::situation {

// Where issued CAP messages go. The ticker retries a message until publish() says it is stored.
class AlertPublisher {
 public:
  virtual ~AlertPublisher() = default;
  // `key` names the condition (one condition's messages stay in order in one partition).
  virtual bool publish(const std::string& key, const v1::Alert& alert) = 0;
};

// The alert topic (pact.alert.v1): the CAP XML document as the value, for EOC systems, gateways and
// partner hubs to subscribe to.
class KafkaAlertPublisher : public AlertPublisher {
 public:
  KafkaAlertPublisher(kafka::Producer& producer, std::string topic);
  bool publish(const std::string& key, const v1::Alert& alert) override;

 private:
  kafka::Producer& producer_;
  std::string topic_;
};

}  // namespace pact::situation
