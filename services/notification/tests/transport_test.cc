#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include "email_message.h"
#include "sms_gateway.h"
#include "transfer_engine.h"
#include "webhook_signature.h"

namespace pact::notification {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using Outcome = TransferResult::Outcome;

// ---------------------------------------------------------------------------------------------
// Webhook signatures

constexpr std::string_view kSecret = "whsec_test";
constexpr std::string_view kTimestamp = "1700000000";
constexpr std::string_view kBody = R"({"delivery":"dlv-1","kind":"referral"})";
// printf '%s' '1700000000.{"delivery":"dlv-1","kind":"referral"}' | openssl dgst -sha256 -hmac whsec_test
constexpr std::string_view kExpectedSignature = "v1=d42db771e4b8d67512d99574b409cd87d67f9926175e5e50fbfe54d68afdf73e";

TEST(WebhookSignature, MatchesOpensslForTheTimestampDotBody) {
  EXPECT_EQ(webhook_signature(kSecret, kTimestamp, kBody), kExpectedSignature);
}

TEST(WebhookSignature, VerifiesOnlyTheExactDelivery) {
  EXPECT_TRUE(verify_webhook_signature(kSecret, kTimestamp, kBody, kExpectedSignature));
  EXPECT_TRUE(verify_webhook_signature(kSecret, kTimestamp, kBody, " " + std::string(kExpectedSignature) + " "));
  EXPECT_FALSE(verify_webhook_signature(kSecret, kTimestamp, R"({"delivery":"dlv-2","kind":"referral"})", kExpectedSignature));
  EXPECT_FALSE(verify_webhook_signature(kSecret, "1700000001", kBody, kExpectedSignature));
  EXPECT_FALSE(verify_webhook_signature("whsec_other", kTimestamp, kBody, kExpectedSignature));
  EXPECT_FALSE(verify_webhook_signature(kSecret, kTimestamp, kBody, kExpectedSignature.substr(0, 20)));
  EXPECT_FALSE(verify_webhook_signature(kSecret, kTimestamp, kBody, ""));
  EXPECT_FALSE(verify_webhook_signature("", kTimestamp, kBody, kExpectedSignature));
}

TEST(WebhookSignature, RefusesToSignWithoutASecret) { EXPECT_THROW(webhook_signature("", kTimestamp, kBody), std::invalid_argument); }

TEST(WebhookSignature, HeadersCarryTimestampSignatureAndTheStableDeliveryId) {
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1700000000)) + 750ms;
  EXPECT_THAT(webhook_headers(kSecret, "dlv-1", 3, now, kBody),
              ::testing::ElementsAre("Content-Type: application/json", "X-Pact-Timestamp: 1700000000",
                                     "X-Pact-Signature: " + std::string(kExpectedSignature), "Idempotency-Key: dlv-1",
                                     "X-Pact-Delivery-Id: dlv-1", "X-Pact-Attempt: 3", "User-Agent: pact-notification/1"));
}

TEST(WebhookSignature, DeliveryIdCannotAddHeaders) {
  const auto now = std::chrono::system_clock::now();
  EXPECT_THROW(webhook_headers(kSecret, "dlv-1\r\nX-Evil: 1", 1, now, kBody), std::invalid_argument);
  EXPECT_THROW(webhook_headers(kSecret, "", 1, now, kBody), std::invalid_argument);
}

// ---------------------------------------------------------------------------------------------
// E-mail

std::string base64_decoded(std::string_view encoded) {
  constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string decoded;
  unsigned bits = 0;
  int pending = 0;
  for (const char c : encoded) {
    const auto value = kAlphabet.find(c);
    if (value == std::string_view::npos) continue;  // padding and line breaks
    bits = bits << 6 | static_cast<unsigned>(value);
    pending += 6;
    if (pending >= 8) {
      pending -= 8;
      decoded += static_cast<char>(bits >> pending & 0xff);
    }
  }
  return decoded;
}

