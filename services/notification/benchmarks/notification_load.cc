// Notification's delivery benchmark (issue 6): webhook deliveries per second through the whole
// service — referral events on Kafka, recipients from routing's directory, deliveries in Redis,
// signed POSTs to a local receiver, reports back on Kafka — next to a baseline measured in the same
// run: the same signed POSTs sent straight from the transfer engine to the same receiver. Then the
// event-to-delivery latency at a steady offered rate. Prints figures; asserts nothing.
//
//   tools/loadgen/bench-notification.sh [referrals] [paced rate per second] [paced seconds]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "notification_fixture.h"
#include "transfer_engine.h"
#include "webhook_signature.h"

namespace {

using namespace pact::notification;
using namespace pact::notification::testing;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The transport alone: signed POSTs of a realistic body, 64 in flight, straight to the receiver.
double baseline_rate(WebhookReceiver& receiver, int count) {
  TransferEngine engine(TransferEngine::Options{});
  const std::string body = R"({"type":"referral_request","referral_id":"case-x/safe_accommodation/1","facts":{}})"
                           + std::string(600, ' ');
  std::atomic<int> done{0};
  std::atomic<int> in_flight{0};
  const auto start = Clock::now();
  for (int i = 0; i < count; ++i) {
    while (in_flight.load() >= 64) std::this_thread::yield();
    TransferRequest request;
    request.url = receiver.url("/baseline");
    request.body = body;
    request.headers = webhook_headers(kWebhookSecret, "baseline-" + std::to_string(i), 1,
                                      std::chrono::system_clock::now(), body);
    ++in_flight;
    engine.submit(std::move(request), [&](TransferResult) {
      --in_flight;
      ++done;
    });
  }
  engine.wait_idle(std::chrono::seconds(60));
  return done.load() / seconds_since(start);
}

pact::events::v1::ReferralEvent referral(const std::string& run, int i) {
  auto event = referral_requested("case-" + run + std::to_string(100000 + i), "rs-shelter", "evt-" + run + std::to_string(i));
  event.mutable_referral_requested()->mutable_referral()->set_referral_id("case-" + run + std::to_string(i) +
                                                                          "/safe_accommodation/1");
  return event;
}

// Waits until the receiver accepted `count` distinct deliveries (or `limit` passes).
bool wait_for(WebhookReceiver& receiver, int count, std::chrono::seconds limit) {
  return eventually([&] { return receiver.stats(true)["accepted_keys"].get<int>() >= count; }, limit);
}

}  // namespace

int main(int argc, char** argv) {
  const int referrals = argc > 1 ? std::atoi(argv[1]) : 20000;
  const int paced_rate = argc > 2 ? std::atoi(argv[2]) : 3000;
  const int paced_seconds = argc > 3 ? std::atoi(argv[3]) : 10;
  if (std::getenv("PACT_TEST_REDIS_ADDRESS") == nullptr) {
    std::fprintf(stderr, "run through tools/loadgen/bench-notification.sh (it starts a private redis-server)\n");
    return 2;
  }
  WebhookReceiver receiver(32);
  std::printf("baseline: transfer engine straight to the receiver, %d signed POSTs, 64 in flight\n", referrals);
  const double baseline = baseline_rate(receiver, referrals);
  std::printf("  %.0f POSTs/s\n", baseline);
  receiver.state().reset();

  DeliveryTuning tuning;
  tuning.per_endpoint_concurrency = 32;
  tuning.request_timeout = "5s";
  tuning.claim_lease = "30s";
  tuning.directory_refresh = "30s";  // the default: a surge asks routing once per recipient
  if (const char* lanes = std::getenv("PACT_BENCH_CONSUMER_THREADS")) tuning.consumer_threads = std::atoi(lanes);
  NotificationHub hub("bench", {directory_service("rs-shelter", "safe_accommodation",
                                                  json::array({webhook_channel(receiver.url("/hooks/pact"))}))},
                      "", {}, tuning);

  // Backlog: every referral waits on the topic, then notification drains it at full speed.
  hub.notification().stop();
  for (int i = 0; i < referrals; ++i) hub.publish_async(referral("b", i));
  hub.flush();
  hub.notification().start();
  const bool drained = wait_for(receiver, referrals, std::chrono::seconds(600));
  const json backlog = receiver.stats(false);
  std::int64_t first = INT64_MAX;
  std::int64_t last = 0;
  for (const auto& delivery : backlog["deliveries"]) {
    first = std::min<std::int64_t>(first, delivery["first_accepted_ms"].get<std::int64_t>());
    last = std::max<std::int64_t>(last, delivery["first_accepted_ms"].get<std::int64_t>());
  }
  const double service_rate = backlog["accepted_keys"].get<double>() / std::max(0.001, (last - first) / 1000.0);
  std::printf("through the service: %d referral events waiting on Kafka, drained%s\n", referrals,
              drained ? "" : " (NOT all within 10 minutes)");
  std::printf("  %.0f webhook deliveries/s (first to last delivery), %.0f%% of the baseline; %d repeated sends\n",
              service_rate, 100.0 * service_rate / baseline, backlog["duplicates"].get<int>());

  // Steady offered load: the latency from a referral event to its delivery.
  receiver.state().reset();
  const int paced = paced_rate * paced_seconds;
  const auto start = Clock::now();
  for (int i = 0; i < paced; ++i) {
    const auto due = start + std::chrono::microseconds(static_cast<std::int64_t>(1e6 * i / paced_rate));
    std::this_thread::sleep_until(due);
    hub.publish_async(referral("p", i));
  }
  hub.flush();
  const double offered = paced / seconds_since(start);
  const bool all = wait_for(receiver, paced, std::chrono::seconds(300));
  const json steady = receiver.stats(true);
  const auto& latency = steady["latency_percentiles_ms"];
  std::printf("steady load: %d referral events offered at %.0f/s for %d s, %s\n", paced, offered, paced_seconds,
              all ? "all delivered" : "NOT all delivered");
  std::printf("  event to delivery: p50 %s ms, p90 %s ms, p99 %s ms, max %s ms\n", latency["p50"].dump().c_str(),
              latency["p90"].dump().c_str(), latency["p99"].dump().c_str(), latency["max"].dump().c_str());
  return 0;
}
