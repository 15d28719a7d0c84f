#include "transfer_engine.h"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <deque>
#include <exception>
#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "log/logger.h"

namespace pact::notification {
namespace {

using Clock = std::chrono::steady_clock;

// Enough to see that a receiver answered; a larger body is not read further (nobody uses it).
constexpr std::size_t kResponseBytesRead = 64 * 1024;
// The loop looks at its arrivals and waiting transfers at least this often.
constexpr std::chrono::milliseconds kLongestPoll{1000};

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) { return lower(a) == lower(b); });
}

bool has_header(const std::vector<std::string>& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(), [&](const std::string& header) {
    return starts_with_ignoring_case(header, name) && header.size() > name.size() && header[name.size()] == ':';
  });
}

std::string_view trimmed(std::string_view text) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return text;
}

// "scheme://host:port" in lower case: what decides which connections can serve a URL.
std::string host_of(std::string_view url) {
  std::string host;
  const auto scheme_end = url.find("://");
  if (scheme_end != std::string_view::npos) {
    auto authority = url.substr(scheme_end + 3);
    authority = authority.substr(0, authority.find_first_of("/?#"));
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
    host.reserve(scheme_end + 3 + authority.size());
    host.append(url.substr(0, scheme_end + 3)).append(authority);
  }
  std::transform(host.begin(), host.end(), host.begin(), lower);
  return host;
}

// Why curl should not even be asked, or empty.
std::string refusal_of(const TransferRequest& request) {
  // An explicit scheme, because curl would guess one for "host/path".
  if (request.protocol == TransferRequest::Protocol::http) {
    if (!starts_with_ignoring_case(request.url, "http://") && !starts_with_ignoring_case(request.url, "https://")) {
      return "not an http(s) URL";
    }
    if (request.method != "GET" && request.method != "POST") return "unsupported method " + request.method;
    return {};
  }
  const bool implicit_tls = starts_with_ignoring_case(request.url, "smtps://");
  if (!implicit_tls && !starts_with_ignoring_case(request.url, "smtp://")) return "not an smtp(s) URL";
  if (request.recipients.empty()) return "no recipients";
  // A relay that does not offer STARTTLS would otherwise receive the password in the clear.
  if (!request.username.empty() && !implicit_tls && !request.require_starttls) {
    return "SMTP credentials need smtps:// or require_starttls";
  }
  return {};
}

TransferResult failed_result(std::string detail) {
  TransferResult result;
  result.outcome = TransferResult::Outcome::failed;
  result.detail = std::move(detail);
  return result;
}

TransferResult result_of(CURLcode code, TransferRequest::Protocol protocol, long status, bool response_cut_short,
                         std::string_view curl_error) {
  TransferResult result;
  result.status = status;
  const bool smtp = protocol == TransferRequest::Protocol::smtp;
  if (code == CURLE_OK || (code == CURLE_WRITE_ERROR && response_cut_short && status != 0)) {
    result.outcome = TransferResult::Outcome::answered;
    result.detail = (smtp ? "SMTP " : "HTTP ") + std::to_string(status);
    return result;
  }
  result.detail = curl_error.empty() ? std::string(curl_easy_strerror(code)) : std::string(curl_error);
  if (code == CURLE_OPERATION_TIMEDOUT) {
    result.outcome = TransferResult::Outcome::timed_out;
  } else if (smtp && status >= 400) {
    // curl turns a relay's refusal (of the sender, a recipient, the message, the login) into a
    // transfer error; the reply code is what tells a full mailbox (4xx) from an unknown one (5xx).
    result.outcome = TransferResult::Outcome::answered;
  } else if (code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST || code == CURLE_SEND_ERROR ||
             code == CURLE_RECV_ERROR || code == CURLE_GOT_NOTHING) {
    result.outcome = TransferResult::Outcome::unreachable;
  } else {
    result.outcome = TransferResult::Outcome::failed;  // TLS problems among them, with curl's reason
  }
  return result;
}

std::chrono::microseconds since(Clock::time_point start, Clock::time_point now) {
  return std::chrono::duration_cast<std::chrono::microseconds>(now - start);
}

}  // namespace

// The curl side of the engine: the multi handle, the transfers it runs and the ones waiting for
// their host's turn. Only the engine's thread touches it, except wake().
class TransferEngine::Transfers {
 public:
  struct Completion {
    std::function<void(TransferResult)> done;
    TransferResult result;
  };

