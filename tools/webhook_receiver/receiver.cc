#include "receiver.h"

// Debian's libcpp-httplib is the split (compiled) build, made with these options; the header must
// be read with the same ones (Request has an SSL member under CPPHTTPLIB_OPENSSL_SUPPORT), which
// the cpp-httplib pkg-config module's cflags provide.
#ifndef CPPHTTPLIB_OPENSSL_SUPPORT
#error "compile with `pkg-config --cflags cpp-httplib` (Debian's libcpp-httplib is built with OpenSSL support)"
#endif
#include <httplib.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <cstdlib>
#include <functional>
#include <limits>
#include <thread>
#include <tuple>
#include <utility>

namespace pact::tools::webhook_receiver {
namespace {

constexpr std::size_t kMacSize = 32;  // SHA-256
using Mac = std::array<unsigned char, kMacSize>;

constexpr std::size_t kExpectedKeys = 1u << 17;  // the benchmark sends 100k deliveries
constexpr int kMaxStatus = 599;
constexpr int kMaxDelayMs = 600'000;

bool compute_mac(std::string_view secret, std::string_view timestamp, std::string_view body, Mac& out) {
  std::string message;
  message.reserve(timestamp.size() + 1 + body.size());
  message.append(timestamp).append(1, '.').append(body);
  unsigned int length = 0;
  const unsigned char* result =
      HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), out.data(), &length);
  return result != nullptr && length == kMacSize;
}

int lower_hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // upper case is not the contract's encoding
}

bool decode_lower_hex(std::string_view hex, Mac& out) {
  if (hex.size() != 2 * kMacSize) return false;
  for (std::size_t i = 0; i < kMacSize; ++i) {
    const int high = lower_hex_value(hex[2 * i]);
    const int low = lower_hex_value(hex[2 * i + 1]);
    if (high < 0 || low < 0) return false;
    out[i] = static_cast<unsigned char>(high * 16 + low);
  }
  return true;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::optional<std::int64_t> parse_int(std::string_view text) {
  text = trim(text);
  if (text.empty()) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::uint32_t parse_attempt(std::string_view text) {
  const auto value = parse_int(text);
  if (!value || *value < 0 || *value > std::numeric_limits<std::uint32_t>::max()) return 0;
  return static_cast<std::uint32_t>(*value);
}

// A display field of the body: a string as is, {"value": "…"} (a wrapped proto message) as its
// value, anything else present as its JSON text.
std::string field_text(const nlohmann::json& body, const char* name) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_object()) {
    const auto value = it->find("value");
    if (value != it->end() && value->is_string()) return value->get<std::string>();
  }
  return it->dump();
}

// body.facts.occurred_at_ms as a number or a decimal string (protobuf JSON and string fact maps
// write int64 as strings).
std::optional<std::int64_t> occurred_at_ms(const nlohmann::json& body) {
  const auto facts = body.find("facts");
  if (facts == body.end() || !facts->is_object()) return std::nullopt;
  const auto it = facts->find("occurred_at_ms");
  if (it == facts->end()) return std::nullopt;
  if (it->is_number_integer()) return it->get<std::int64_t>();
  if (it->is_number_float()) return static_cast<std::int64_t>(it->get<double>());
  if (it->is_string()) return parse_int(it->get_ref<const std::string&>());
  return std::nullopt;
}

std::string error_body(const char* error) {
  return std::string(R"({"ok":false,"error":")") + error + "\"}";
}

nlohmann::json percentiles(std::vector<std::int64_t> values) {
  nlohmann::json out = {{"count", values.size()}};
  if (values.empty()) {
    out["p50"] = nullptr;
    out["p90"] = nullptr;
    out["p99"] = nullptr;
    out["max"] = nullptr;
    return out;
  }
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  // Nearest rank: the smallest value with at least p% of the values at or below it.
  const auto rank = [&](std::size_t p) {
    const std::size_t r = (p * n + 99) / 100;
    return values[std::max<std::size_t>(r, 1) - 1];
  };
  out["p50"] = rank(50);
  out["p90"] = rank(90);
  out["p99"] = rank(99);
  out["max"] = values.back();
  return out;
}

}  // namespace

