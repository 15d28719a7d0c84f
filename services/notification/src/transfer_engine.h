#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace pact::notification {

// One outgoing transfer: a webhook or SMS gateway call (HTTP) or one e-mail handed to a relay (SMTP).
struct TransferRequest {
  enum class Protocol { http, smtp } protocol = Protocol::http;
  std::string url;                   // http(s)://… or smtp(s)://host:port; other schemes are refused
  std::string method = "POST";       // http only: GET or POST
  std::vector<std::string> headers;  // "Name: value"
  std::string body;                  // the http body, or the complete RFC 5322 message for smtp
  // From submission to the end, waiting for a free connection to the host included.
  std::chrono::milliseconds timeout{10000};
  std::chrono::milliseconds connect_timeout{3000};
  // smtp
  std::string mail_from;
  std::vector<std::string> recipients;
  bool require_starttls = false;  // on smtp://: refuse to send unless the relay switches to TLS
  std::string username;           // on smtp:// only together with require_starttls
  std::string password;
  // TLS
  std::string ca_file;  // empty: the system store
  bool verify_peer = true;
};

struct TransferResult {
  // answered: the peer replied, and `status` says how. That includes an SMTP relay refusing the
  // sender, a recipient or the message (4xx transient, 5xx permanent), not only a finished send.
  // timed_out: no complete answer in time. unreachable: no connection, or it broke before an answer.
  // failed: everything else (TLS, a bad request, the engine stopping) — see `detail`.
  enum class Outcome { answered, timed_out, unreachable, failed } outcome = Outcome::failed;
  long status = 0;     // the HTTP status, or the relay's last SMTP reply code; 0 when none came
  std::string detail;  // curl's error text, or "HTTP 503" / "SMTP 250"; never the body that was sent
  std::optional<std::chrono::seconds> retry_after;  // a Retry-After header in its seconds form, uncapped
  std::chrono::microseconds elapsed{};  // from submission, waiting for a connection included
};

// Runs many transfers at once on one thread of its own (a curl multi loop), keeping connections
// alive between them so a steady stream of webhooks to the same host costs no new handshakes.
// At most max_connections_per_host transfers to one host (scheme, host, port) run at once; the
// rest wait their turn in submission order. One that cannot start within its timeout completes
// as timed_out without anything having been sent. Response bodies are read only to keep
// connections reusable, and thrown away.
class TransferEngine {
 public:
  struct Options {
    std::size_t max_connections_per_host = 16;
    std::size_t max_total_connections = 256;
  };

  explicit TransferEngine(Options options);
  // Stops: transfers still in flight complete with Outcome::failed "stopped" (call wait_idle first
  // for a graceful shutdown). Must not be called from a `done` callback.
  ~TransferEngine();
  TransferEngine(const TransferEngine&) = delete;
  TransferEngine& operator=(const TransferEngine&) = delete;

  // Thread-safe. `done` runs exactly once, on the engine's thread, and must neither block nor throw
  // (it may submit again). After stop(), `done` runs at once on the caller's thread with "stopped".
  void submit(TransferRequest request, std::function<void(TransferResult)> done);
  std::size_t in_flight() const;
  // Waits until nothing is in flight or the timeout passes; true when idle.
  bool wait_idle(std::chrono::milliseconds timeout);
  // Same as the destructor's stop; idempotent.
  void stop();

 private:
  struct Submission {
    TransferRequest request;
    std::function<void(TransferResult)> done;
    std::chrono::steady_clock::time_point submitted;
  };
  class Transfers;  // the curl side, which only the engine's thread touches

  void run();
  void complete(std::function<void(TransferResult)>& done, TransferResult result);

  std::unique_ptr<Transfers> transfers_;

  mutable std::mutex mutex_;
  std::condition_variable idle_;
  std::vector<Submission> arrivals_;  // guarded by mutex_
  std::size_t in_flight_ = 0;         // guarded by mutex_; submitted and not yet completed
  bool stopping_ = false;             // guarded by mutex_
  bool accepting_ = true;             // guarded by mutex_; false once the loop took its last arrivals

  std::once_flag stopped_;
  std::thread thread_;
};

}  // namespace pact::notification