  explicit Transfers(const Options& options);
  ~Transfers();
  Transfers(const Transfers&) = delete;
  Transfers& operator=(const Transfers&) = delete;

  // Any thread: makes wait() return.
  void wake() { curl_multi_wakeup(multi_); }
  void start(Submission submission, std::vector<Completion>& finished);
  // Lets curl move every transfer on as far as it can without blocking.
  void work(std::vector<Completion>& finished);
  // Until a socket is ready, a timer is due, or wake().
  void wait();
  // Everything running or waiting ends as "stopped".
  void abandon(std::vector<Completion>& finished);

 private:
  struct Transfer;
  // One host's transfers: how many curl is running and the ones waiting for their turn.
  struct Lane {
    std::size_t running = 0;
    std::deque<Submission> waiting;
  };
  using Lanes = std::unordered_map<std::string, Lane>;

  void launch(Submission submission, Lanes::value_type& lane, std::vector<Completion>& finished);
  void launch_waiting(Lanes::value_type& lane, std::vector<Completion>& finished);
  void finish_completed(std::vector<Completion>& finished);
  void expire_waiting(std::vector<Completion>& finished);
  void forget_if_idle(const Lanes::value_type& lane);
  std::unique_ptr<Transfer> take_spare();
  void recycle(std::unique_ptr<Transfer> transfer);

  Options options_;
  CURLM* multi_ = nullptr;
  CURLSH* share_ = nullptr;
  std::vector<std::unique_ptr<Transfer>> active_;
  std::vector<std::unique_ptr<Transfer>> spares_;
  Lanes lanes_;  // node-based: a lane stays where it is while others come and go
  std::size_t waiting_ = 0;
};

// Everything one transfer needs while curl works on it. Kept with its easy handle and reused: a
// handle's buffers are worth keeping between transfers.
struct TransferEngine::Transfers::Transfer {
  CURL* easy = nullptr;
  std::size_t slot = 0;  // its index in active_, so finishing it costs no search
  Lanes::value_type* lane = nullptr;
  TransferRequest request;
  std::function<void(TransferResult)> done;
  Clock::time_point submitted;
  curl_slist* headers = nullptr;
  curl_slist* recipients = nullptr;
  std::size_t uploaded = 0;
  std::size_t response_bytes = 0;
  bool response_cut_short = false;
  std::optional<std::chrono::seconds> retry_after;
  std::array<char, CURL_ERROR_SIZE> error_text{};

  Transfer() : easy(curl_easy_init()) {}
  ~Transfer() {
    forget_request();
    if (easy != nullptr) curl_easy_cleanup(easy);
  }
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  void forget_request() {
    curl_slist_free_all(headers);
    curl_slist_free_all(recipients);
    headers = nullptr;
    recipients = nullptr;
    request = {};
    done = nullptr;
    lane = nullptr;
  }

