#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "attempt_verdict.h"
#include "channel_requests.h"
#include "circuit_breakers.h"
#include "config/hub.h"
#include "delivery_planner.h"
#include "delivery_store.h"
#include "recipient_directory.h"
#include "transfer_engine.h"

namespace pact::notification {

// Counted, never timed: what the dispatcher did (metrics and tests).
struct DispatchStats {
  std::atomic<std::uint64_t> attempts{0};
  std::atomic<std::uint64_t> delivered{0};
  std::atomic<std::uint64_t> retries_scheduled{0};
  std::atomic<std::uint64_t> dead_lettered{0};
  std::atomic<std::uint64_t> failed_over{0};
  std::atomic<std::uint64_t> failed_fast{0};  // circuit open: no request made
  std::atomic<std::uint64_t> claims_lost{0};
};

// Sends what is due, endpoint by endpoint: it claims at most as many deliveries of an endpoint as
// that endpoint has free attempt slots, so a slow or dead receiver holds only its own work and
// never delays anyone else's (no head-of-line blocking); what is not claimed waits in Redis, where
// a restart finds it. Each result is judged (delivered, retry with backoff and jitter, give up),
// recorded with its report events in one step, and a delivery that gives up fails over to the
// recipient's next channel group before routing is told.
class Dispatcher {
 public:
  struct Parts {
    const config::Hub& hub;
    DeliveryStore& store;
    TransferEngine& engine;
    const ChannelRequests& requests;
    CircuitBreakers& breakers;
    const DeliveryPlanner& planner;
    RecipientDirectory& directory;
  };
  Dispatcher(Parts parts, DeliveryPolicy policy, std::string worker_id);

  // Dispatches until stop(); on the way out lets attempts in flight finish (up to the request
  // timeout) and records them, so a normal restart sends nothing twice.
  void run();
  void stop();
  // Something new is due (a delivery was created or resent): look now instead of at the next tick.
  void wake();

  const DispatchStats& stats() const { return stats_; }
  // The most attempts that were in flight at once to one endpoint, per endpoint (tests).
  std::map<std::string, std::size_t> peak_in_flight() const;

 private:
  struct Result {
    DeliveryStore::Claimed claimed;
    std::uint32_t attempt = 0;
    bool sent = false;  // a request was made (false: failed fast or could not be built)
    AttemptVerdict verdict;
  };

  void dispatch_due(Clock::time_point now);
  void start_attempt(DeliveryStore::Claimed claimed, bool admitted, Clock::time_point now);
  void finished(Result result);
  void record_results();
  DeliveryStore::Completion completion_of(const Result& result, Clock::time_point now,
                                          std::vector<DeliveryStore::NewDelivery>& fail_overs);
  bool wait_for_work(std::chrono::milliseconds at_most);
  // Whether another delivery of the same message reached the same recipient (another channel).
  bool recipient_reached(const v1::StoredDelivery& given_up);

  Parts parts_;
  DeliveryPolicy policy_;
  std::string worker_id_;
  std::mt19937_64 random_{std::random_device{}()};
  std::uniform_real_distribution<double> unit_{0.0, 1.0};
  Clock::time_point next_reap_{};

  mutable std::mutex mutex_;
  std::condition_variable work_;
  bool woken_ = false;
  bool stopping_ = false;
  std::deque<Result> results_;
  std::map<std::string, std::size_t> in_flight_;
  std::size_t in_flight_total_ = 0;
  std::map<std::string, std::size_t> peak_in_flight_;
  DispatchStats stats_;
};

}  // namespace pact::notification
