#include "routing_settings.h"

#include <algorithm>
#include <filesystem>
#include <optional>

#include "sop_loader.h"
#include "vocabulary.h"

namespace pact::routing {

namespace {

std::optional<common::Jurisdiction> jurisdiction_named(const std::string& code) {
  for (const auto& [name, value] : vocabulary::kJurisdictions) {
    if (name == code) return value;
  }
  return std::nullopt;
}

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// "MK,ME @ host:port"
void read_peers(config::ConfigTree& tree, HandoffPolicy& policy) {
  for (const auto& [hub, value] : tree.text_map("routing.peers")) {
    const auto at = value.find('@');
    PeerHub peer{hub, {}, at == std::string::npos ? "" : trimmed(value.substr(at + 1))};
    std::string list = at == std::string::npos ? value : value.substr(0, at);
    for (std::size_t start = 0; start <= list.size();) {
      const auto comma = std::min(list.find(',', start), list.size());
      const std::string code = trimmed(list.substr(start, comma - start));
      if (auto jurisdiction = jurisdiction_named(code)) {
        if (policy.serves(*jurisdiction)) {
          tree.reject("routing.peers." + hub, code + " is served by this hub itself");
        } else {
          peer.jurisdictions.push_back(*jurisdiction);
        }
      } else {
        tree.reject("routing.peers." + hub, "'" + code + "' is not one of AL, BA, XK, ME, MK, RS");
      }
      start = comma + 1;
    }
    if (peer.address.empty() || peer.address.find(':') == std::string::npos) {
      tree.reject("routing.peers." + hub, "write it as \"MK,ME @ host:port\" (the peer's routing address)");
    }
    policy.peers.push_back(std::move(peer));
  }
}

}  // namespace

RoutingSettings read_routing_settings(config::ConfigTree& tree, const std::vector<std::string>& served) {
  RoutingSettings settings;
  for (const auto& code : served) {
    if (auto jurisdiction = jurisdiction_named(code)) settings.handoffs.served.push_back(*jurisdiction);
  }
  read_peers(tree, settings.handoffs);
  settings.handoffs.answer_timeout = std::chrono::duration_cast<std::chrono::seconds>(
      tree.duration("routing.handoff_answer_timeout", std::chrono::hours(2)));
  settings.handoff_retry = tree.duration("routing.handoff_retry", std::chrono::seconds(1));
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