  // Sets every option for `request` on a freshly reset handle.
  void configure(CURLSH* share, std::chrono::milliseconds time_left) {
    uploaded = 0;
    response_bytes = 0;
    response_cut_short = false;
    retry_after.reset();
    error_text[0] = '\0';

    curl_easy_setopt(easy, CURLOPT_PRIVATE, this);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error_text.data());
    curl_easy_setopt(easy, CURLOPT_SHARE, share);
    curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
    // Timeouts must not raise signals in a process full of other threads.
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    // Receivers are reached directly; an http_proxy in the environment is not ours to honour.
    curl_easy_setopt(easy, CURLOPT_PROXY, "");
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(time_left.count()));
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(std::clamp(request.connect_timeout, std::chrono::milliseconds(1), time_left).count()));
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, request.verify_peer ? 1L : 0L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, request.verify_peer ? 2L : 0L);
    if (!request.ca_file.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, request.ca_file.c_str());
    if (!request.username.empty()) curl_easy_setopt(easy, CURLOPT_USERNAME, request.username.c_str());
    if (!request.password.empty()) curl_easy_setopt(easy, CURLOPT_PASSWORD, request.password.c_str());
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &Transfer::count_response);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, this);
    if (request.protocol == TransferRequest::Protocol::http) {
      configure_http();
    } else {
      configure_smtp();
    }
  }

  void configure_http() {
    if (request.method == "GET") {
      curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    } else {
      curl_easy_setopt(easy, CURLOPT_POST, 1L);
      curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
      curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());  // no copy: the request lives as long
    }
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    // A redirect is reported as the answer it is; following it would carry the signed payload
    // somewhere nobody configured.
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &Transfer::read_header);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, this);
    for (const auto& header : request.headers) headers = curl_slist_append(headers, header.c_str());
    // Otherwise curl may wait for a "100 Continue" that many receivers never send.
    if (!has_header(request.headers, "Expect")) headers = curl_slist_append(headers, "Expect:");
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  }

  void configure_smtp() {
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(easy, CURLOPT_MAIL_FROM, request.mail_from.c_str());
    for (const auto& recipient : request.recipients) recipients = curl_slist_append(recipients, recipient.c_str());
    curl_easy_setopt(easy, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(easy, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(easy, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(easy, CURLOPT_READFUNCTION, &Transfer::send_message);
    curl_easy_setopt(easy, CURLOPT_READDATA, this);
    if (request.require_starttls) curl_easy_setopt(easy, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  }

  static std::size_t count_response(char*, std::size_t size, std::size_t count, void* user) {
    auto& self = *static_cast<Transfer*>(user);
    const std::size_t bytes = size * count;
    self.response_bytes += bytes;
    if (self.response_bytes > kResponseBytesRead) {
      self.response_cut_short = true;
      return 0;  // curl stops with CURLE_WRITE_ERROR; the status is known by now
    }
    return bytes;
  }

  static std::size_t read_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto& self = *static_cast<Transfer*>(user);
    const std::size_t bytes = size * count;
    const std::string_view line(data, bytes);
    constexpr std::string_view kRetryAfter = "retry-after:";
    if (line.starts_with("HTTP/")) {
      self.retry_after.reset();  // a final response after a 1xx brings its own headers
    } else if (starts_with_ignoring_case(line, kRetryAfter)) {
      const auto value = trimmed(line.substr(kRetryAfter.size()));
      std::int64_t seconds = 0;
      const auto [end, parsed] = std::from_chars(value.data(), value.data() + value.size(), seconds);
      // Only the delay-seconds form; for an HTTP date the caller's own back-off is good enough.
      if (parsed == std::errc() && end == value.data() + value.size() && seconds >= 0) {
        self.retry_after = std::chrono::seconds(seconds);
      }
    }
    return bytes;
  }

  static std::size_t send_message(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto& self = *static_cast<Transfer*>(user);
    const std::size_t bytes = std::min(size * count, self.request.body.size() - self.uploaded);
    std::memcpy(buffer, self.request.body.data() + self.uploaded, bytes);
    self.uploaded += bytes;
    return bytes;
  }
};

TransferEngine::Transfers::Transfers(const Options& options) : options_(options) {
  init_curl_once();
  multi_ = curl_multi_init();
  share_ = curl_share_init();
  if (multi_ == nullptr || share_ == nullptr) {
    if (multi_ != nullptr) curl_multi_cleanup(multi_);
    if (share_ != nullptr) curl_share_cleanup(share_);
    throw std::runtime_error("curl could not set up a multi handle");
  }
  // A new connection to a receiver seen before resumes its TLS session instead of a full
  // handshake. Only the engine's thread uses the share, so it needs no lock callbacks.
  curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  // The lanes already keep to the per-host limit; curl's own is the backstop. Its queue would not
  // do instead: it lets a transfer that lost the race for a connection wait again at the back.
  curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS, static_cast<long>(options_.max_connections_per_host));
  curl_multi_setopt(multi_, CURLMOPT_MAX_TOTAL_CONNECTIONS, static_cast<long>(options_.max_total_connections));
  // Keep as many idle connections as may be open at once, for the next burst.
  curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, static_cast<long>(options_.max_total_connections));
}

TransferEngine::Transfers::~Transfers() {
  for (auto& transfer : active_) curl_multi_remove_handle(multi_, transfer->easy);
  active_.clear();
  spares_.clear();  // easy handles go before the share they use
  curl_multi_cleanup(multi_);
  curl_share_cleanup(share_);
}

void TransferEngine::Transfers::start(Submission submission, std::vector<Completion>& finished) {
  if (auto refusal = refusal_of(submission.request); !refusal.empty()) {
    finished.push_back({std::move(submission.done), failed_result(std::move(refusal))});
    return;
  }
  auto& lane = *lanes_.try_emplace(host_of(submission.request.url)).first;
  if (lane.second.running < options_.max_connections_per_host && lane.second.waiting.empty()) {
    launch(std::move(submission), lane, finished);
    forget_if_idle(lane);
  } else {
    lane.second.waiting.push_back(std::move(submission));
    ++waiting_;
  }
}

