#include "console_http.h"

#include <httplib.h>

#include <google/protobuf/util/json_util.h>
#include <nlohmann/json.hpp>

#include "log/logger.h"

namespace pact::situation {
namespace {

constexpr std::string_view kGetSituation = "pact.situation.v1.SituationService/GetSituation";
constexpr std::string_view kWatchSituation = "pact.situation.v1.SituationService/WatchSituation";
constexpr std::string_view kListAlerts = "pact.situation.v1.SituationService/ListAlerts";

void error(httplib::Response& response, int status, const std::string& message) {
  response.status = status;
  response.set_content(nlohmann::json{{"error", message}}.dump(), "application/json");
}

bool flag(const httplib::Request& request, const std::string& name) {
  const std::string value = request.get_param_value(name.c_str());
  return value == "true" || value == "1";
}

// What the caller of an /api request may see, or nullopt with the refusal written into `response`.
std::optional<ViewScope> admitted(const ConsoleAuthenticator& auth, const httplib::Request& request,
                                  httplib::Response& response, std::string_view method) {
  auto result = auth.authenticate(request.get_header_value("Authorization"),
                                  cookie_value(request.get_header_value("Cookie"), ConsoleAuthenticator::kCookie), method);
  if (const auto* refusal = std::get_if<ConsoleRefusal>(&result)) {
    error(response, refusal->http_status, refusal->message);
    return std::nullopt;
  }
  return scope_of(std::get<rpc::Caller>(result));
}

std::string json_of(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(message, &json, options).ok()) {
    throw std::runtime_error("response does not render as JSON");
  }
  return json;
}

std::pair<std::string, int> host_and_port(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error("situation.console.listen: expected HOST:PORT, got " + listen);
  return {listen.substr(0, colon), std::stoi(listen.substr(colon + 1))};
}

}  // namespace

ConsoleHttp::ConsoleHttp(LiveSituation& live, const ConsoleAuthenticator& auth, Options options)
    : live_(live), auth_(auth), options_(std::move(options)) {
  if (!options_.certificate_file.empty()) {
    server_ = std::make_unique<httplib::SSLServer>(options_.certificate_file.c_str(), options_.private_key_file.c_str());
    if (!server_->is_valid()) throw std::runtime_error("situation console: cannot load its TLS certificate or key");
  } else {
    server_ = std::make_unique<httplib::Server>();
  }
  // Every live stream holds one worker for its whole life; the rest serve pages and API calls.
  const std::size_t workers = options_.max_streams + 8;
  server_->new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
  routes();
}

ConsoleHttp::~ConsoleHttp() { stop(); }

