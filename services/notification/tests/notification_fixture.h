#pragma once

// What notification's process-level tests share: real local receivers (an in-process webhook
// receiver that verifies signatures, and an SMTP server with STARTTLS in a child process), a test
// directory whose channels point at them, real pact-routing (the directory API) and
// pact-notification processes, and referral events as routing publishes them.
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "crypto/keyed_hash.h"
#include "crypto/secret_key.h"
#include "kafka/envelope_record.h"
#include "kafka/producer.h"
#include "kafka/topics.h"
#include "pact/events/v1/notification_events.pb.h"
#include "pact/events/v1/referral_events.pb.h"
#include "pact/notification/v1/notification.grpc.pb.h"
#include "receiver.h"
#include "rpc/authenticator.h"
#include "rpc/caller.h"
#include "support/child_process.h"
#include "support/decoded_topic.h"
#include "support/infrastructure.h"
#include "support/service_process.h"

namespace pact::notification::testing {

namespace fs = std::filesystem;
using pact::testing::ChildProcess;
using pact::testing::eventually;
using pact::testing::Infrastructure;
using pact::testing::ServiceProcess;
using nlohmann::json;

inline const std::string kWebhookSecret = "test-webhook-secret-0123456789abcdef";
inline const std::string kCanary = "CANARY-PERSONAL-DATA-7f3a";

// The port a line "listening on 127.0.0.1:<port>" in a log names, once it is there.
inline int listening_port(const ChildProcess& process) {
  int port = -1;
  eventually([&] {
    const std::string log = process.log();
    const auto at = log.find("listening on 127.0.0.1:");
    if (at == std::string::npos) return false;
    port = std::stoi(log.substr(at + std::string("listening on 127.0.0.1:").size()));
    return true;
  }, std::chrono::seconds(20));
  return port;
}

// pact-webhook-receiver's logic, served in this process on a port of its own.
class WebhookReceiver {
 public:
  explicit WebhookReceiver(int threads = 16) : server_(options(threads)) {
    port_ = server_.bind();
    thread_ = std::thread([this] { server_.run(); });
  }
  ~WebhookReceiver() { stop(); }
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  tools::webhook_receiver::ReceiverState& state() { return server_.state(); }
  json stats(bool summary = false) { return state().stats(summary); }
  // Gone: nothing listens on its port any more.
  void stop() {
    if (thread_.joinable()) {
      server_.stop();
      thread_.join();
    }
  }

 private:
  static tools::webhook_receiver::ServerOptions options(int threads) {
    tools::webhook_receiver::ServerOptions out;
    out.secrets = {kWebhookSecret};
    out.threads = threads;
    return out;
  }
  tools::webhook_receiver::ReceiverServer server_;
  int port_ = -1;
  std::thread thread_;
};

// tests/integration/support/smtp_server.py: a real SMTP server (aiosmtpd) that offers STARTTLS with
// a certificate made for the test and records every accepted message as a JSON line.
class SmtpServer {
 public:
  explicit SmtpServer(const fs::path& dir, const std::vector<std::string>& extra = {}) : dir_(dir) {
    fs::create_directories(dir_);
    const std::string script = std::string(PACT_SOURCE_DIR) + "/tests/integration/support/smtp_server.py";
    ChildProcess make_cert("/usr/bin/python3", {script, "--make-cert", dir_.string()}, (dir_ / "cert.log").string());
    make_cert.wait(std::chrono::seconds(30));
    std::vector<std::string> arguments{script,          "--listen", "127.0.0.1:0", "--cert", cert().string(), "--key",
                                       (dir_ / "key.pem").string(), "--record", record().string()};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    process_ = std::make_unique<ChildProcess>("/usr/bin/python3", arguments, (dir_ / "smtp.log").string());
    port_ = listening_port(*process_);
  }

  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  fs::path cert() const { return dir_ / "cert.pem"; }
  fs::path record() const { return dir_ / "messages.jsonl"; }
  std::vector<json> messages() const {
    std::vector<json> out;
    std::ifstream in(record());
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) out.push_back(json::parse(line));
    }
    return out;
  }

 private:
  fs::path dir_;
  std::unique_ptr<ChildProcess> process_;
  int port_ = -1;
};

// A directory service entry with the given channels (JSON as the directory import reads it).
inline json directory_service(const std::string& id, const std::string& type, const json& channels) {
  return json{{"id", id},
              {"organization", "rs-ngo"},
              {"name", id + " (fictional)"},
              {"type", type},
              {"languages", {"en"}},
              {"area", {{"jurisdictions", {"RS"}}}},
              {"schedule", {{"open_24_7", true}}},
              {"channels", channels},
              {"fictional", true}};
}

inline json webhook_channel(const std::string& url, int priority = 1) {
  return json{{"channel", "webhook"}, {"address", url}, {"secret_id", "test-webhook"}, {"purpose", "all"},
              {"priority", priority}};
}

inline json email_channel(const std::string& address, int priority = 2) {
  return json{{"channel", "email"}, {"address", address}, {"purpose", "all"}, {"priority", priority}};
}