void TransferEngine::Transfers::launch(Submission submission, Lanes::value_type& lane, std::vector<Completion>& finished) {
  const auto now = Clock::now();
  const auto deadline = submission.submitted + submission.request.timeout;
  if (deadline <= now) {
    TransferResult late;
    late.outcome = TransferResult::Outcome::timed_out;
    late.detail = "no free connection to the host within the timeout; nothing was sent";
    late.elapsed = since(submission.submitted, now);
    finished.push_back({std::move(submission.done), std::move(late)});
    return;
  }
  auto transfer = take_spare();
  if (transfer->easy == nullptr) {
    finished.push_back({std::move(submission.done), failed_result("curl could not set up a transfer")});
    return;
  }
  transfer->request = std::move(submission.request);
  transfer->done = std::move(submission.done);
  transfer->submitted = submission.submitted;
  transfer->configure(share_, std::chrono::ceil<std::chrono::milliseconds>(deadline - now));
  if (const auto code = curl_multi_add_handle(multi_, transfer->easy); code != CURLM_OK) {
    finished.push_back({std::move(transfer->done), failed_result(curl_multi_strerror(code))});
    recycle(std::move(transfer));
    return;
  }
  transfer->lane = &lane;
  ++lane.second.running;
  transfer->slot = active_.size();
  active_.push_back(std::move(transfer));
}

void TransferEngine::Transfers::launch_waiting(Lanes::value_type& lane, std::vector<Completion>& finished) {
  auto& waiting = lane.second.waiting;
  while (lane.second.running < options_.max_connections_per_host && !waiting.empty()) {
    Submission next = std::move(waiting.front());
    waiting.pop_front();
    --waiting_;
    launch(std::move(next), lane, finished);
  }
}

void TransferEngine::Transfers::forget_if_idle(const Lanes::value_type& lane) {
  if (lane.second.running == 0 && lane.second.waiting.empty()) lanes_.erase(lanes_.find(lane.first));
}

void TransferEngine::Transfers::work(std::vector<Completion>& finished) {
  int running = 0;
  curl_multi_perform(multi_, &running);
  finish_completed(finished);
  expire_waiting(finished);
}

void TransferEngine::Transfers::wait() {
  auto longest = kLongestPoll;
  if (waiting_ > 0) {
    // Wake in time to end the first waiting transfer whose deadline passes.
    const auto now = Clock::now();
    for (const auto& [host, lane] : lanes_) {
      if (lane.waiting.empty()) continue;
      const auto& first = lane.waiting.front();
      longest = std::min(longest, std::chrono::ceil<std::chrono::milliseconds>(first.submitted + first.request.timeout - now));
    }
  }
  curl_multi_poll(multi_, nullptr, 0, static_cast<int>(std::max<std::chrono::milliseconds::rep>(0, longest.count())), nullptr);
}

void TransferEngine::Transfers::finish_completed(std::vector<Completion>& finished) {
  int still_queued = 0;
  while (CURLMsg* message = curl_multi_info_read(multi_, &still_queued)) {
    if (message->msg != CURLMSG_DONE) continue;
    CURL* easy = message->easy_handle;
    const CURLcode code = message->data.result;  // the message is gone once the handle is removed
    Transfer* done_with = nullptr;
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, &done_with);
    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    curl_multi_remove_handle(multi_, easy);

    const std::size_t slot = done_with->slot;
    auto transfer = std::move(active_[slot]);
    if (slot + 1 != active_.size()) {
      active_[slot] = std::move(active_.back());
      active_[slot]->slot = slot;
    }
    active_.pop_back();

    TransferResult result =
        result_of(code, transfer->request.protocol, status, transfer->response_cut_short, transfer->error_text.data());
    result.retry_after = transfer->retry_after;
    result.elapsed = since(transfer->submitted, Clock::now());
    finished.push_back({std::move(transfer->done), std::move(result)});
    auto& lane = *transfer->lane;
    recycle(std::move(transfer));
    --lane.second.running;
    launch_waiting(lane, finished);
    forget_if_idle(lane);
  }
}

