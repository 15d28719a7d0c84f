#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "config/config_tree.h"
#include "situation_view.h"

namespace pact::situation {

// When a CAP alert is raised (config `situation.alerts`). A threshold of 0 turns its rule off.
struct AlertThresholds {
  // A tracked provider of these service types with this many places free or fewer: "capacity exhausted".
  std::vector<std::string> capacity_service_types{"SERVICE_TYPE_SAFE_ACCOMMODATION"};
  std::uint32_t capacity_free_at_or_below = 0;
  bool capacity_rule = true;
  // More open escalations than this in one jurisdiction.
  std::uint32_t escalations_above = 5;
  // A provider with at least this many referrals overdue for acknowledgement: "not acknowledging".
  std::uint32_t unacknowledged_referrals = 3;
  // A condition that stopped holding is cancelled after this long (no flapping on every event).
  std::chrono::milliseconds clear_after{std::chrono::minutes(5)};
  // How often the thresholds are checked: each check builds both pictures of the whole hub (about
  // 0.3 s at 100,000 cases on one core), so not on every tick.
  std::chrono::milliseconds check_interval{std::chrono::seconds(5)};
  // CAP sender (no spaces or commas) and senderName.
  std::string sender;
  std::string sender_name = "PaCT Referral Hub situation service";
};

struct SituationSettings {
  ViewSettings view;
  AlertThresholds alerts;
  // Pages and streams get a new picture at most this often while events arrive ...
  std::chrono::milliseconds push_interval{std::chrono::seconds(1)};
  // ... and at least this often when none do (deadlines pass without events; doubles as heartbeat).
  std::chrono::milliseconds idle_push_interval{std::chrono::seconds(5)};
  std::chrono::milliseconds snapshot_interval{std::chrono::seconds(5)};
  // The console (HTTP/JSON, server-sent events and the web page).
  std::string console_listen = "127.0.0.1:8080";
  std::string console_dir;
  std::size_t console_max_streams = 64;
  // Secure cookies (the console is served over HTTPS, directly or behind an ingress).
  bool console_secure_cookie = true;
};

// Reads the `situation` section; problems are recorded in the tree.
SituationSettings read_situation_settings(config::ConfigTree& tree, const std::string& hub);

}  // namespace pact::situation