std::string sign(std::string_view secret, std::string_view timestamp, std::string_view body) {
  Mac mac{};
  if (!compute_mac(secret, timestamp, body, mac)) return {};
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "v1=";
  out.reserve(3 + 2 * kMacSize);
  for (const unsigned char byte : mac) {
    out.push_back(kDigits[byte >> 4]);
    out.push_back(kDigits[byte & 0x0f]);
  }
  return out;
}

bool signature_matches(const std::vector<std::string>& secrets, std::string_view timestamp,
                       std::string_view body, std::string_view signature_header) {
  if (secrets.empty() || timestamp.empty() || signature_header.empty()) return false;
  std::vector<Mac> expected(secrets.size());
  for (std::size_t i = 0; i < secrets.size(); ++i) {
    if (!compute_mac(secrets[i], timestamp, body, expected[i])) return false;
  }
  bool matched = false;
  std::string_view rest = signature_header;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    const std::string_view entry = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (entry.substr(0, 3) != "v1=") continue;
    Mac given{};
    if (!decode_lower_hex(entry.substr(3), given)) continue;
    for (const Mac& mac : expected) {
      // Every candidate is compared, matched or not, so timing does not depend on which matched.
      matched |= CRYPTO_memcmp(mac.data(), given.data(), kMacSize) == 0;
    }
  }
  return matched;
}

std::optional<std::vector<ScriptStep>> parse_script(std::string_view json_text, std::string& error) {
  const nlohmann::json doc = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    error = "body must be a JSON object";
    return std::nullopt;
  }
  const auto steps = doc.find("steps");
  if (steps == doc.end() || !steps->is_array()) {
    error = "\"steps\" must be an array";
    return std::nullopt;
  }
  std::vector<ScriptStep> out;
  for (const auto& item : *steps) {
    if (!item.is_object()) {
      error = "each step must be an object";
      return std::nullopt;
    }
    ScriptStep step;
    for (const auto& [name, value] : item.items()) {
      if (name != "status" && name != "delay_ms" && name != "count") {
        error = "unknown step field \"" + name + "\"";
        return std::nullopt;
      }
      if (!value.is_number_integer()) {
        error = "step field \"" + name + "\" must be an integer";
        return std::nullopt;
      }
    }
    if (const auto it = item.find("status"); it != item.end()) {
      const auto status = it->get<std::int64_t>();
      if (status < 100 || status > kMaxStatus) {
        error = "status must be 100..599";
        return std::nullopt;
      }
      step.status = static_cast<int>(status);
    }
    if (const auto it = item.find("delay_ms"); it != item.end()) {
      const auto delay = it->get<std::int64_t>();
      if (delay < 0 || delay > kMaxDelayMs) {
        error = "delay_ms must be 0..600000";
        return std::nullopt;
      }
      step.delay_ms = static_cast<int>(delay);
    }
    if (const auto it = item.find("count"); it != item.end()) {
      const auto count = it->get<std::int64_t>();
      if (count < 1) {
        error = "count must be at least 1 (omit it for a step that applies forever)";
        return std::nullopt;
      }
      step.count = static_cast<std::uint64_t>(count);
    }
    out.push_back(step);
  }
  return out;
}

ReceiverState::ReceiverState(std::vector<std::string> secrets, std::chrono::seconds tolerance)
    : secrets_(std::move(secrets)), tolerance_seconds_(tolerance.count()), by_status_(kMaxStatus + 1, 0) {
  records_.reserve(kExpectedKeys);
  accepted_latencies_ms_.reserve(kExpectedKeys);
}