void ConsoleHttp::routes() {
  httplib::Server& server = *server_;
  server.set_payload_max_length(64 * 1024);  // a sign-in is a token, nothing is uploaded
  server.set_exception_handler([](const httplib::Request& request, httplib::Response& response, std::exception_ptr) {
    // Never the exception's text: it would reach the browser.
    log::error("situation console request failed", {{"path", request.path}});
    error(response, 500, "the situation service failed to answer; try again");
  });
  server.set_post_routing_handler([](const httplib::Request& request, httplib::Response& response) {
    response.set_header("X-Content-Type-Options", "nosniff");
    response.set_header("Referrer-Policy", "no-referrer");
    response.set_header("X-Frame-Options", "DENY");
    response.set_header("Content-Security-Policy",
                        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
                        "frame-ancestors 'none'");
    if (request.path.rfind("/api/", 0) == 0) {
      response.set_header("Cache-Control", "no-store");
    } else if (request.path.rfind("/assets/", 0) == 0) {
      response.set_header("Cache-Control", "public, max-age=31536000, immutable");  // hashed names
    } else {
      response.set_header("Cache-Control", "no-cache");  // index.html names the current assets
    }
  });

  server.Get("/api/situation", [this](const httplib::Request& request, httplib::Response& response) {
    const auto scope = admitted(auth_, request, response, kGetSituation);
    if (!scope) return;
    response.set_content(live_.picture(flag(request, "exercise"), *scope)->json, "application/json");
  });

  server.Get("/api/situation/stream", [this](const httplib::Request& request, httplib::Response& response) {
    const auto scope = admitted(auth_, request, response, kWatchSituation);
    if (!scope) return;
    if (open_streams_.fetch_add(1) >= options_.max_streams) {
      --open_streams_;
      response.set_header("Retry-After", "5");
      error(response, 503, "too many live pages open on this server; retrying");
      return;
    }
    struct Stream {
      bool exercise = false;
      ViewScope scope;
      // The credentials, checked again before every push: an expired token ends the stream.
      std::string authorization;
      std::string cookie_token;
      std::uint64_t sent_revision = 0;
      bool sent_any = false;
      std::chrono::steady_clock::time_point last_push{};
    };
    auto stream = std::make_shared<Stream>();
    stream->exercise = flag(request, "exercise");
    stream->scope = *scope;
    stream->authorization = request.get_header_value("Authorization");
    stream->cookie_token = cookie_value(request.get_header_value("Cookie"), ConsoleAuthenticator::kCookie);
    response.set_header("X-Accel-Buffering", "no");  // proxies must not hold the events back
    response.set_chunked_content_provider(
        "text/event-stream",
        [this, stream](std::size_t, httplib::DataSink& sink) {
          if (stream->sent_any) {
            // At most one picture per push_interval while a surge changes it many times a second.
            const auto next = stream->last_push + options_.push_interval;
            while (!stopping_ && std::chrono::steady_clock::now() < next) {
              std::this_thread::sleep_for(std::min<std::chrono::nanoseconds>(
                  next - std::chrono::steady_clock::now(), std::chrono::milliseconds(100)));
            }
            live_.wait_for_change(stream->sent_revision, options_.idle_push_interval);
          }
          if (stopping_ || live_.closed() ||
              std::holds_alternative<ConsoleRefusal>(
                  auth_.authenticate(stream->authorization, stream->cookie_token, kWatchSituation))) {
            sink.done();  // the page reconnects, and a refused one shows the sign-in form
            return true;
          }
          try {
            const auto picture = live_.picture(stream->exercise, stream->scope);
            const std::string event = "event: situation\ndata: " + picture->json + "\n\n";
            stream->sent_revision = picture->situation.revision();
            stream->sent_any = true;
            stream->last_push = std::chrono::steady_clock::now();
            return sink.write(event.data(), event.size());
          } catch (const std::exception& e) {
            log::error("situation console stream failed", {{"error", e.what()}});
            return false;
          }
        },
        [this](bool) { --open_streams_; });
  });

  server.Get("/api/alerts", [this](const httplib::Request& request, httplib::Response& response) {
    const auto scope = admitted(auth_, request, response, kListAlerts);
    if (!scope) return;
    const bool exercise = flag(request, "exercise");
    const bool include_cleared = flag(request, "include_cleared");
    auto alerts = live_.read_state([&](const v1::SituationState& state) {
      return list_alerts(state, exercise, include_cleared, *scope);
    });
    for (auto& alert : *alerts.mutable_alerts()) alert.clear_cap_xml();
    response.set_content(json_of(alerts), "application/json");
  });

  server.Get(R"(/api/alerts/([A-Za-z0-9._-]+)\.xml)", [this](const httplib::Request& request, httplib::Response& response) {
    const auto scope = admitted(auth_, request, response, kListAlerts);
    if (!scope) return;
    const std::string identifier = request.matches[1];
    auto xml = live_.read_state([&](const v1::SituationState& state) -> std::optional<std::string> {
      for (const auto& [key, record] : state.alerts()) {
        if (record.alert().identifier() != identifier) continue;
        if (!scope->covers_any(record.alert().jurisdictions())) return std::nullopt;
        return record.alert().cap_xml();
      }
      return std::nullopt;
    });
    if (!xml) return error(response, 404, "no such alert here (a superseded message is on the alert topic)");
    response.set_content(*xml, "application/cap+xml");
  });

  server.Post("/api/session", [this](const httplib::Request& request, httplib::Response& response) {
    // JSON only: a cross-site form cannot send it without the browser asking first (CSRF).
    if (request.get_header_value("Content-Type").rfind("application/json", 0) != 0) {
      return error(response, 415, "send {\"token\": \"...\"} as application/json");
    }
    const auto body = nlohmann::json::parse(request.body, nullptr, false);
    if (!body.is_object() || !body.contains("token") || !body["token"].is_string()) {
      return error(response, 400, "send {\"token\": \"...\"}");
    }
    const std::string token = body["token"];
    if (auto refusal = auth_.check_sign_in(token)) return error(response, refusal->http_status, refusal->message);
    std::string cookie = std::string(ConsoleAuthenticator::kCookie) + "=" + token +
                         "; Path=/; HttpOnly; SameSite=Strict";
    if (options_.secure_cookie) cookie += "; Secure";
    response.set_header("Set-Cookie", cookie);
    response.status = 204;
  });

  server.Delete("/api/session", [this](const httplib::Request&, httplib::Response& response) {
    std::string cookie = std::string(ConsoleAuthenticator::kCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
    if (options_.secure_cookie) cookie += "; Secure";
    response.set_header("Set-Cookie", cookie);
    response.status = 204;
  });

  if (!options_.static_dir.empty() && !server.set_mount_point("/", options_.static_dir)) {
    throw std::runtime_error("situation console: no such directory " + options_.static_dir);
  }
}

void ConsoleHttp::start() {
  const auto [host, port] = host_and_port(options_.listen);
  if (port == 0) {
    port_ = server_->bind_to_any_port(host.c_str());
    if (port_ <= 0) throw std::runtime_error("situation console cannot listen on " + options_.listen);
  } else {
    if (!server_->bind_to_port(host.c_str(), port)) {
      throw std::runtime_error("situation console cannot listen on " + options_.listen);
    }
    port_ = port;
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // stop() is a no-op until the server runs: wait for it, so a stop right after a start (a failed
  // start of the process) cannot leave the thread listening and the join waiting forever.
  for (int i = 0; i < 500 && !server_->is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  log::info("situation console listening", {{"address", host + ":" + std::to_string(port_)},
                                            {"tls", !options_.certificate_file.empty()}});
}

void ConsoleHttp::stop() {
  if (stopping_.exchange(true)) return;
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace pact::situation