std::vector<std::string> lines_of(const std::string& message) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (auto end = message.find("\r\n"); end != std::string::npos; end = message.find("\r\n", start)) {
    lines.push_back(message.substr(start, end - start));
    start = end + 2;
  }
  lines.push_back(message.substr(start));
  return lines;
}

std::string header_block(const std::string& message) { return message.substr(0, message.find("\r\n\r\n") + 2); }
std::string body_of(const std::string& message) { return message.substr(message.find("\r\n\r\n") + 4); }

EmailParts sample_email() {
  EmailParts parts;
  parts.from = "PaCT Hub <hub@pact.example>";
  parts.to = "intake@shelter.example";
  parts.subject = "New referral PACT-7Q2";
  parts.text = "A referral waits for you.\nReference: PACT-7Q2\n";
  parts.message_id_domain = "pact.example";
  parts.idempotency_key = "dlv-42";
  parts.date = std::chrono::system_clock::time_point(std::chrono::seconds(1700000000));
  return parts;
}

TEST(EmailMessage, HeadersAreRfc5322WithCrlfLineEnds) {
  const auto message = format_email(sample_email());
  EXPECT_EQ(header_block(message),
            "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"
            "From: PaCT Hub <hub@pact.example>\r\n"
            "To: intake@shelter.example\r\n"
            "Subject: New referral PACT-7Q2\r\n"
            "Message-ID: <dlv-42@pact.example>\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: base64\r\n");
  for (std::size_t at = message.find('\n'); at != std::string::npos; at = message.find('\n', at + 1)) {
    ASSERT_GT(at, 0U);
    EXPECT_EQ(message[at - 1], '\r') << "bare LF at " << at;
  }
}

TEST(EmailMessage, BodyIsBase64OfTheTextInCanonicalForm) {
  auto parts = sample_email();
  parts.text = std::string(300, 'x') + "\nZdravo, upućivanje čeka.\n";
  const auto body = body_of(format_email(parts));
  for (const auto& line : lines_of(body)) EXPECT_LE(line.size(), 76U);
  EXPECT_EQ(base64_decoded(body), std::string(300, 'x') + "\r\nZdravo, upućivanje čeka.\r\n");
}

TEST(EmailMessage, NonAsciiSubjectBecomesEncodedWords) {
  auto parts = sample_email();
  parts.subject = "Hitno: novo upućivanje — molimo potvrdite prijem što prije, referenca PACT-7Q2";
  const auto headers = lines_of(header_block(format_email(parts)));
  std::string decoded;
  bool in_subject = false;
  for (const auto& line : headers) {
    if (line.starts_with("Subject: ")) {
      in_subject = true;
    } else if (!line.starts_with(" ")) {
      in_subject = false;
    }
    if (!in_subject) continue;
    EXPECT_LE(line.size(), 78U);
    const auto word_start = line.find("=?UTF-8?B?");
    ASSERT_NE(word_start, std::string::npos) << line;
    ASSERT_TRUE(line.ends_with("?="));
    decoded += base64_decoded(line.substr(word_start + 10, line.size() - word_start - 12));
  }
  EXPECT_EQ(decoded, parts.subject);
}

TEST(EmailMessage, NonAsciiDisplayNameIsEncodedAndSpecialsAreQuoted) {
  auto parts = sample_email();
  parts.from = "Centar za socijalni rad Preševo <csr@pact.example>";
  parts.to = "Shelter, Intake <intake@shelter.example>";
  const auto headers = header_block(format_email(parts));
  EXPECT_THAT(headers, HasSubstr("From: =?UTF-8?B?"));
  EXPECT_THAT(headers, HasSubstr("<csr@pact.example>\r\n"));
  EXPECT_THAT(headers, HasSubstr("To: \"Shelter, Intake\" <intake@shelter.example>\r\n"));
}

TEST(EmailMessage, TheEnvelopeTakesTheBareAddress) {
  EXPECT_EQ(envelope_address("PaCT Hub <hub@pact.example>"), "hub@pact.example");
  EXPECT_EQ(envelope_address(" intake@shelter.example "), "intake@shelter.example");
  EXPECT_THROW(envelope_address("Hub <hub@pact.example>\r\nRCPT TO:<x@y>"), std::invalid_argument);
  EXPECT_THROW(envelope_address("nobody"), std::invalid_argument);
}

