#pragma once

#include "case_updater.h"
#include "crypto/case_key_client.h"
#include "kafka/consumed_record.h"
#include "pact/events/v1/screening_events.pb.h"

namespace pact::routing {

// Consumes pact.screening.v1 (every change of a case, in order) and turns each assessment into the
// referrals the SOP requires now. The change, its timers, capacity and events are committed by
// CaseUpdater before the consumer stores its position; a repeat after a crash finds the case's
// sequence already applied and does nothing.
class ScreeningEventHandler : public kafka::RecordHandler {
 public:
  ScreeningEventHandler(const CaseUpdater& updater, crypto::CaseKeyClient* keys) : updater_(updater), keys_(keys) {}
  void handle(const kafka::ConsumedRecord& record, kafka::WriteBatch& effects) override;

 private:
  struct Evidence {
    crypto::SecretKey key;
    std::uint32_t key_version = 0;
    pact::screening::v1::ScreeningResult result;
  };
  std::optional<Evidence> open_evidence(const events::v1::ScreeningEvent& event) const;

  const CaseUpdater& updater_;
  crypto::CaseKeyClient* keys_;  // optional: evidence for referrals; forgets an erased case's key at once
};

// Consumes pact.notification.v1: an acknowledgement moves a referral to received; a delivery given
// up cancels the attempt and routes the need on. Idempotent by state (acknowledging twice is once).
class NotificationEventHandler : public kafka::RecordHandler {
 public:
  explicit NotificationEventHandler(const CaseUpdater& updater) : updater_(updater) {}
  void handle(const kafka::ConsumedRecord& record, kafka::WriteBatch& effects) override;

 private:
  const CaseUpdater& updater_;
};

}  // namespace pact::routing
