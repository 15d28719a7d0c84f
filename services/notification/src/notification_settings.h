#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/config_tree.h"
#include "crypto/secret_key.h"
#include "message_templates.h"
#include "sms_gateway.h"

namespace pact::notification {

// How hard notification tries before it gives a message up, and how it spares endpoints.
struct DeliveryPolicy {
  std::uint32_t max_attempts = 8;                 // then dead-lettered, NotificationFailed
  std::chrono::milliseconds first_retry{2000};    // doubles each attempt, with jitter
  std::chrono::milliseconds max_retry{300000};
  std::chrono::milliseconds request_timeout{10000};
  std::chrono::milliseconds connect_timeout{3000};
  std::size_t per_endpoint_concurrency = 8;       // attempts in flight to one endpoint
  std::uint32_t circuit_failures = 5;             // consecutive failures that open an endpoint's circuit
  std::chrono::milliseconds circuit_open_for{30000};
  std::chrono::milliseconds claim_lease{60000};   // a crashed worker's claims are due again after this
  std::chrono::milliseconds tick{20};             // how often due work is looked for when idle
};

struct EmailSettings {
  std::string smtp_url;  // smtp://host:587 (STARTTLS when `starttls`) or smtps://host:465; empty: no e-mail
  bool starttls = true;
  std::string from;      // envelope and header sender
  std::string username;
  std::string password;  // from `password_file`
  std::string message_id_domain = "pact.invalid";
};

struct TlsSettings {
  std::string ca_file;      // empty: the system's trust store
  bool verify_peer = true;  // false only for local development receivers
};

// Notification's own configuration (the `notification` section).
struct NotificationSettings {
  std::string directory_address;  // routing's DirectoryService
  std::chrono::milliseconds directory_refresh{30000};
  std::string templates_dir;
  std::shared_ptr<const MessageTemplates> templates;  // loaded while the settings are read
  std::string secrets_dir;        // one file per webhook signing secret id (a mounted Secret)
  crypto::SecretKey ack_key;      // signs acknowledgement tokens
  std::string ack_base_url;       // public base of ack links, e.g. https://hub.example/notify
  std::string ack_listen;         // host:port of the ack link page; empty: no page
  bool consume_events = true;
  std::size_t consumer_threads = 4;  // Kafka consumers of pact.referral.v1 in this process (one group)
  DeliveryPolicy delivery;
  EmailSettings email;
  SmsGatewayConfig sms;           // url_template empty: no SMS
  std::string sms_sender = "PaCT";
  TlsSettings tls;
};

NotificationSettings read_notification_settings(config::ConfigTree& tree);

}  // namespace pact::notification
