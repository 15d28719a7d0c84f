#include "dispatcher.h"

#include <google/protobuf/util/time_util.h>

#include "log/logger.h"
#include "report_events.h"

namespace pact::notification {
namespace {

using google::protobuf::util::TimeUtil;

constexpr std::size_t kEndpointsPerRound = 256;
constexpr std::size_t kFailFastBatch = 64;  // an open circuit's due deliveries failed per round
constexpr std::chrono::seconds kReapEvery{1};
constexpr std::chrono::milliseconds kGatherResults{2};

google::protobuf::Timestamp timestamp(Clock::time_point time) {
  return TimeUtil::MillisecondsToTimestamp(
      std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count());
}

}  // namespace

Dispatcher::Dispatcher(Parts parts, DeliveryPolicy policy, std::string worker_id)
    : parts_(parts), policy_(policy), worker_id_(std::move(worker_id)) {}

void Dispatcher::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  work_.notify_one();
}

void Dispatcher::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_.notify_one();
}

std::map<std::string, std::size_t> Dispatcher::peak_in_flight() const {
  std::lock_guard lock(mutex_);
  return peak_in_flight_;
}

bool Dispatcher::wait_for_work(std::chrono::milliseconds at_most) {
  std::unique_lock lock(mutex_);
  work_.wait_for(lock, at_most, [this] { return stopping_ || woken_ || !results_.empty(); });
  // Under load, gather results for a moment: recorded and replaced by new claims a batch per Redis
  // round trip instead of one by one (which capped throughput at a few thousand per second).
  if (!stopping_ && !results_.empty()) {
    work_.wait_for(lock, kGatherResults, [this] { return stopping_ || results_.size() * 2 >= in_flight_total_; });
  }
  woken_ = false;
  return !stopping_;
}