std::int64_t ReceiverState::now_unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Answer ReceiverState::on_delivery(const DeliveryRequest& request, std::int64_t now_ms) {
  enum class Verdict { ok, bad_signature, stale, bad_request };
  // Everything expensive (HMAC, JSON) happens before the lock.
  Verdict verdict = Verdict::ok;
  const char* problem = "";
  const auto timestamp = parse_int(request.timestamp);
  if (!timestamp || !signature_matches(secrets_, request.timestamp, request.body, request.signature)) {
    verdict = Verdict::bad_signature;
  } else if (const std::int64_t skew = now_ms / 1000 - *timestamp;
             skew > tolerance_seconds_ || skew < -tolerance_seconds_) {
    verdict = Verdict::stale;
  } else if (request.idempotency_key.empty()) {
    verdict = Verdict::bad_request;
    problem = "missing Idempotency-Key";
  } else if (request.delivery_id != request.idempotency_key) {
    verdict = Verdict::bad_request;
    problem = "X-Pact-Delivery-Id differs from Idempotency-Key";
  }
  nlohmann::json body;
  if (verdict == Verdict::ok) {
    body = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded() || !body.is_object()) {
      verdict = Verdict::bad_request;
      problem = "body is not a JSON object";
    }
  }

  std::unique_lock<std::mutex> lock(mutex_);
  ++requests_;
  switch (verdict) {
    case Verdict::bad_signature:
      ++bad_signature_;
      ++by_status_[401];
      return {401, 0, error_body("bad_signature")};
    case Verdict::stale:
      ++stale_;
      ++by_status_[401];
      return {401, 0, error_body("stale_timestamp")};
    case Verdict::bad_request:
      ++bad_request_;
      ++by_status_[400];
      return {400, 0, error_body(problem)};
    case Verdict::ok:
      break;
  }
  ++verified_;

  Answer answer;
  if (!script_.empty()) {
    ScriptStep& step = script_.front();
    answer.status = step.status;
    answer.delay_ms = step.delay_ms;
    if (step.count && --*step.count == 0) script_.pop_front();
  }
  const bool success = answer.status >= 200 && answer.status < 300;
  answer.body = success ? R"({"ok":true})" : error_body("scripted");

  std::optional<ReceivedMessage> taken_in;  // set at the key's first 2xx answer, for the listener
  const std::size_t body_hash = std::hash<std::string_view>{}(request.body);
  auto [it, inserted] = records_.try_emplace(std::string(request.idempotency_key));
  Record& record = it->second;
  if (inserted) {
    record.first_ms = now_ms;
    record.type = field_text(body, "type");
    record.referral_id = field_text(body, "referral_id");
    record.reference_code = field_text(body, "reference_code");
    if (const auto ack = body.find("acknowledgement"); ack != body.end() && ack->is_object()) {
      record.ack_token = field_text(*ack, "token");
      record.ack_url = field_text(*ack, "url");
    }
    record.occurred_at_ms = occurred_at_ms(body);
    record.body_hash = body_hash;
  } else if (record.body_hash != body_hash) {
    record.body_changed = true;
  }
  if (record.accepted > 0) ++duplicates_;
  ++record.received;
  record.last_ms = now_ms;
  record.attempts.push_back(parse_attempt(request.attempt));
  if (success) {
    if (record.accepted == 0) {
      record.first_accepted_ms = now_ms;
      ++accepted_keys_;
      if (record.occurred_at_ms) accepted_latencies_ms_.push_back(now_ms - *record.occurred_at_ms);
      if (listener_ != nullptr) {
        taken_in = ReceivedMessage{record.type, record.referral_id, record.reference_code, record.ack_url};
      }
    }
    ++record.accepted;
  }
  ++by_status_[static_cast<std::size_t>(answer.status)];
  MessageListener* const listener = listener_;
  lock.unlock();  // the listener has locks of its own
  if (taken_in) listener->on_message(*taken_in);
  return answer;
}

void ReceiverState::set_script(std::vector<ScriptStep> steps) {
  std::lock_guard<std::mutex> lock(mutex_);
  script_.assign(steps.begin(), steps.end());
}

void ReceiverState::reset() {
  MessageListener* listener = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    records_.clear();  // keeps the buckets
    script_.clear();
    accepted_latencies_ms_.clear();
    requests_ = verified_ = bad_signature_ = stale_ = bad_request_ = duplicates_ = accepted_keys_ = 0;
    std::fill(by_status_.begin(), by_status_.end(), 0);
    listener = listener_;
  }
  if (listener != nullptr) listener->reset();
}

void ReceiverState::set_listener(MessageListener* listener) {
  std::lock_guard<std::mutex> lock(mutex_);
  listener_ = listener;
}

