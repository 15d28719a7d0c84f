#include "acknowledgements.h"

#include <google/protobuf/util/time_util.h>

#include "report_events.h"

namespace pact::notification {

std::optional<v1::StoredDelivery> Acknowledgements::delivery_for(const std::string& token) const {
  auto delivery_id = tokens_.delivery_of(token);
  if (!delivery_id) return std::nullopt;
  return store_.load(*delivery_id);
}

grpc::Status Acknowledgements::acknowledge(const std::string& token, v1::AcknowledgementMethod method,
                                           const std::string& subject, v1::AcknowledgeResponse& response) const {
  // One answer for a forged token and an unknown delivery: a token must not be guessable by probing.
  const grpc::Status unknown(grpc::StatusCode::NOT_FOUND, "no message has this acknowledgement token");
  auto stored = delivery_for(token);
  if (!stored || !stored->delivery().acknowledgement_required()) return unknown;
  const auto now = Clock::now();
  auto result = store_.acknowledge(stored->delivery().delivery_id(), method, subject, now,
                                   acknowledged_event(hub_, *stored, method, subject, now));
  switch (result.outcome) {
    case DeliveryStore::AckOutcome::unknown:
      return unknown;
    case DeliveryStore::AckOutcome::cancelled:
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                          "this referral was cancelled; nothing needs to be done for it");
    case DeliveryStore::AckOutcome::acknowledged:
    case DeliveryStore::AckOutcome::already_acknowledged:
      break;
  }
  response.set_delivery_id(stored->delivery().delivery_id());
  response.set_referral_id(stored->delivery().referral_id());
  *response.mutable_reference_code() = stored->delivery().reference_code();
  response.set_already_acknowledged(result.outcome == DeliveryStore::AckOutcome::already_acknowledged);
  *response.mutable_acknowledged_at() = google::protobuf::util::TimeUtil::MillisecondsToTimestamp(
      std::chrono::duration_cast<std::chrono::milliseconds>(result.acknowledged_at.time_since_epoch()).count());
  return grpc::Status::OK;
}

}  // namespace pact::notification
