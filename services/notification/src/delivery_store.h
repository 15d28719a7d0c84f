#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/hub.h"
#include "pact/events/v1/notification_events.pb.h"
#include "pact/notification/v1/notification_state.pb.h"
#include "redis/redis_client.h"

namespace pact::notification {

using Clock = std::chrono::system_clock;

// Notification's deliveries in Redis, with a queue per endpoint so that one dead endpoint's backlog
// never stands in front of another's (no head-of-line blocking). Every status change and the
// report events it causes are written in one Lua step (the events go to an outbox that
// kafka::OutboxRelay publishes), so a delivery's history and what routing hears never disagree.
//
//   <hub>:notification:d:<id>            hash: record (StoredDelivery without its content), content
//                                        (the rendered message and facts, written once), status (the
//                                        authority), endpoint, retry_base, claim, acked_ms,
//                                        ack_method, ack_subject
//   <hub>:notification:due:<endpoint>    zset id -> when the next attempt is due (Unix ms)
//   <hub>:notification:endpoints         zset endpoint -> its earliest due time
//   <hub>:notification:inflight          zset id -> claim lease expiry (Unix ms)
//   <hub>:notification:ref:<referral>    zset id -> created (Unix ms), for queries and cancellation
//   <hub>:notification:case:<case>       zset id -> created (Unix ms)
//   <hub>:notification:outbox            list of NotificationEvent to publish
class DeliveryStore {
 public:
  DeliveryStore(const config::Hub& hub, redis::RedisClient& redis);

  // Creates each delivery unless it already exists (a replayed referral event creates nothing and
  // sends nothing again). PENDING ones are queued on their endpoint at once; one created
  // DEAD_LETTERED (no channel, no secret) publishes its `events`. Returns how many were new.
  struct NewDelivery {
    v1::StoredDelivery stored;
    std::vector<events::v1::NotificationEvent> events;
  };
  std::size_t create(const std::vector<NewDelivery>& deliveries, Clock::time_point now);
  // The same as plain, idempotent writes, for a Kafka consumer to apply atomically with its
  // position (one Redis round trip per referral event instead of two). A repeat changes nothing:
  // fields are set only when absent, and claim() never takes a delivery that is not pending or
  // retrying, or one already in flight, even if a repeat queued its id again.
  std::vector<redis::Command> creation_commands(NewDelivery delivery, Clock::time_point now) const;

  // Endpoints with work due now, earliest first.
  std::vector<std::string> due_endpoints(Clock::time_point now, std::size_t limit);

  // Takes up to `limit` due deliveries of one endpoint for this worker until `lease_until`; after
  // that (the worker died) they are due again, with the same idempotency key.
  struct Claimed {
    v1::StoredDelivery stored;
    std::uint32_t retry_base = 0;  // attempts made before the last resend
    std::string claim;             // proves this worker still holds it when it completes
  };
  std::vector<Claimed> claim(const std::string& endpoint, Clock::time_point now, std::size_t limit,
                             Clock::time_point lease_until, const std::string& claimant);

  // The outcome of one attempt. `status` is where it goes (DELIVERED, RETRYING, DEAD_LETTERED);
  // `retry_at` queues it again. `final_events` (NotificationFailed) are published only when the
  // delivery was not cancelled or acknowledged meanwhile; `events` (Sent, Delivered) always.
  struct Completion {
    Claimed claimed;  // with stored.delivery updated (attempts, failure, delivered_at)
    v1::DeliveryStatus status = v1::DELIVERY_STATUS_UNSPECIFIED;
    std::optional<Clock::time_point> retry_at;
    std::vector<events::v1::NotificationEvent> events;
    std::vector<events::v1::NotificationEvent> final_events;
  };
  // One round trip for the lot. Completions whose claim was lost are dropped (counted).
  std::size_t complete(const std::vector<Completion>& completions);

  // Claimed deliveries this worker will not attempt (stopping): due again at once.
  void release(const std::vector<Claimed>& claimed, Clock::time_point now);
  // Claims whose worker vanished (lease passed): due again at once. Returns how many.
  std::size_t requeue_expired(Clock::time_point now, std::size_t limit);

  // Stops pending and retrying deliveries of a referral (all, or only to these recipients).
  std::size_t cancel_for_referral(const std::string& referral_id, const std::vector<std::string>& recipient_ids);

  enum class AckOutcome { acknowledged, already_acknowledged, cancelled, unknown };
  struct AckResult {
    AckOutcome outcome = AckOutcome::unknown;
    Clock::time_point acknowledged_at{};
  };
  // Records the acknowledgement once and publishes `event` with it; a second one changes nothing.
  AckResult acknowledge(const std::string& delivery_id, v1::AcknowledgementMethod method, const std::string& subject,
                        Clock::time_point now, const events::v1::NotificationEvent& event);

  enum class ResendOutcome { queued, already_queued, cancelled, acknowledged, unknown };
  ResendOutcome resend(const std::string& delivery_id, std::uint32_t attempts_so_far, Clock::time_point now);

  // A delivery as the API shows it (status, SENDING while claimed, acknowledgement applied).
  std::optional<v1::StoredDelivery> load(const std::string& delivery_id);
  // Deliveries of a referral or a case, oldest first (at most `limit`, from `offset`).
  std::vector<v1::StoredDelivery> list_for_referral(const std::string& referral_id, std::size_t offset,
                                                    std::size_t limit);
  std::vector<v1::StoredDelivery> list_for_case(const std::string& case_id, std::size_t offset, std::size_t limit);

  // How many deliveries are queued on an endpoint (tests and metrics).
  std::size_t queued_on(const std::string& endpoint);

  std::string outbox_key() const { return prefix_ + "outbox"; }
  std::string outbox_lease_key() const { return prefix_ + "outbox-lease"; }

 private:
  std::vector<v1::StoredDelivery> load_many(const std::vector<std::string>& ids);
  std::vector<v1::StoredDelivery> list(const std::string& index_key, std::size_t offset, std::size_t limit);

  std::string prefix_;  // "<hub>:notification:"
  redis::RedisClient& redis_;
};

}  // namespace pact::notification