inline std::string directory_json(const std::vector<json>& services) {
  json organisations = json::array({json{{"id", "rs-ngo"}, {"name", "NGO (fictional)"}, {"kind", "ngo"},
                                         {"jurisdictions", {"RS"}}, {"fictional", true}}});
  return json{{"organizations", organisations}, {"services", services}}.dump(2);
}

// How a test tunes notification's delivery policy (short, so retries happen within a test).
struct DeliveryTuning {
  int max_attempts = 3;
  std::string first_retry = "200ms";
  std::string max_retry = "1s";
  std::string request_timeout = "1s";
  int per_endpoint_concurrency = 4;
  int circuit_failures = 3;
  std::string circuit_open_for = "500ms";
  std::string claim_lease = "4s";
  int consumer_threads = 4;
  std::string directory_refresh = "1s";
};

// The secrets a test notification process reads under `dir`: the webhook signing secret (as
// "test-webhook" and as the sample directory's "sample-webhook") and the ack-token key.
inline void write_notification_secrets(const fs::path& dir) {
  fs::create_directories(dir / "secrets");
  std::ofstream(dir / "secrets" / "test-webhook") << kWebhookSecret << "\n";
  std::ofstream(dir / "secrets" / "sample-webhook") << kWebhookSecret << "\n";
  std::ofstream(dir / "ack.key") << crypto::to_hex(crypto::SecretKey::generate().view()) << "\n";
}

// The notification section of a test process whose secrets write_notification_secrets(dir) made.
inline std::string notification_section(const fs::path& dir, const std::string& directory_address, int ack_port,
                                        const DeliveryTuning& tuning) {
  const std::string ack_base = "http://127.0.0.1:" + std::to_string(ack_port);
  return "notification:\n  directory_address: " + directory_address + "\n  directory_refresh: " +
         tuning.directory_refresh + "\n  secrets_dir: " + (dir / "secrets").string() +
         "\n  ack_key_file: " + (dir / "ack.key").string() + "\n  ack_base_url: " + ack_base +
         "\n  ack_listen: 127.0.0.1:" + std::to_string(ack_port) +
         "\n  delivery:\n    max_attempts: " + std::to_string(tuning.max_attempts) +
         "\n    first_retry: " + tuning.first_retry + "\n    max_retry: " + tuning.max_retry +
         "\n    request_timeout: " + tuning.request_timeout + "\n    connect_timeout: 500ms" +
         "\n    per_endpoint_concurrency: " + std::to_string(tuning.per_endpoint_concurrency) +
         "\n    circuit_failures: " + std::to_string(tuning.circuit_failures) +
         "\n    circuit_open_for: " + tuning.circuit_open_for + "\n    claim_lease: " + tuning.claim_lease +
         "\n  consumer_threads: " + std::to_string(tuning.consumer_threads) + "\n";
}

// A hub with routing (serving the test directory) and notification, as real processes.
class NotificationHub {
 public:
  // `routing_consumes`: routing also turns screening events into referrals (the whole chain).
  NotificationHub(const std::string& name, const std::vector<json>& services, const std::string& smtp_url = "",
                  const fs::path& smtp_ca = {}, DeliveryTuning tuning = {}, bool routing_consumes = false)
      : platform_(Infrastructure::instance().new_hub(name)),
        dir_(fs::temp_directory_path() / ("pact-notification-" + platform_.hub.prefix())) {
    write_notification_secrets(dir_);
    std::ofstream(dir_ / "directory.json") << directory_json(services);
    routing_ = std::make_unique<ServiceProcess>(
        "services/routing/pact-routing", platform_,
        "routing:\n  sop_dir: " + std::string(PACT_SOURCE_DIR) + "/reference/routing/sop\n  directory_file: " +
            (dir_ / "directory.json").string() + "\n  intake_address: 127.0.0.1:9\n  consume_events: " +
            (routing_consumes ? "true" : "false") + "\n");
    routing_->start();
    ack_port_ = pact::testing::free_port();
    std::string section = notification_section(dir_, routing_->address(), ack_port_, tuning);
    if (!smtp_url.empty()) {
      section += "  email:\n    smtp_url: " + smtp_url + "\n    starttls: true\n    from: notify@hub.test\n";
      section += "  tls:\n    ca_file: " + smtp_ca.string() + "\n";
    }
    notification_ = std::make_unique<ServiceProcess>("services/notification/pact-notification", platform_, section);
    notification_->start();
    producer_ = std::make_unique<kafka::Producer>(platform_.kafka, "notification-test");
  }

  const config::PlatformConfig& platform() const { return platform_; }
  ServiceProcess& notification() { return *notification_; }
  ServiceProcess& routing() { return *routing_; }
  kafka::Producer& producer() { return *producer_; }
  std::string ack_base() const { return "http://127.0.0.1:" + std::to_string(ack_port_); }

