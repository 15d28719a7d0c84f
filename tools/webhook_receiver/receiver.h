#pragma once

// pact-webhook-receiver: a real local HTTP endpoint that the notification service's webhook channel
// delivers to in tests, the benchmark and the local run. It verifies the signing contract, records
// every delivery per idempotency key and answers according to a script that tests set at runtime.
//
// Signing contract (what the notification service sends):
//   POST <any path>, JSON body
//   X-Pact-Timestamp: <unix seconds>
//   X-Pact-Signature: v1=<lowercase hex HMAC-SHA256(secret, timestamp + "." + body)>
//   Idempotency-Key: <delivery id>      X-Pact-Delivery-Id: <delivery id>      X-Pact-Attempt: <n>
// A missing or wrong signature is answered 401 (bad_signature); a correctly signed request whose
// timestamp is further than the tolerance from now, either way, is answered 401 (stale).
//
// Control API (all under /_receiver/, never counted as deliveries):
//   POST /_receiver/script  {"steps":[{"status":500,"count":1},{"delay_ms":3000,"status":200,"count":1},
//                                     {"status":200}]}
//        replaces the script; each verified delivery consumes the next step; a step without a count
//        applies forever; with no step left the answer is 200.
//   POST /_receiver/reset   clears records, counters and the script (a body is optional).
//   GET  /_receiver/stats[?summary=1]   JSON described at ReceiverState::stats.
//   GET  /_receiver/healthz  200 "ok".
//
// Standing in for the providers (the local run), it can also act on what it takes in through a
// MessageListener: ReferralAnswerer (referral_answerer.h) acknowledges and answers referral requests.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

namespace pact::tools::webhook_receiver {

// "v1=<lowercase hex HMAC-SHA256(secret, timestamp + "." + body)>", as the sender computes it.
std::string sign(std::string_view secret, std::string_view timestamp, std::string_view body);

// True when `signature_header` carries a v1 signature matching one of `secrets` (MACs compared in
// constant time). The header may hold several comma-separated entries ("v1=…,v1=…").
bool signature_matches(const std::vector<std::string>& secrets, std::string_view timestamp,
                       std::string_view body, std::string_view signature_header);

// One scripted answer. `count` absent: applies to every later delivery.
struct ScriptStep {
  int status = 200;
  int delay_ms = 0;
  std::optional<std::uint64_t> count;
};

// Parses {"steps":[{"status":…,"delay_ms":…,"count":…},…]}; on error returns nullopt and sets `error`.
std::optional<std::vector<ScriptStep>> parse_script(std::string_view json_text, std::string& error);

// What the HTTP layer should answer to one delivery.
struct Answer {
  int status = 200;
  int delay_ms = 0;  // sleep this long before answering
  std::string body;
};

// The headers of one incoming delivery that the receiver looks at (empty = absent).
struct DeliveryRequest {
  std::string_view timestamp;        // X-Pact-Timestamp
  std::string_view signature;        // X-Pact-Signature
  std::string_view idempotency_key;  // Idempotency-Key
  std::string_view delivery_id;      // X-Pact-Delivery-Id
  std::string_view attempt;          // X-Pact-Attempt
  std::string_view body;
};

// One message the receiver took in, as a recipient acts on it (the body's fields, "" when absent).
struct ReceivedMessage {
  std::string type;  // "referral_request", "reminder", "escalation", "referral_cancelled", …
  std::string referral_id;
  std::string reference_code;
  std::string ack_url;  // acknowledgement.url
};

// Acts on the messages the receiver takes in, as the organisation behind the endpoint would
// (referral_answerer.h). Kept behind this interface so the receiver stays free of gRPC.
class MessageListener {
 public:
  virtual ~MessageListener() = default;
  // Once per idempotency key, at its first 2xx answer: a delivery answered with an error was not
  // taken in, and a retried one is the same message. Runs on an HTTP worker after the state's lock
  // is released, before the answer is sent, so it must only queue work.
  virtual void on_message(const ReceivedMessage& message) = 0;
  // Members merged into /_receiver/stats (`summary` as there).
  virtual nlohmann::json stats(bool summary) const = 0;
  // /_receiver/reset: forget what was counted.
  virtual void reset() = 0;
};

// Verification, records and script, independent of HTTP; thread-safe (one mutex, held briefly).
class ReceiverState {
 public:
  ReceiverState(std::vector<std::string> secrets, std::chrono::seconds tolerance);