TEST(EmailMessage, HeaderInjectionIsRefused) {
  for (const auto& evil : {std::string("Hi\r\nBcc: all@example.org"), std::string("Hi\nBcc: all@example.org"),
                           std::string("Hi\rBcc: all@example.org")}) {
    auto subject = sample_email();
    subject.subject = evil;
    EXPECT_THROW(format_email(subject), std::invalid_argument);
    auto to = sample_email();
    to.to = "intake@shelter.example\r\nBcc: all@example.org";
    EXPECT_THROW(format_email(to), std::invalid_argument);
    auto from = sample_email();
    from.from = "Hub\n <hub@pact.example>";
    EXPECT_THROW(format_email(from), std::invalid_argument);
  }
  auto key = sample_email();
  key.idempotency_key = "dlv 42>";
  EXPECT_THROW(format_email(key), std::invalid_argument);
  auto address = sample_email();
  address.to = "not an address";
  EXPECT_THROW(format_email(address), std::invalid_argument);
}

TEST(EmailMessage, MessageIdIsTheSameOnEveryAttempt) {
  auto first = sample_email();
  auto retry = sample_email();
  retry.date += 5min;
  const auto message_id = [](const std::string& message) {
    const auto start = message.find("Message-ID: ");
    return message.substr(start, message.find("\r\n", start) - start);
  };
  EXPECT_EQ(message_id(format_email(first)), "Message-ID: <dlv-42@pact.example>");
  EXPECT_EQ(message_id(format_email(first)), message_id(format_email(retry)));
}

// ---------------------------------------------------------------------------------------------
// SMS gateways

TEST(SmsGateway, E164NeedsAPlusAndEightToFifteenDigits) {
  EXPECT_TRUE(is_e164("+38160123456"));
  EXPECT_TRUE(is_e164("+12345678"));
  EXPECT_TRUE(is_e164("+123456789012345"));
  EXPECT_FALSE(is_e164("38160123456"));
  EXPECT_FALSE(is_e164("+1234567"));
  EXPECT_FALSE(is_e164("+1234567890123456"));
  EXPECT_FALSE(is_e164("+381 60 123456"));
  EXPECT_FALSE(is_e164("+3816O123456"));
  EXPECT_FALSE(is_e164(""));
}

TEST(SmsGateway, ValuesArePercentEncodedInTheUrl) {
  SmsGatewayConfig config;
  config.method = "GET";
  config.url_template = "https://sms.example/send?to={{to}}&text={{text}}&from={{sender}}&key={{idempotency_key}}";
  const auto request = sms_request(config, "+38160123456", "Hitno & brzo: čekamo/100%", "PaCT Hub", "dlv-1");
  EXPECT_EQ(request.url,
            "https://sms.example/send?to=%2B38160123456&text=Hitno%20%26%20brzo%3A%20%C4%8Dekamo%2F100%25"
            "&from=PaCT%20Hub&key=dlv-1");
  EXPECT_EQ(request.method, "GET");
  EXPECT_TRUE(request.body.empty());
  EXPECT_EQ(request.protocol, TransferRequest::Protocol::http);
}

TEST(SmsGateway, ValuesAreJsonEscapedInAJsonBody) {
  SmsGatewayConfig config;
  config.url_template = "https://sms.example/v1/messages";
  config.header_templates = {"Content-Type: application/json", "Authorization: Bearer t0ken",
                             "Idempotency-Key: {{idempotency_key}}"};
  config.body_template = R"({"to":"{{to}}","text":"{{text}}","from":"{{sender}}"})";
  const auto request = sms_request(config, "+38160123456", "Say \"yes\"\nčekamo\\", "Hub", "dlv-7");
  EXPECT_EQ(request.body, R"({"to":"+38160123456","text":"Say \"yes\"\nčekamo\\","from":"Hub"})");
  EXPECT_THAT(request.headers, ::testing::ElementsAre("Content-Type: application/json", "Authorization: Bearer t0ken",
                                                      "Idempotency-Key: dlv-7"));
  EXPECT_EQ(request.method, "POST");
}