  void publish(const events::v1::ReferralEvent& event) {
    const auto result = producer_->produce_and_wait(
        kafka::envelope_record(platform_.hub, kafka::topic::kReferral, "routing", event, ""));
    ASSERT_TRUE(result.stored()) << result.error;
  }

  // For load: queued now, stored by flush().
  void publish_async(const events::v1::ReferralEvent& event) {
    producer_->produce(kafka::envelope_record(platform_.hub, kafka::topic::kReferral, "routing", event, ""),
                       [](const kafka::DeliveryResult&) {});
  }
  void flush() { producer_->flush(std::chrono::seconds(60)); }

  // Every report on pact.notification.v1 so far.
  std::vector<events::v1::NotificationEvent> reports(std::chrono::milliseconds limit = std::chrono::seconds(2)) {
    std::vector<events::v1::NotificationEvent> out;
    for (auto& record : pact::testing::decoded_topic<events::v1::NotificationEvent>(platform_, kafka::topic::kNotification,
                                                                                     1'000'000, limit)) {
      out.push_back(std::move(record.event));
    }
    return out;
  }

  std::unique_ptr<notification::v1::NotificationService::Stub> stub() {
    return notification::v1::NotificationService::NewStub(notification_->channel());
  }

 private:
  config::PlatformConfig platform_;
  fs::path dir_;
  int ack_port_ = 0;
  std::unique_ptr<ServiceProcess> routing_;
  std::unique_ptr<ServiceProcess> notification_;
  std::unique_ptr<kafka::Producer> producer_;
};

// A case worker in Serbia, as the development authenticator reads it.
inline std::unique_ptr<grpc::ClientContext> as_case_worker() {
  rpc::Caller caller;
  caller.subject = "case-worker-1";
  caller.organisation = "rs-csw";
  caller.roles = {"case_worker"};
  caller.jurisdictions = {"RS"};
  auto context = std::make_unique<grpc::ClientContext>();
  rpc::attach_development_identity(*context, caller);
  return context;
}

// A ReferralRequested as routing publishes it: clear coarse facts, a sealed section that must never
// reach a message (its plaintext stands in for personal data), one recipient.
inline events::v1::ReferralEvent referral_requested(const std::string& case_id, const std::string& service_id,
                                                    const std::string& event_id, std::uint64_t sequence = 1,
                                                    bool exercise = false) {
  using google::protobuf::util::TimeUtil;
  events::v1::ReferralEvent event;
  event.set_event_id(event_id);
  event.set_case_id(case_id);
  event.set_sequence(sequence);
  event.set_hub("test");
  *event.mutable_occurred_at() = TimeUtil::GetCurrentTime();
  event.set_exercise(exercise);
  event.add_notify_recipient_ids(service_id);
  auto& requested = *event.mutable_referral_requested();
  auto& referral = *requested.mutable_referral();
  referral.set_referral_id(case_id + "/safe_accommodation/1");
  referral.mutable_reference_code()->set_code("RS-" + case_id.substr(case_id.size() > 4 ? case_id.size() - 4 : 0) + "-TEST");
  referral.set_kind(routing::v1::REFERRAL_KIND_SOP);
  referral.set_service_type(routing::v1::SERVICE_TYPE_SAFE_ACCOMMODATION);
  referral.set_service_id(service_id);
  referral.set_organization_id("rs-ngo");
  referral.set_status(routing::v1::REFERRAL_STATUS_REQUESTED);
  referral.set_priority(routing::v1::REFERRAL_PRIORITY_URGENT);
  referral.set_jurisdiction(common::v1::JURISDICTION_RS);
  referral.mutable_site()->set_site_id("rs-presevo-rc");
  *requested.mutable_deadlines()->mutable_acknowledge_by() = TimeUtil::GetCurrentTime() + TimeUtil::HoursToDuration(2);
  *requested.mutable_deadlines()->mutable_accept_by() = TimeUtil::GetCurrentTime() + TimeUtil::HoursToDuration(8);
  requested.mutable_case_summary()->set_jurisdiction(common::v1::JURISDICTION_RS);
  auto& sealed = *requested.add_sealed();
  sealed.set_record_type("pact.routing.v1.Referral");
  sealed.set_ciphertext(kCanary);
  return event;
}

inline events::v1::ReferralEvent delivery_cancelled(const std::string& case_id, const std::string& referral_id,
                                                    const std::string& event_id) {
  events::v1::ReferralEvent event;
  event.set_event_id(event_id);
  event.set_case_id(case_id);
  event.set_sequence(2);
  event.set_hub("test");
  *event.mutable_occurred_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
  event.mutable_delivery_cancelled()->set_referral_id(referral_id);
  event.mutable_delivery_cancelled()->set_reason(routing::v1::REFERRAL_STATUS_REASON_CONSENT_WITHDRAWN);
  return event;
}

inline std::size_t count_of(const std::vector<events::v1::NotificationEvent>& reports,
                            events::v1::NotificationEvent::EventCase kind) {
  std::size_t n = 0;
  for (const auto& report : reports) n += report.event_case() == kind ? 1 : 0;
  return n;
}

}  // namespace pact::notification::testing