  // Decides the answer to one delivery and records it. `now_ms` is unix milliseconds (system clock).
  Answer on_delivery(const DeliveryRequest& request, std::int64_t now_ms);

  void set_script(std::vector<ScriptStep> steps);
  void reset();  // records, counters and script; the listener's counts too

  // Tells `listener` (nullptr: nobody) of every message taken in from now on. It must outlive
  // the state, or be replaced by nullptr first.
  void set_listener(MessageListener* listener);

  // {"requests","verified","bad_signature","stale","bad_request","unique_keys","accepted_keys",
  //  "duplicates","by_status":{"200":n,…},
  //  "latency_percentiles_ms":{"count","p50","p90","p99","max"},
  //  "deliveries":[{"key","received","accepted","attempts":[…],"first_ms","last_ms",
  //                 "first_accepted_ms","type","referral_id","reference_code","ack_token","ack_url","body_changed",
  //                 "latency_ms"}]}   (deliveries omitted when `summary`)
  // plus the listener's members, if one is set ("answers": ReferralAnswerer::stats).
  nlohmann::json stats(bool summary) const;

  // Sleeps `delay_ms` unless shutdown() is called meanwhile.
  void sleep_for_answer(int delay_ms) const;
  void shutdown();

  static std::int64_t now_unix_ms();

 private:
  struct Record {
    std::uint64_t received = 0;
    std::uint64_t accepted = 0;  // answered 2xx
    std::int64_t first_ms = 0;
    std::int64_t last_ms = 0;
    std::int64_t first_accepted_ms = -1;
    std::optional<std::int64_t> occurred_at_ms;
    std::vector<std::uint32_t> attempts;  // X-Pact-Attempt values in arrival order (0 = absent/bad)
    std::string type;
    std::string referral_id;
    std::string reference_code;
    std::string ack_token;  // the body's acknowledgement.token and .url, for acknowledging it
    std::string ack_url;
    std::size_t body_hash = 0;
    bool body_changed = false;
  };

  const std::vector<std::string> secrets_;
  const std::int64_t tolerance_seconds_;

  mutable std::mutex mutex_;
  std::unordered_map<std::string, Record> records_;
  std::deque<ScriptStep> script_;
  std::vector<std::int64_t> accepted_latencies_ms_;  // first 2xx receipt minus facts.occurred_at_ms
  std::uint64_t requests_ = 0;
  std::uint64_t verified_ = 0;
  std::uint64_t bad_signature_ = 0;
  std::uint64_t stale_ = 0;
  std::uint64_t bad_request_ = 0;
  std::uint64_t duplicates_ = 0;
  std::uint64_t accepted_keys_ = 0;
  std::vector<std::uint64_t> by_status_;  // index = status code
  MessageListener* listener_ = nullptr;

  mutable std::mutex sleep_mutex_;
  mutable std::condition_variable sleep_cv_;
  bool shutting_down_ = false;  // guarded by sleep_mutex_
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0 = any free port
  std::vector<std::string> secrets;
  int threads = 8;
  std::chrono::seconds tolerance{300};
  int keep_alive_timeout_seconds = 5;
};

// The HTTP server around a ReceiverState (cpp-httplib, kept out of this header).
class ReceiverServer {
 public:
  explicit ReceiverServer(ServerOptions options);
  ~ReceiverServer();
  ReceiverServer(const ReceiverServer&) = delete;
  ReceiverServer& operator=(const ReceiverServer&) = delete;

  // Binds the listening socket; returns the bound port, or -1.
  int bind();
  // Serves until stop(); call after bind(). Returns false if serving failed.
  bool run();
  // Safe from any thread, also before run() has started serving; wakes delayed answers.
  void stop();

  ReceiverState& state();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pact::tools::webhook_receiver