TEST(SmsGateway, ValuesArePercentEncodedInAFormBody) {
  SmsGatewayConfig config;
  config.url_template = "http://gateway.local/send";
  config.header_templates = {"Content-Type: application/x-www-form-urlencoded"};
  config.body_template = "to={{to}}&text={{text}}";
  EXPECT_EQ(sms_request(config, "+38160123456", "a+b=c & d", "", "k").body, "to=%2B38160123456&text=a%2Bb%3Dc%20%26%20d");
  config.header_templates.clear();  // no Content-Type: curl sends a form, so it is encoded as one
  EXPECT_EQ(sms_request(config, "+38160123456", "a b", "", "k").body, "to=%2B38160123456&text=a%20b");
}

TEST(SmsGateway, RefusesNumbersThatAreNotE164AndValuesThatBreakHeaders) {
  SmsGatewayConfig config;
  config.url_template = "https://sms.example/send?to={{to}}&text={{text}}";
  config.method = "GET";
  EXPECT_THROW(sms_request(config, "060123456", "hi", "", "k"), std::invalid_argument);
  config.header_templates = {"X-Sender: {{sender}}"};
  EXPECT_THROW(sms_request(config, "+38160123456", "hi", "Hub\r\nX-Evil: 1", "k"), std::invalid_argument);
}

