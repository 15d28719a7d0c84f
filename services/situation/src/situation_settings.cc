#include "situation_settings.h"

#include <filesystem>

#include "pact/routing/v1/directory.pb.h"

namespace pact::situation {

SituationSettings read_situation_settings(config::ConfigTree& tree, const std::string& hub) {
  SituationSettings settings;
  settings.view.hub = hub;
  settings.view.suppression_threshold =
      static_cast<std::uint32_t>(tree.integer("situation.suppress_below", 5, 0, 1000));
  const auto bucket = tree.duration("situation.timeline_bucket", std::chrono::minutes(15));
  if (bucket < std::chrono::seconds(1)) tree.reject("situation.timeline_bucket", "must be at least 1s");
  settings.view.timeline_bucket = std::chrono::duration_cast<std::chrono::seconds>(bucket);
  settings.view.timeline_buckets = static_cast<int>(tree.integer("situation.timeline_buckets", 48, 1, 1000));
  settings.view.action_list_limit = static_cast<int>(tree.integer("situation.action_list_limit", 200, 1, 100000));
  settings.push_interval = tree.duration("situation.push_interval", std::chrono::seconds(1));
  settings.idle_push_interval = tree.duration("situation.idle_push_interval", std::chrono::seconds(5));
  settings.snapshot_interval = tree.duration("situation.snapshot_interval", std::chrono::seconds(5));
  settings.console_listen = tree.text("situation.console.listen", std::string("127.0.0.1:8080"));
  // The page built next to the binary by default; a configured directory must hold it.
  const bool configured = tree.has("situation.console.directory");
  settings.console_dir = tree.text("situation.console.directory", std::string(PACT_CONSOLE_DIR));
  const bool built = std::filesystem::exists(std::filesystem::path(settings.console_dir) / "index.html");
  if (configured && !settings.console_dir.empty() && !built) {
    tree.reject("situation.console.directory", "no index.html in " + settings.console_dir + " (build it: web/console)");
  }
  if (!configured && !built) settings.console_dir.clear();  // the API only; main logs it
  settings.console_max_streams =
      static_cast<std::size_t>(tree.integer("situation.console.max_streams", 64, 1, 10000));
  settings.console_secure_cookie = tree.boolean("situation.console.secure_cookie", true);

  AlertThresholds& alerts = settings.alerts;
  alerts.capacity_rule = tree.boolean("situation.alerts.capacity_exhausted", true);
  alerts.capacity_free_at_or_below =
      static_cast<std::uint32_t>(tree.integer("situation.alerts.capacity_free_at_or_below", 0, 0, 100000));
  alerts.capacity_service_types =
      tree.text_list("situation.alerts.capacity_service_types", std::vector<std::string>{"safe_accommodation"});
  for (auto& type : alerts.capacity_service_types) {
    std::string name = "SERVICE_TYPE_";
    for (char c : type) name += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    routing::v1::ServiceType parsed{};
    if (!routing::v1::ServiceType_Parse(name, &parsed)) {
      tree.reject("situation.alerts.capacity_service_types", "unknown service type " + type);
    }
    type = name;
  }
  alerts.escalations_above = static_cast<std::uint32_t>(tree.integer("situation.alerts.escalations_above", 5, 0, 100000));
  alerts.unacknowledged_referrals =
      static_cast<std::uint32_t>(tree.integer("situation.alerts.unacknowledged_referrals", 3, 0, 100000));
  alerts.clear_after = tree.duration("situation.alerts.clear_after", std::chrono::minutes(5));
  alerts.check_interval = tree.duration("situation.alerts.check_interval", std::chrono::seconds(5));
  alerts.sender = tree.text("situation.alerts.sender", "situation@" + hub + ".pact");
  if (alerts.sender.find_first_of(" ,<&") != std::string::npos) {
    tree.reject("situation.alerts.sender", "a CAP sender has no spaces, commas, '<' or '&'");
  }
  alerts.sender_name = tree.text("situation.alerts.sender_name", alerts.sender_name);
  return settings;
}

}  // namespace pact::situation
