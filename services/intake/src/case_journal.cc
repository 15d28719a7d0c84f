#include "case_journal.h"

#include "case_events.h"
#include "rpc/status.h"

namespace pact::intake {

CaseJournal::CaseJournal(const config::Hub& hub, std::string service, CaseStore& store, kafka::Producer& producer)
    : hub_(hub), service_(std::move(service)), store_(store), producer_(producer) {}

grpc::Status CaseJournal::publish(const std::string& case_id, const std::string& staged_event,
                                  const std::string& trace_id) {
  events::v1::CaseEvent event;
  if (!event.ParseFromString(staged_event)) {
    return grpc::Status(grpc::StatusCode::DATA_LOSS, "the staged case event is unreadable");
  }
  kafka::DeliveryResult delivery = producer_.produce_and_wait(case_event_record(hub_, service_, event, trace_id));
  if (delivery.status == kafka::DeliveryStatus::queue_full) {
    return rpc::resource_exhausted("too many case events waiting for Kafka", std::chrono::milliseconds(500));
  }
  if (!delivery.stored()) {
    return rpc::unavailable("the case event could not be stored in Kafka; retry with the same idempotency key",
                            std::chrono::seconds(2));
  }
  store_.confirm(case_id, event.sequence(), event.has_case_erased());
  return grpc::Status::OK;
}

}  // namespace pact::intake