TEST(SmsGateway, ConfigProblemsAreNamed) {
  SmsGatewayConfig good;
  good.url_template = "https://sms.example/send";
  good.header_templates = {"Content-Type: application/json"};
  good.body_template = R"({"to":"{{to}}","text":"{{ text }}"})";
  EXPECT_THAT(sms_config_problems(good), ::testing::IsEmpty());

  const auto problems_of = [&](auto change) {
    auto config = good;
    change(config);
    return sms_config_problems(config);
  };
  EXPECT_THAT(problems_of([](auto& c) { c.body_template = R"({"to":"{{to}}","text":"{{text}}","x":"{{name}}"})"; }),
              ::testing::ElementsAre(HasSubstr("unknown placeholder {{name}}")));
  EXPECT_THAT(problems_of([](auto& c) { c.url_template = "ftp://sms.example/send"; }),
              ::testing::ElementsAre(HasSubstr("http://")));
  EXPECT_THAT(problems_of([](auto& c) { c.url_template = "https:///send"; }), ::testing::ElementsAre(HasSubstr("host")));
  EXPECT_THAT(problems_of([](auto& c) { c.method = "PUT"; }), ::testing::ElementsAre(HasSubstr("GET or POST")));
  EXPECT_THAT(problems_of([](auto& c) { c.method = "GET"; }), ::testing::ElementsAre(HasSubstr("GET request cannot carry")));
  EXPECT_THAT(problems_of([](auto& c) { c.header_templates.push_back("X-Text: {{text}}"); }),
              ::testing::ElementsAre(HasSubstr("{{text}} cannot go into a header")));
  EXPECT_THAT(problems_of([](auto& c) { c.header_templates.push_back("no colon here"); }),
              ::testing::ElementsAre(HasSubstr("not a single \"Name: value\" line")));
  EXPECT_THAT(problems_of([](auto& c) { c.body_template = R"({"text":"{{text}}"})"; }),
              ::testing::ElementsAre(HasSubstr("{{to}} is used nowhere")));
  EXPECT_THAT(problems_of([](auto& c) { c.body_template = R"({"to":"{{to}}","text":"{{text"})"; }),
              ::testing::Contains(HasSubstr("never closed")));

  auto broken = good;
  broken.method = "DELETE";
  EXPECT_THROW(sms_request(broken, "+38160123456", "hi", "", "k"), std::invalid_argument);
}

// ---------------------------------------------------------------------------------------------
// TransferEngine against an in-process HTTP server

struct ReceivedRequest {
  std::string method;
  std::string body;
  httplib::Headers headers;
};

class LocalServer {
 public:
  LocalServer() {
    server_.Post("/hook", [this](const httplib::Request& request, httplib::Response& response) {
      {
        std::lock_guard lock(mutex_);
        received_.push_back({request.method, request.body, request.headers});
      }
      response.set_content("{\"ok\":true}", "application/json");
    });
    server_.Get("/hook", [this](const httplib::Request& request, httplib::Response& response) {
      std::lock_guard lock(mutex_);
      received_.push_back({request.method, request.body, request.headers});
      response.status = 204;
    });
    server_.Post("/busy", [](const httplib::Request&, httplib::Response& response) {
      response.status = 503;
      response.set_header("Retry-After", "7");
    });
    server_.Post("/large", [](const httplib::Request&, httplib::Response& response) {
      response.set_content(std::string(1 << 20, 'x'), "text/plain");
    });
    server_.Post("/moved", [](const httplib::Request&, httplib::Response& response) { response.set_redirect("/hook", 302); });
    server_.Post("/slow", [this](const httplib::Request&, httplib::Response& response) {
      std::unique_lock lock(mutex_);
      released_.wait_for(lock, 5s, [this] { return release_; });
      response.status = 200;
    });
    server_.set_tcp_nodelay(true);  // else each answer waits out the client's delayed ACK
    // httplib closes a connection after 5 requests by default; the reconnections overflow its
    // short listen backlog, and a dropped SYN costs a second.
    server_.set_keep_alive_max_count(100000);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(1ms);
  }
  ~LocalServer() {
    {
      std::lock_guard lock(mutex_);
      release_ = true;
    }
    released_.notify_all();
    server_.stop();
    thread_.join();
  }

  std::string url(std::string_view path) const { return "http://127.0.0.1:" + std::to_string(port_) + std::string(path); }
  std::vector<ReceivedRequest> received() const {
    std::lock_guard lock(mutex_);
    return received_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::condition_variable released_;
  bool release_ = false;
  std::vector<ReceivedRequest> received_;
};

// A port on which nothing listens: bound once by the kernel's choice, then closed.
int closed_port() {
  const int socket_fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ::bind(socket_fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::getsockname(socket_fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(socket_fd);
  return ntohs(address.sin_port);
}

TransferResult transfer(TransferEngine& engine, TransferRequest request) {
  auto promise = std::make_shared<std::promise<TransferResult>>();
  auto result = promise->get_future();
  engine.submit(std::move(request), [promise](TransferResult done) { promise->set_value(std::move(done)); });
  if (result.wait_for(20s) != std::future_status::ready) throw std::runtime_error("transfer never completed");
  return result.get();
}

TransferRequest post(const LocalServer& server, std::string_view path, std::string body = "{}") {
  TransferRequest request;
  request.url = server.url(path);
  request.body = std::move(body);
  request.headers = {"Content-Type: application/json"};
  return request;
}

TEST(TransferEngine, PostArrivesWithItsHeadersAndBody) {
  LocalServer server;
  TransferEngine engine({});
  auto request = post(server, "/hook", std::string(kBody));
  request.headers = webhook_headers(kSecret, "dlv-1", 1, std::chrono::system_clock::now(), kBody);
  const auto result = transfer(engine, request);
  EXPECT_EQ(result.outcome, Outcome::answered);
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.detail, "HTTP 200");
  EXPECT_FALSE(result.retry_after);
  EXPECT_GT(result.elapsed.count(), 0);

  const auto received = server.received();
  ASSERT_EQ(received.size(), 1U);
  EXPECT_EQ(received[0].method, "POST");
  EXPECT_EQ(received[0].body, kBody);
  const auto header = [&](const std::string& name) {
    const auto found = received[0].headers.find(name);
    return found == received[0].headers.end() ? std::string("(missing)") : found->second;
  };
  EXPECT_EQ(header("Idempotency-Key"), "dlv-1");
  EXPECT_EQ(header("User-Agent"), "pact-notification/1");
  EXPECT_EQ(header("Content-Type"), "application/json");
  EXPECT_TRUE(verify_webhook_signature(kSecret, header("X-Pact-Timestamp"), received[0].body, header("X-Pact-Signature")));
  EXPECT_EQ(received[0].headers.count("Expect"), 0U);
}

TEST(TransferEngine, GetIsSentAsGet) {
  LocalServer server;
  TransferEngine engine({});
  auto request = post(server, "/hook", "");
  request.method = "GET";
  const auto result = transfer(engine, request);
  EXPECT_EQ(result.outcome, Outcome::answered);
  EXPECT_EQ(result.status, 204);
  ASSERT_EQ(server.received().size(), 1U);
  EXPECT_EQ(server.received()[0].method, "GET");
}

TEST(TransferEngine, UnavailableWithRetryAfterIsReported) {
  LocalServer server;
  TransferEngine engine({});
  const auto result = transfer(engine, post(server, "/busy"));
  EXPECT_EQ(result.outcome, Outcome::answered);
  EXPECT_EQ(result.status, 503);
  EXPECT_EQ(result.detail, "HTTP 503");
  EXPECT_EQ(result.retry_after, std::chrono::seconds(7));
}

TEST(TransferEngine, ALargeResponseIsNotReadToTheEnd) {
  LocalServer server;
  TransferEngine engine({});
  const auto result = transfer(engine, post(server, "/large"));
  EXPECT_EQ(result.outcome, Outcome::answered);
  EXPECT_EQ(result.status, 200);
}

TEST(TransferEngine, RedirectsAreNotFollowed) {
  LocalServer server;
  TransferEngine engine({});
  const auto result = transfer(engine, post(server, "/moved"));
  EXPECT_EQ(result.outcome, Outcome::answered);
  EXPECT_EQ(result.status, 302);
  EXPECT_TRUE(server.received().empty());
}

TEST(TransferEngine, ASlowReceiverTimesOut) {
  LocalServer server;
  TransferEngine engine({});
  auto request = post(server, "/slow");
  request.timeout = 200ms;
  const auto result = transfer(engine, request);
  EXPECT_EQ(result.outcome, Outcome::timed_out);
  EXPECT_EQ(result.status, 0);
  EXPECT_GE(result.elapsed, 200ms);
  EXPECT_LT(result.elapsed, 3s);
}

TEST(TransferEngine, AClosedPortIsUnreachable) {
  TransferEngine engine({});
  TransferRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/hook";
  request.body = "{}";
  const auto result = transfer(engine, request);
  EXPECT_EQ(result.outcome, Outcome::unreachable);
  EXPECT_EQ(result.status, 0);
  EXPECT_FALSE(result.detail.empty());
}

TEST(TransferEngine, RequestsCurlCannotMakeFailAtOnce) {
  TransferEngine engine({});
  TransferRequest put;
  put.url = "http://127.0.0.1:1/hook";
  put.method = "PUT";
  EXPECT_THAT(transfer(engine, put).detail, HasSubstr("unsupported method"));
  TransferRequest file;
  file.url = "file:///etc/passwd";
  file.method = "GET";
  EXPECT_EQ(transfer(engine, file).outcome, Outcome::failed);
  TransferRequest no_scheme;
  no_scheme.url = "127.0.0.1:1/hook";
  EXPECT_THAT(transfer(engine, no_scheme).detail, HasSubstr("not an http(s) URL"));
  TransferRequest clear_password;
  clear_password.protocol = TransferRequest::Protocol::smtp;
  clear_password.url = "smtp://127.0.0.1:1";
  clear_password.recipients = {"intake@shelter.example"};
  clear_password.username = "hub";
  clear_password.password = "secret";
  EXPECT_THAT(transfer(engine, clear_password).detail, HasSubstr("require_starttls"));
}

TEST(TransferEngine, ManyConcurrentSubmissionsEachCompleteOnce) {
  LocalServer server;
  // No more connections than httplib's listen backlog (5) takes at once, or a dropped SYN costs a second.
  TransferEngine engine({.max_connections_per_host = 4, .max_total_connections = 64});
  constexpr int kCount = 200;
  std::vector<std::atomic<int>> completions(kCount);
  std::atomic<int> answered{0};
  std::vector<std::thread> submitters;
  for (int part = 0; part < 4; ++part) {
    submitters.emplace_back([&, part] {
      for (int i = part; i < kCount; i += 4) {
        engine.submit(post(server, "/hook", "{\"n\":" + std::to_string(i) + "}"), [&, i](TransferResult result) {
          ++completions[static_cast<std::size_t>(i)];
          if (result.outcome == Outcome::answered && result.status == 200) ++answered;
        });
      }
    });
  }
  for (auto& submitter : submitters) submitter.join();
  ASSERT_TRUE(engine.wait_idle(20s));
  EXPECT_EQ(engine.in_flight(), 0U);
  EXPECT_EQ(answered.load(), kCount);
  for (int i = 0; i < kCount; ++i) EXPECT_EQ(completions[static_cast<std::size_t>(i)].load(), 1) << i;
  EXPECT_EQ(server.received().size(), static_cast<std::size_t>(kCount));
}

TEST(TransferEngine, WaitIdleWaitsForTransfersInFlight) {
  LocalServer server;
  TransferEngine engine({});
  auto request = post(server, "/slow");
  request.timeout = 400ms;
  std::atomic<bool> done{false};
  engine.submit(request, [&](TransferResult) { done = true; });
  EXPECT_FALSE(engine.wait_idle(50ms));
  EXPECT_EQ(engine.in_flight(), 1U);
  EXPECT_TRUE(engine.wait_idle(10s));
  EXPECT_TRUE(done);
  EXPECT_TRUE(engine.wait_idle(0ms));
}

TEST(TransferEngine, TransfersBeyondTheHostLimitWaitTheirTurnWithinTheirTimeout) {
  LocalServer server;
  TransferEngine engine({.max_connections_per_host = 2, .max_total_connections = 16});
  std::mutex mutex;
  std::vector<TransferResult> results;
  for (int i = 0; i < 5; ++i) {
    auto request = post(server, "/slow");
    // The first two hold the host's connections; the others cannot start before their time is up.
    request.timeout = i < 2 ? 1500ms : 200ms;
    engine.submit(request, [&](TransferResult result) {
      std::lock_guard lock(mutex);
      results.push_back(std::move(result));
    });
  }
  ASSERT_TRUE(engine.wait_idle(10s));
  ASSERT_EQ(results.size(), 5U);
  for (std::size_t i = 0; i < 3; ++i) {  // completion order: the waiting ones first
    EXPECT_EQ(results[i].outcome, Outcome::timed_out);
    EXPECT_THAT(results[i].detail, HasSubstr("nothing was sent"));
    EXPECT_LT(results[i].elapsed, 1000ms);
  }
  for (std::size_t i = 3; i < 5; ++i) {
    EXPECT_EQ(results[i].outcome, Outcome::timed_out);
    EXPECT_THAT(results[i].detail, ::testing::Not(HasSubstr("nothing was sent")));
  }
}

TEST(TransferEngine, StoppingEndsTransfersInFlight) {
  LocalServer server;
  std::promise<TransferResult> promise;
  {
    TransferEngine engine({});
    engine.submit(post(server, "/slow"), [&](TransferResult result) { promise.set_value(std::move(result)); });
    std::this_thread::sleep_for(50ms);  // on its way or not, the engine must end it
  }
  const auto result = promise.get_future().get();
  EXPECT_EQ(result.outcome, Outcome::failed);
  EXPECT_EQ(result.detail, "stopped");
}

// ---------------------------------------------------------------------------------------------
// TransferEngine against a scripted SMTP relay

// Answers one SMTP session over loopback, with a chosen reply to RCPT TO, and keeps what it got.
class ScriptedRelay {
 public:
  explicit ScriptedRelay(std::string rcpt_reply) : rcpt_reply_(std::move(rcpt_reply)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(listener_, 4);
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~ScriptedRelay() {
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    thread_.join();
  }

  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  std::string transcript() const {
    std::lock_guard lock(mutex_);
    return transcript_;
  }

 private:
  void serve() {
    const int connection = ::accept(listener_, nullptr, nullptr);
    if (connection < 0) return;
    std::string pending;
    const auto reply = [&](const std::string& line) {
      const std::string wire = line + "\r\n";
      (void)::send(connection, wire.data(), wire.size(), MSG_NOSIGNAL);
    };
    const auto read_line = [&](std::string& line) {
      while (true) {
        if (const auto end = pending.find("\r\n"); end != std::string::npos) {
          line = pending.substr(0, end);
          pending.erase(0, end + 2);
          return true;
        }
        char buffer[4096];
        const auto got = ::recv(connection, buffer, sizeof buffer, 0);
        if (got <= 0) return false;
        pending.append(buffer, static_cast<std::size_t>(got));
      }
    };
    reply("220 relay.test ESMTP");
    std::string line;
    bool in_data = false;
    while (read_line(line)) {
      {
        std::lock_guard lock(mutex_);
        transcript_ += line + "\n";
      }
      if (in_data) {
        if (line == ".") {
          in_data = false;
          reply("250 2.0.0 queued");
        }
      } else if (line.starts_with("EHLO")) {
        reply("250-relay.test");
        reply("250 8BITMIME");
      } else if (line.starts_with("MAIL FROM")) {
        reply("250 2.1.0 ok");
      } else if (line.starts_with("RCPT TO")) {
        reply(rcpt_reply_);
      } else if (line == "DATA") {
        in_data = true;
        reply("354 go ahead");
      } else if (line == "QUIT") {
        reply("221 bye");
        break;
      } else {
        reply("502 5.5.1 not here");
      }
    }
    ::close(connection);
  }

  std::string rcpt_reply_;
  int listener_ = -1;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::string transcript_;
};

TransferRequest mail_to(const ScriptedRelay& relay) {
  TransferRequest request;
  request.protocol = TransferRequest::Protocol::smtp;
  request.url = relay.url();
  request.mail_from = "hub@pact.example";
  request.recipients = {"intake@shelter.example"};
  request.body = format_email(sample_email());
  return request;
}

TEST(TransferEngine, MailIsHandedToTheRelay) {
  ScriptedRelay relay("250 2.1.5 ok");
  TransferEngine engine({});
  const auto result = transfer(engine, mail_to(relay));
  EXPECT_EQ(result.outcome, Outcome::answered);
  EXPECT_EQ(result.status, 250);
  const auto transcript = relay.transcript();
  EXPECT_THAT(transcript, HasSubstr("MAIL FROM:<hub@pact.example>"));
  EXPECT_THAT(transcript, HasSubstr("RCPT TO:<intake@shelter.example>"));
  EXPECT_THAT(transcript, HasSubstr("Message-ID: <dlv-42@pact.example>"));
}

TEST(TransferEngine, RelayRefusalsKeepTheirSmtpCode) {
  {
    ScriptedRelay relay("550 5.1.1 no such mailbox");
    TransferEngine engine({});
    const auto result = transfer(engine, mail_to(relay));
    EXPECT_EQ(result.outcome, Outcome::answered);
    EXPECT_EQ(result.status, 550);  // permanent
    EXPECT_THAT(result.detail, HasSubstr("550"));
  }
  {
    ScriptedRelay relay("451 4.3.0 try again later");
    TransferEngine engine({});
    const auto result = transfer(engine, mail_to(relay));
    EXPECT_EQ(result.outcome, Outcome::answered);
    EXPECT_EQ(result.status, 451);  // transient
  }
}

TEST(TransferEngine, MailWithoutRequiredStarttlsIsNotSent) {
  ScriptedRelay relay("250 2.1.5 ok");
  TransferEngine engine({});
  auto request = mail_to(relay);
  request.require_starttls = true;
  const auto result = transfer(engine, request);
  EXPECT_EQ(result.outcome, Outcome::failed);
  EXPECT_THAT(relay.transcript(), ::testing::Not(HasSubstr("DATA")));
}

}  // namespace
}  // namespace pact::notification