nlohmann::json ReceiverState::stats(bool summary) const {
  nlohmann::json out;
  std::vector<std::int64_t> latencies;
  std::vector<std::pair<std::string, Record>> records;
  MessageListener* listener = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    listener = listener_;
    out["requests"] = requests_;
    out["verified"] = verified_;
    out["bad_signature"] = bad_signature_;
    out["stale"] = stale_;
    out["bad_request"] = bad_request_;
    out["unique_keys"] = records_.size();
    out["accepted_keys"] = accepted_keys_;
    out["duplicates"] = duplicates_;
    nlohmann::json by_status = nlohmann::json::object();
    for (std::size_t status = 0; status < by_status_.size(); ++status) {
      if (by_status_[status] != 0) by_status[std::to_string(status)] = by_status_[status];
    }
    out["by_status"] = std::move(by_status);
    out["script_steps_left"] = script_.size();
    latencies = accepted_latencies_ms_;
    if (!summary) records.assign(records_.begin(), records_.end());
  }
  out["latency_percentiles_ms"] = percentiles(std::move(latencies));
  if (listener != nullptr) out.update(listener->stats(summary));
  if (summary) return out;

  std::sort(records.begin(), records.end(), [](const auto& a, const auto& b) {
    return std::tie(a.second.first_ms, a.first) < std::tie(b.second.first_ms, b.first);
  });
  nlohmann::json deliveries = nlohmann::json::array();
  for (const auto& [key, record] : records) {
    nlohmann::json item = {
        {"key", key},
        {"received", record.received},
        {"accepted", record.accepted},
        {"attempts", record.attempts},
        {"first_ms", record.first_ms},
        {"last_ms", record.last_ms},
        {"type", record.type},
        {"referral_id", record.referral_id},
        {"reference_code", record.reference_code},
        {"ack_token", record.ack_token},
        {"ack_url", record.ack_url},
        {"body_changed", record.body_changed},
    };
    item["first_accepted_ms"] =
        record.first_accepted_ms >= 0 ? nlohmann::json(record.first_accepted_ms) : nlohmann::json(nullptr);
    item["latency_ms"] = record.occurred_at_ms ? nlohmann::json(record.first_ms - *record.occurred_at_ms)
                                               : nlohmann::json(nullptr);
    deliveries.push_back(std::move(item));
  }
  out["deliveries"] = std::move(deliveries);
  return out;
}

void ReceiverState::sleep_for_answer(int delay_ms) const {
  std::unique_lock<std::mutex> lock(sleep_mutex_);
  sleep_cv_.wait_for(lock, std::chrono::milliseconds(delay_ms), [this] { return shutting_down_; });
}

void ReceiverState::shutdown() {
  {
    std::lock_guard<std::mutex> lock(sleep_mutex_);
    shutting_down_ = true;
  }
  sleep_cv_.notify_all();
}

struct ReceiverServer::Impl {
  explicit Impl(ServerOptions opts) : options(std::move(opts)), state(options.secrets, options.tolerance) {}

  ServerOptions options;
  ReceiverState state;
  httplib::Server server;
  std::atomic<bool> stop_requested{false};
  std::atomic<bool> run_active{false};
  std::atomic<bool> run_done{false};
  std::atomic<bool> stopped{false};
};

namespace {

const std::string kTimestampHeader = "X-Pact-Timestamp";
const std::string kSignatureHeader = "X-Pact-Signature";
const std::string kIdempotencyHeader = "Idempotency-Key";
const std::string kDeliveryIdHeader = "X-Pact-Delivery-Id";
const std::string kAttemptHeader = "X-Pact-Attempt";
constexpr std::string_view kControlPrefix = "/_receiver/";

std::string_view header(const httplib::Request& request, const std::string& name) {
  const auto it = request.headers.find(name);
  return it == request.headers.end() ? std::string_view() : std::string_view(it->second);
}

}  // namespace

