#include "ack_page.h"

#ifndef CPPHTTPLIB_OPENSSL_SUPPORT
#error "compile with `pkg-config --cflags cpp-httplib` (Debian's libcpp-httplib is built with OpenSSL support)"
#endif
#include <httplib.h>

#include <stdexcept>

#include <google/protobuf/util/time_util.h>

#include "log/logger.h"

namespace pact::notification {
namespace {

std::string escaped(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string page(const std::string& title, const std::string& body) {
  return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
         "<meta name=\"robots\" content=\"noindex\"><title>" + escaped(title) + " — PaCT</title>"
         "<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;line-height:1.5}"
         "button{font-size:1.1rem;padding:.6rem 1.2rem}dt{font-weight:600}.exercise{background:#fde68a;padding:.5rem}</style>"
         "</head><body><h1>" + escaped(title) + "</h1>" + body + "</body></html>";
}

void secure(httplib::Response& response) {
  response.set_header("Cache-Control", "no-store");
  response.set_header("X-Frame-Options", "DENY");
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_header("Referrer-Policy", "no-referrer");  // the token is in the address
  response.set_header("Content-Security-Policy",
                      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'");
}

std::string kind_words(v1::MessageKind kind) {
  switch (kind) {
    case v1::MESSAGE_KIND_REFERRAL_REQUEST: return "a new referral";
    case v1::MESSAGE_KIND_REMINDER: return "a reminder about a referral";
    case v1::MESSAGE_KIND_ESCALATION: return "an escalation";
    default: return "a message";
  }
}

}  // namespace

std::string message_page(const std::string& title, const std::string& text) {
  return page(title, "<p>" + escaped(text) + "</p>");
}

std::string confirmation_page(const v1::StoredDelivery& stored, const std::string& token) {
  const auto& delivery = stored.delivery();
  std::string body;
  if (delivery.exercise()) body += "<p class=\"exercise\">EXERCISE — not a real case.</p>";
  body += "<p>You are confirming that <strong>" + escaped(stored.recipient_name()) + "</strong> received " +
          kind_words(delivery.kind()) + ".</p><dl><dt>Reference code</dt><dd>" +
          escaped(delivery.reference_code().code()) + "</dd>";
  if (auto service = stored.facts().find("service_type"); service != stored.facts().end()) {
    body += "<dt>Service</dt><dd>" + escaped(service->second) + "</dd>";
  }
  body += "</dl>";
  if (delivery.has_acknowledged_at()) {
    body += "<p>Already acknowledged at " +
            escaped(google::protobuf::util::TimeUtil::ToString(delivery.acknowledged_at())) + ".</p>";
  } else {
    body += "<p>Acknowledging tells the referring team that the message reached you. It does not accept the "
            "referral: answer it through your usual channel.</p><form method=\"post\" action=\"" +
            escaped(token) + "\"><button type=\"submit\">Confirm receipt</button></form>";
  }
  return page("Acknowledge receipt", body);
}

std::string acknowledged_page(const v1::AcknowledgeResponse& response) {
  return page("Receipt acknowledged",
              "<p>Thank you. Receipt of <strong>" + escaped(response.reference_code().code()) +
                  "</strong> is recorded" + (response.already_acknowledged() ? " (it had been acknowledged before)" : "") +
                  ". You can close this page.</p>");
}

AckPage::AckPage(const Acknowledgements& acknowledgements, std::string listen)
    : acknowledgements_(acknowledgements), server_(std::make_unique<httplib::Server>()) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw std::invalid_argument("ack_listen must be host:port, not " + listen);
  const std::string host = listen.substr(0, colon);
  const int wanted_port = std::stoi(listen.substr(colon + 1));

  server_->Get(R"(/ack/([A-Za-z0-9._-]{1,512}))", [this](const httplib::Request& request, httplib::Response& response) {
    secure(response);
    try {
      const std::string token = request.matches[1];
      auto stored = acknowledgements_.delivery_for(token);
      if (!stored || !stored->delivery().acknowledgement_required()) {
        response.status = 404;
        response.set_content(message_page("Link not valid", "This acknowledgement link is not valid."), "text/html; charset=utf-8");
        return;
      }
      response.set_content(confirmation_page(*stored, token), "text/html; charset=utf-8");
    } catch (const std::exception& e) {
      log::warn("ack page failed", {{"error", e.what()}});
      response.status = 503;
      response.set_content(message_page("Try again", "The service is busy. Please try again in a minute."), "text/html; charset=utf-8");
    }
  });
  server_->Post(R"(/ack/([A-Za-z0-9._-]{1,512}))", [this](const httplib::Request& request, httplib::Response& response) {
    secure(response);
    try {
      v1::AcknowledgeResponse answer;
      const grpc::Status status =
          acknowledgements_.acknowledge(request.matches[1], v1::ACKNOWLEDGEMENT_METHOD_ACK_LINK, "", answer);
      if (status.ok()) {
        response.set_content(acknowledged_page(answer), "text/html; charset=utf-8");
      } else {
        response.status = status.error_code() == grpc::StatusCode::NOT_FOUND ? 404 : 409;
        response.set_content(message_page("Not acknowledged", status.error_message()), "text/html; charset=utf-8");
      }
    } catch (const std::exception& e) {
      log::warn("ack page failed", {{"error", e.what()}});
      response.status = 503;
      response.set_content(message_page("Try again", "The service is busy. Please try again in a minute."), "text/html; charset=utf-8");
    }
  });
  port_ = wanted_port == 0 ? server_->bind_to_any_port(host) : (server_->bind_to_port(host, wanted_port) ? wanted_port : -1);
  if (port_ <= 0) throw std::runtime_error("the ack page cannot listen on " + listen);
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  log::info("ack page listening", {{"address", host + ":" + std::to_string(port_)}});
}

void AckPage::stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

AckPage::~AckPage() { stop(); }

}  // namespace pact::notification
