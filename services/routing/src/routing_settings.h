#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "config/config_tree.h"
#include "handoff_policy.h"
#include "sop_book.h"

namespace pact::routing {

// Routing's own configuration. SOP files are loaded while it is read, so `--check-config` reports
// every problem of every file (file:line) before a start.
struct RoutingSettings {
  std::shared_ptr<const SopBook> sop;
  std::string deadline_profile = "standard";  // "demo" for the local run: seconds, not hours
  std::string directory_file;                 // imported at start when the directory is empty
  std::string intake_address;                 // where case keys are released
  std::chrono::milliseconds key_release_timeout{2000};
  std::size_t key_cache_cases = 10000;
  bool consume_events = true;
  std::size_t consumer_threads = 2;
  std::chrono::milliseconds deadline_tick{200};
  std::chrono::milliseconds directory_refresh{1000};
  std::uint32_t max_exception_days = 30;      // longest a consent exception holds when none is given
  // Peer hubs and what a handoff carries (`routing.peers`: {hub prefix: "MK,ME @ host:port"}).
  HandoffPolicy handoffs;
  std::chrono::milliseconds handoff_retry{1000};  // first pause after a peer did not answer
};

// `served`: the hub's own jurisdictions (hub.jurisdictions).
RoutingSettings read_routing_settings(config::ConfigTree& tree, const std::vector<std::string>& served);

}  // namespace pact::routing