ReceiverServer::ReceiverServer(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  httplib::Server& server = impl_->server;
  ReceiverState& state = impl_->state;
  const auto threads = static_cast<std::size_t>(std::max(1, impl_->options.threads));
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_tcp_nodelay(true);  // headers and body are separate writes; no Nagle stalls on keep-alive
  server.set_keep_alive_max_count(std::numeric_limits<std::size_t>::max());
  server.set_keep_alive_timeout(std::max(1, impl_->options.keep_alive_timeout_seconds));
  server.set_payload_max_length(16u << 20);

  // httplib 0.11 answers 400 to a POST without Content-Length before routing it, and `curl -X POST`
  // sends none; a bodyless reset is therefore taken here, before httplib reads the content.
  server.set_pre_routing_handler([&state](const httplib::Request& request, httplib::Response& response) {
    if (request.path != "/_receiver/reset" || request.method != "POST" || request.has_header("Content-Length") ||
        request.has_header("Transfer-Encoding")) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    state.reset();
    response.set_content(R"({"ok":true})", "application/json");
    return httplib::Server::HandlerResponse::Handled;
  });

  server.Post(".*", [&state](const httplib::Request& request, httplib::Response& response) {
    const std::string_view path = request.path;
    if (path.substr(0, kControlPrefix.size()) == kControlPrefix) {
      const std::string_view command = path.substr(kControlPrefix.size());
      if (command == "script") {
        std::string error;
        auto steps = parse_script(request.body, error);
        if (!steps) {
          response.status = 400;
          response.set_content(nlohmann::json{{"ok", false}, {"error", error}}.dump(), "application/json");
          return;
        }
        const std::size_t count = steps->size();
        state.set_script(std::move(*steps));
        response.set_content(nlohmann::json{{"ok", true}, {"steps", count}}.dump(), "application/json");
      } else if (command == "reset") {
        state.reset();
        response.set_content(R"({"ok":true})", "application/json");
      } else {
        response.status = 404;
        response.set_content(error_body("unknown control endpoint"), "application/json");
      }
      return;
    }
    DeliveryRequest delivery;
    delivery.timestamp = header(request, kTimestampHeader);
    delivery.signature = header(request, kSignatureHeader);
    delivery.idempotency_key = header(request, kIdempotencyHeader);
    delivery.delivery_id = header(request, kDeliveryIdHeader);
    delivery.attempt = header(request, kAttemptHeader);
    delivery.body = request.body;
    Answer answer = state.on_delivery(delivery, ReceiverState::now_unix_ms());
    if (answer.delay_ms > 0) state.sleep_for_answer(answer.delay_ms);
    response.status = answer.status;
    response.set_content(std::move(answer.body), "application/json");
  });

  server.Get(".*", [&state](const httplib::Request& request, httplib::Response& response) {
    if (request.path == "/_receiver/stats") {
      const bool summary = request.has_param("summary") && request.get_param_value("summary") != "0";
      response.set_content(state.stats(summary).dump(), "application/json");
    } else if (request.path == "/_receiver/healthz") {
      response.set_content("ok", "text/plain");
    } else {
      response.status = 404;
      response.set_content(error_body("not found"), "application/json");
    }
  });

  server.set_exception_handler([](const httplib::Request&, httplib::Response& response, std::exception_ptr) {
    response.status = 500;
    response.set_content(error_body("receiver exception"), "application/json");
  });
}

ReceiverServer::~ReceiverServer() = default;

int ReceiverServer::bind() {
  const ServerOptions& options = impl_->options;
  if (options.port == 0) return impl_->server.bind_to_any_port(options.host);
  return impl_->server.bind_to_port(options.host, options.port) ? options.port : -1;
}

bool ReceiverServer::run() {
  impl_->run_active = true;
  bool ok = true;
  if (!impl_->stop_requested) ok = impl_->server.listen_after_bind();
  impl_->run_done = true;
  return ok;
}

void ReceiverServer::stop() {
  if (impl_->stopped.exchange(true)) return;  // httplib's stop() must run once
  impl_->stop_requested = true;
  impl_->state.shutdown();
  // run() may be between its stop check and httplib marking itself running; stop() of a server not
  // yet running is a no-op, so wait for it to start (or for run() to finish).
  if (impl_->run_active) {
    for (int i = 0; i < 2000 && !impl_->run_done && !impl_->server.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  impl_->server.stop();
}

ReceiverState& ReceiverServer::state() { return impl_->state; }

}  // namespace pact::tools::webhook_receiver
