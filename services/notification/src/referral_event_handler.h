#pragma once

#include <functional>

#include "delivery_planner.h"
#include "delivery_store.h"
#include "kafka/consumed_record.h"
#include "recipient_directory.h"

namespace pact::notification {

// Turns what routing publishes on pact.referral.v1 into deliveries: one message per event, for
// each recipient routing named, over that recipient's channels; DeliveryCancelled stops what is
// still pending for the referral. Replays are harmless: deliveries have deterministic ids and the
// store never creates one twice, so an event read again after a crash sends nothing again.
class ReferralEventHandler : public kafka::RecordHandler {
 public:
  ReferralEventHandler(DeliveryStore& store, RecipientDirectory& directory, const DeliveryPlanner& planner,
                       std::function<void()> new_work)
      : store_(store), directory_(directory), planner_(planner), new_work_(std::move(new_work)) {}

  // The deliveries are the record's effects, stored atomically with the consumer's position.
  void handle(const kafka::ConsumedRecord& record, kafka::WriteBatch& effects) override;
  void applied(const kafka::ConsumedRecord& record) override;

 private:
  DeliveryStore& store_;
  RecipientDirectory& directory_;
  const DeliveryPlanner& planner_;
  std::function<void()> new_work_;
};

}  // namespace pact::notification