void TransferEngine::Transfers::expire_waiting(std::vector<Completion>& finished) {
  if (waiting_ == 0) return;
  const auto now = Clock::now();
  for (auto& [host, lane] : lanes_) {
    // Submission order mostly is deadline order; a later deadline in front only delays the check
    // of those behind it until their turn comes.
    while (!lane.waiting.empty() && lane.waiting.front().submitted + lane.waiting.front().request.timeout <= now) {
      TransferResult late;
      late.outcome = TransferResult::Outcome::timed_out;
      late.detail = "no free connection to the host within the timeout; nothing was sent";
      late.elapsed = since(lane.waiting.front().submitted, now);
      finished.push_back({std::move(lane.waiting.front().done), std::move(late)});
      lane.waiting.pop_front();
      --waiting_;
    }
  }
}

void TransferEngine::Transfers::abandon(std::vector<Completion>& finished) {
  for (auto& transfer : active_) {
    curl_multi_remove_handle(multi_, transfer->easy);
    finished.push_back({std::move(transfer->done), failed_result("stopped")});
    recycle(std::move(transfer));
  }
  active_.clear();
  for (auto& [host, lane] : lanes_) {
    for (auto& submission : lane.waiting) finished.push_back({std::move(submission.done), failed_result("stopped")});
  }
  lanes_.clear();
  waiting_ = 0;
}

std::unique_ptr<TransferEngine::Transfers::Transfer> TransferEngine::Transfers::take_spare() {
  if (spares_.empty()) return std::make_unique<Transfer>();
  auto transfer = std::move(spares_.back());
  spares_.pop_back();
  curl_easy_reset(transfer->easy);  // forgets the last request's options, keeps buffers and caches
  return transfer;
}

void TransferEngine::Transfers::recycle(std::unique_ptr<Transfer> transfer) {
  transfer->forget_request();
  // More spares than may run at once would never be used again.
  if (spares_.size() < options_.max_total_connections) spares_.push_back(std::move(transfer));
}

TransferEngine::TransferEngine(Options options) : transfers_(std::make_unique<Transfers>(options)) {
  thread_ = std::thread([this] { run(); });
}

TransferEngine::~TransferEngine() { stop(); }

void TransferEngine::stop() {
  std::call_once(stopped_, [this] {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
      transfers_->wake();
    }
    thread_.join();
  });
}

void TransferEngine::submit(TransferRequest request, std::function<void(TransferResult)> done) {
  {
    std::lock_guard lock(mutex_);
    if (accepting_) {
      ++in_flight_;
      const bool loop_may_be_asleep = arrivals_.empty();
      arrivals_.push_back({std::move(request), std::move(done), Clock::now()});
      // One wake-up per batch is enough: the loop takes all arrivals at once.
      if (loop_may_be_asleep) transfers_->wake();
      return;
    }
  }
  done(failed_result("stopped"));
}

std::size_t TransferEngine::in_flight() const {
  std::lock_guard lock(mutex_);
  return in_flight_;
}

bool TransferEngine::wait_idle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return idle_.wait_for(lock, timeout, [this] { return in_flight_ == 0; });
}

void TransferEngine::run() {
  std::vector<Submission> arrived;
  std::vector<Transfers::Completion> finished;
  const auto deliver = [&] {
    for (auto& completion : finished) complete(completion.done, std::move(completion.result));
    finished.clear();
  };
  while (true) {
    bool stopping = false;
    {
      std::lock_guard lock(mutex_);
      arrived.swap(arrivals_);
      stopping = stopping_;
      if (stopping) accepting_ = false;
    }
    if (stopping) {
      for (auto& submission : arrived) finished.push_back({std::move(submission.done), failed_result("stopped")});
      transfers_->abandon(finished);
      deliver();
      return;
    }
    for (auto& submission : arrived) transfers_->start(std::move(submission), finished);
    arrived.clear();
    transfers_->work(finished);
    deliver();
    transfers_->wait();
  }
}

void TransferEngine::complete(std::function<void(TransferResult)>& done, TransferResult result) {
  try {
    done(std::move(result));
  } catch (const std::exception& error) {
    // Every other transfer depends on this loop going on.
    log::error("transfer completion handler threw", {{"error", error.what()}});
  } catch (...) {
    log::error("transfer completion handler threw");
  }
  std::lock_guard lock(mutex_);
  if (--in_flight_ == 0) idle_.notify_all();
}

}  // namespace pact::notification