void Dispatcher::run() {
  while (true) {
    try {
      record_results();
      const auto now = Clock::now();
      if (now >= next_reap_) {
        if (auto requeued = parts_.store.requeue_expired(now, 1000)) {
          log::warn("deliveries of a vanished worker are due again", {{"count", std::to_string(requeued)}});
        }
        next_reap_ = now + kReapEvery;
      }
      dispatch_due(now);
    } catch (const std::exception& e) {
      // Redis down: nothing is lost (the queue is in Redis); attempts in flight are recorded later.
      log::warn("dispatch paused", {{"error", e.what()}});
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    if (!wait_for_work(policy_.tick)) break;
  }
  // Let what is in flight finish and record it: a normal stop sends nothing twice.
  parts_.engine.wait_idle(policy_.request_timeout + policy_.connect_timeout);
  for (int tries = 0; tries < 3; ++tries) {
    try {
      record_results();
      break;
    } catch (const std::exception& e) {
      log::warn("could not record the last attempts; they are due again after the claim lease",
                {{"error", e.what()}});
    }
  }
}

void Dispatcher::dispatch_due(Clock::time_point now) {
  for (const std::string& endpoint : parts_.store.due_endpoints(now, kEndpointsPerRound)) {
    std::size_t free_slots = 0;
    {
      std::lock_guard lock(mutex_);
      const std::size_t busy = in_flight_[endpoint];
      free_slots = busy < policy_.per_endpoint_concurrency ? policy_.per_endpoint_concurrency - busy : 0;
    }
    const auto steady_now = std::chrono::steady_clock::now();
    const std::size_t admitted = parts_.breakers.admit(endpoint, free_slots, steady_now);
    const bool circuit_open =
        parts_.breakers.state(endpoint, steady_now) != CircuitBreakers::State::closed && admitted == 0;
    const std::size_t wanted = circuit_open ? kFailFastBatch : admitted;
    if (wanted == 0) continue;
    auto claimed = parts_.store.claim(endpoint, now, wanted, now + policy_.claim_lease, worker_id_);
    for (auto& item : claimed) start_attempt(std::move(item), !circuit_open, now);
  }
}

void Dispatcher::start_attempt(DeliveryStore::Claimed claimed, bool admitted, Clock::time_point now) {
  const std::uint32_t attempt = claimed.stored.delivery().attempts() + 1;
  if (!admitted) {
    ++stats_.failed_fast;
    finished({std::move(claimed), attempt, false,
              AttemptVerdict{AttemptVerdict::Kind::retry, v1::FAILURE_REASON_CIRCUIT_OPEN,
                             "the endpoint's circuit is open after repeated failures", std::nullopt}});
    return;
  }
  auto request = parts_.requests.request_for(claimed.stored, attempt, now);
  if (auto* cannot = std::get_if<CannotSend>(&request)) {
    finished({std::move(claimed), attempt, false,
              AttemptVerdict{AttemptVerdict::Kind::give_up, cannot->reason, cannot->detail, std::nullopt}});
    return;
  }
  // The content (most of the bytes) is in the request now; results carry only the state.
  claimed.stored.clear_message();
  claimed.stored.clear_facts();
  const std::string endpoint = claimed.stored.endpoint();
  const v1::Channel channel = claimed.stored.delivery().channel();
  {
    std::lock_guard lock(mutex_);
    std::size_t& busy = in_flight_[endpoint];
    ++busy;
    ++in_flight_total_;
    peak_in_flight_[endpoint] = std::max(peak_in_flight_[endpoint], busy);
  }
  ++stats_.attempts;
  auto shared = std::make_shared<DeliveryStore::Claimed>(std::move(claimed));
  parts_.engine.submit(std::move(std::get<TransferRequest>(request)),
                       [this, shared, attempt, endpoint, channel](TransferResult result) {
                         AttemptVerdict verdict = judge_attempt(channel, result);
                         parts_.breakers.record(endpoint, !endpoint_failed(channel, result),
                                                std::chrono::steady_clock::now());
                         // The slot stays taken until the outcome is recorded (record_results).
                         finished({std::move(*shared), attempt, true, std::move(verdict)});
                       });
}

void Dispatcher::finished(Result result) {
  {
    std::lock_guard lock(mutex_);
    results_.push_back(std::move(result));
  }
  work_.notify_one();
}

DeliveryStore::Completion Dispatcher::completion_of(const Result& result, Clock::time_point now,
                                                    std::vector<DeliveryStore::NewDelivery>& fail_overs) {
  DeliveryStore::Completion completion;
  completion.claimed = result.claimed;  // a copy: the result is recorded again if Redis fails now
  v1::StoredDelivery& stored = completion.claimed.stored;
  v1::Delivery& delivery = *stored.mutable_delivery();
  delivery.set_attempts(result.attempt);
  if (result.sent) completion.events.push_back(sent_event(parts_.hub, stored, result.attempt, now));
  const AttemptVerdict& verdict = result.verdict;
  if (verdict.kind == AttemptVerdict::Kind::delivered) {
    ++stats_.delivered;
    completion.status = v1::DELIVERY_STATUS_DELIVERED;
    delivery.set_status(v1::DELIVERY_STATUS_DELIVERED);
    *delivery.mutable_delivered_at() = timestamp(now);
    delivery.clear_next_attempt_at();
    completion.events.push_back(delivered_event(parts_.hub, stored, now));
    return completion;
  }
  delivery.set_last_failure(verdict.reason);
  delivery.set_last_error(verdict.detail);
  const bool exhausted = result.attempt - result.claimed.retry_base >= policy_.max_attempts;
  if (verdict.kind == AttemptVerdict::Kind::retry && !exhausted) {
    ++stats_.retries_scheduled;
    const auto retry_at = now + retry_delay(policy_, result.attempt - result.claimed.retry_base, unit_(random_),
                                            verdict.retry_after);
    completion.status = v1::DELIVERY_STATUS_RETRYING;
    completion.retry_at = retry_at;
    delivery.set_status(v1::DELIVERY_STATUS_RETRYING);
    *delivery.mutable_next_attempt_at() = timestamp(retry_at);
    return completion;
  }
  ++stats_.dead_lettered;
  const v1::FailureReason reason =
      verdict.kind == AttemptVerdict::Kind::retry ? v1::FAILURE_REASON_RETRIES_EXHAUSTED : verdict.reason;
  completion.status = v1::DELIVERY_STATUS_DEAD_LETTERED;
  delivery.set_status(v1::DELIVERY_STATUS_DEAD_LETTERED);
  delivery.set_last_failure(reason);
  delivery.clear_next_attempt_at();
  // Cancelled or acknowledged meanwhile, or another channel of the same group reached the
  // recipient: nothing more to try and nothing to tell routing.
  const auto current = parts_.store.load(delivery.delivery_id());
  if (!current || current->delivery().status() == v1::DELIVERY_STATUS_CANCELLED ||
      current->delivery().status() == v1::DELIVERY_STATUS_ACKNOWLEDGED || recipient_reached(stored)) {
    return completion;
  }
  std::vector<DeliveryStore::NewDelivery> next;
  try {
    // The message's content was dropped with the request; the fail-over renders it again.
    *stored.mutable_message() = current->message();
    *stored.mutable_facts() = current->facts();
    next = parts_.planner.fail_over(stored, parts_.directory.recipient(delivery.recipient_id()), now);
    stored.clear_message();
    stored.clear_facts();
  } catch (const std::exception& e) {
    log::warn("no fail-over: the directory cannot be asked", {{"error", e.what()}});
  }
  if (next.empty()) {
    completion.final_events.push_back(failed_event(parts_.hub, stored, reason, verdict.detail, now));
  } else {
    ++stats_.failed_over;
    for (auto& item : next) fail_overs.push_back(std::move(item));
  }
  return completion;
}

bool Dispatcher::recipient_reached(const v1::StoredDelivery& given_up) {
  const auto& delivery = given_up.delivery();
  if (delivery.referral_id().empty()) return false;
  for (const auto& sibling : parts_.store.list_for_referral(delivery.referral_id(), 0, 1000)) {
    const auto& other = sibling.delivery();
    if (other.delivery_id() == delivery.delivery_id() || other.source_event_id() != delivery.source_event_id() ||
        other.recipient_id() != delivery.recipient_id()) {
      continue;
    }
    if (other.status() == v1::DELIVERY_STATUS_DELIVERED || other.status() == v1::DELIVERY_STATUS_ACKNOWLEDGED) return true;
  }
  return false;
}

void Dispatcher::record_results() {
  std::deque<Result> batch;
  {
    std::lock_guard lock(mutex_);
    batch.swap(results_);
  }
  if (batch.empty()) return;
  const auto now = Clock::now();
  std::vector<DeliveryStore::Completion> completions;
  std::vector<DeliveryStore::NewDelivery> fail_overs;
  completions.reserve(batch.size());
  for (const auto& result : batch) completions.push_back(completion_of(result, now, fail_overs));
  try {
    // Fail-overs first: created twice is harmless (same ids), lost is not.
    if (!fail_overs.empty()) parts_.store.create(fail_overs, now);
    stats_.claims_lost += parts_.store.complete(completions);
  } catch (...) {
    // Redis is down: put the results back to record later, in order.
    std::lock_guard lock(mutex_);
    for (auto it = batch.rbegin(); it != batch.rend(); ++it) results_.push_front(std::move(*it));
    throw;
  }
  // An attempt frees its endpoint's slot only now: an endpoint never has more sent-but-unrecorded
  // attempts than its concurrency, which bounds what a crash can send twice.
  std::lock_guard lock(mutex_);
  for (const auto& result : batch) {
    if (!result.sent) continue;
    --in_flight_[result.claimed.stored.endpoint()];
    --in_flight_total_;
  }
}

}  // namespace pact::notification
