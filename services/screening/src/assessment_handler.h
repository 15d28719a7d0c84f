#pragma once

#include "assessment_store.h"
#include "config/hub.h"
#include "crypto/case_key_client.h"
#include "kafka/consumed_record.h"
#include "kafka/producer.h"
#include "redis/redis_client.h"
#include "screener.h"

namespace pact::screening {

// Consumes case events and emits one assessment event for each (registered, amended, consent
// changed, erased), in the case's order, carrying the current snapshot routing needs. The event is
// stored by Kafka before the consumer position moves; its id is derived from the case event's, so a
// repeat after a crash is the same event, which downstream skips by sequence.
class AssessmentHandler : public kafka::RecordHandler {
 public:
  AssessmentHandler(const config::Hub& hub, const Screener& screener, crypto::CaseKeyClient& keys,
                    kafka::Producer& producer, redis::RedisClient& redis, const AssessmentStore& store)
      : hub_(hub), screener_(screener), keys_(keys), producer_(producer), redis_(redis), store_(store) {}

  void handle(const kafka::ConsumedRecord& record, kafka::WriteBatch& effects) override;

 private:
  void publish(const events::v1::ScreeningEvent& event, const kafka::ConsumedRecord& cause);

  const config::Hub& hub_;
  const Screener& screener_;
  crypto::CaseKeyClient& keys_;
  kafka::Producer& producer_;
  redis::RedisClient& redis_;
  const AssessmentStore& store_;
};

}  // namespace pact::screening
