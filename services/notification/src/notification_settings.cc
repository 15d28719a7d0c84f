#include "notification_settings.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace pact::notification {
namespace {

std::string file_text(config::ConfigTree& tree, const std::string& path) {
  const std::string file = tree.text(path, std::string());
  if (file.empty()) return {};
  std::ifstream in(file);
  if (!in) {
    tree.reject(path, "cannot read " + file);
    return {};
  }
  std::stringstream text;
  text << in.rdbuf();
  std::string value = text.str();
  while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
  return value;
}

DeliveryPolicy read_policy(config::ConfigTree& tree) {
  DeliveryPolicy policy;
  policy.max_attempts = static_cast<std::uint32_t>(tree.integer("notification.delivery.max_attempts", 8, 1, 100));
  policy.first_retry = tree.duration("notification.delivery.first_retry", std::chrono::seconds(2));
  policy.max_retry = tree.duration("notification.delivery.max_retry", std::chrono::minutes(5));
  policy.request_timeout = tree.duration("notification.delivery.request_timeout", std::chrono::seconds(10));
  policy.connect_timeout = tree.duration("notification.delivery.connect_timeout", std::chrono::seconds(3));
  policy.per_endpoint_concurrency =
      static_cast<std::size_t>(tree.integer("notification.delivery.per_endpoint_concurrency", 8, 1, 1024));
  policy.circuit_failures =
      static_cast<std::uint32_t>(tree.integer("notification.delivery.circuit_failures", 5, 1, 1000));
  policy.circuit_open_for = tree.duration("notification.delivery.circuit_open_for", std::chrono::seconds(30));
  policy.claim_lease = tree.duration("notification.delivery.claim_lease", std::chrono::minutes(1));
  policy.tick = tree.duration("notification.delivery.tick", std::chrono::milliseconds(20));
  if (policy.first_retry > policy.max_retry) {
    tree.reject("notification.delivery.first_retry", "must not be longer than max_retry");
  }
  if (policy.claim_lease <= policy.request_timeout + policy.connect_timeout) {
    tree.reject("notification.delivery.claim_lease",
                "must be longer than request_timeout + connect_timeout, or a slow attempt is sent twice");
  }
  return policy;
}

}  // namespace

NotificationSettings read_notification_settings(config::ConfigTree& tree) {
  NotificationSettings settings;
  settings.directory_address = tree.text("notification.directory_address");
  settings.directory_refresh = tree.duration("notification.directory_refresh", std::chrono::seconds(30));
  settings.templates_dir =
      tree.text("notification.templates_dir", std::string(PACT_REFERENCE_DIR) + "/notification/templates");
  settings.secrets_dir = tree.text("notification.secrets_dir", std::string());
  if (!settings.secrets_dir.empty() && !std::filesystem::is_directory(settings.secrets_dir)) {
    tree.reject("notification.secrets_dir", "no such directory: " + settings.secrets_dir);
  }
  const std::string ack_key_file = tree.text("notification.ack_key_file");
  try {
    settings.ack_key = crypto::SecretKey::from_file(ack_key_file);
  } catch (const std::exception& e) {
    tree.reject("notification.ack_key_file", e.what());
  }
  settings.ack_base_url = tree.text("notification.ack_base_url");
  if (settings.ack_base_url.rfind("http://", 0) != 0 && settings.ack_base_url.rfind("https://", 0) != 0) {
    tree.reject("notification.ack_base_url", "must be an http:// or https:// URL");
  }
  while (!settings.ack_base_url.empty() && settings.ack_base_url.back() == '/') settings.ack_base_url.pop_back();
  settings.ack_listen = tree.text("notification.ack_listen", std::string());
  settings.consume_events = tree.boolean("notification.consume_events", true);
  settings.consumer_threads = static_cast<std::size_t>(tree.integer("notification.consumer_threads", 4, 1, 64));
  settings.delivery = read_policy(tree);

  settings.email.smtp_url = tree.text("notification.email.smtp_url", std::string());
  settings.email.starttls = tree.boolean("notification.email.starttls", true);
  settings.email.from = tree.text("notification.email.from", std::string("pact-notification@pact.invalid"));
  settings.email.username = tree.text("notification.email.username", std::string());
  settings.email.password = file_text(tree, "notification.email.password_file");
  settings.email.message_id_domain = tree.text("notification.email.message_id_domain", std::string("pact.invalid"));
  if (!settings.email.smtp_url.empty() && settings.email.smtp_url.rfind("smtp://", 0) != 0 &&
      settings.email.smtp_url.rfind("smtps://", 0) != 0) {
    tree.reject("notification.email.smtp_url", "must be smtp://host:port or smtps://host:port");
  }
  if (!settings.email.username.empty() && settings.email.smtp_url.rfind("smtp://", 0) == 0 && !settings.email.starttls) {
    tree.reject("notification.email.starttls", "a password must not go to the relay in clear: turn STARTTLS on or use smtps://");
  }

  settings.sms.url_template = tree.text("notification.sms.url", std::string());
  settings.sms.method = tree.text("notification.sms.method", std::string("POST"));
  settings.sms.header_templates = tree.text_list("notification.sms.headers", std::vector<std::string>{});
  settings.sms.body_template = tree.text("notification.sms.body", std::string());
  settings.sms_sender = tree.text("notification.sms.sender", std::string("PaCT"));
  if (!settings.sms.url_template.empty()) {
    for (const auto& problem : sms_config_problems(settings.sms)) tree.reject("notification.sms", problem);
  }

  settings.tls.ca_file = tree.text("notification.tls.ca_file", std::string());
  settings.tls.verify_peer = tree.boolean("notification.tls.verify_peer", true);

  try {
    // Every problem of every file, before a start (`--check-config` too).
    settings.templates = std::make_shared<const MessageTemplates>(load_message_templates(settings.templates_dir));
  } catch (const std::exception& e) {
    tree.reject("notification.templates_dir", e.what());
  }
  return settings;
}

}  // namespace pact::notification
