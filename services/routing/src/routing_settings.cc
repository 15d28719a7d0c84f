#include "routing_settings.h"

#include <filesystem>

#include "sop_loader.h"

namespace pact::routing {

RoutingSettings read_routing_settings(config::ConfigTree& tree) {
  RoutingSettings settings;
  const std::string sop_dir = tree.text("routing.sop_dir", std::string(PACT_REFERENCE_DIR) + "/routing/sop");
  settings.deadline_profile = tree.text("routing.deadline_profile", std::string("standard"));
  settings.directory_file = tree.text("routing.directory_file", std::string());
  settings.intake_address = tree.text("routing.intake_address");
  settings.key_release_timeout = tree.duration("routing.key_release_timeout", std::chrono::seconds(2));
  settings.key_cache_cases = static_cast<std::size_t>(tree.integer("routing.key_cache_cases", 10000, 1, 10000000));
  settings.consume_events = tree.boolean("routing.consume_events", true);
  settings.consumer_threads = static_cast<std::size_t>(tree.integer("routing.consumer_threads", 2, 1, 64));
  settings.deadline_tick = tree.duration("routing.deadline_tick", std::chrono::milliseconds(200));
  settings.directory_refresh = tree.duration("routing.directory_refresh", std::chrono::seconds(1));
  settings.max_exception_days = static_cast<std::uint32_t>(tree.integer("routing.max_exception_days", 30, 1, 365));
  try {
    settings.sop = std::make_shared<const SopBook>(SopBook::build(load_sop_dir(sop_dir)));
    if (!settings.sop->has_profile(settings.deadline_profile)) {
      tree.reject("routing.deadline_profile", "the SOP files define no deadline profile '" + settings.deadline_profile + "'");
    }
  } catch (const SopError& e) {
    for (const auto& problem : e.problems()) tree.reject("routing.sop_dir", problem);
  }
  if (!settings.directory_file.empty() && !std::filesystem::exists(settings.directory_file)) {
    tree.reject("routing.directory_file", "no such file: " + settings.directory_file);
  }
  return settings;
}

}  // namespace pact::routing
