#pragma once

#include <string>

#include <grpcpp/support/status.h>

#include "case_store.h"
#include "config/hub.h"
#include "kafka/producer.h"

namespace pact::intake {

// Publishes staged case events and confirms them in the store, so that every change a client was
// told about is in Kafka (acks=all) and events of one case leave in sequence order.
class CaseJournal {
 public:
  CaseJournal(const config::Hub& hub, std::string service, CaseStore& store, kafka::Producer& producer);

  // Publishes the staged event (serialized CaseEvent) and confirms it. UNAVAILABLE or
  // RESOURCE_EXHAUSTED (with RetryInfo) when Kafka did not store it; the event stays staged and
  // the client's retry with the same idempotency key publishes it.
  grpc::Status publish(const std::string& case_id, const std::string& staged_event, const std::string& trace_id);

 private:
  const config::Hub& hub_;
  std::string service_;
  CaseStore& store_;
  kafka::Producer& producer_;
};

}  // namespace pact::intake
