#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

#include "load_runner.h"
#include "surge_tally.h"

namespace pactscenario {

struct SurgeOptions {
  std::string intake_address;
  std::string kafka_bootstrap;
  std::string hub = "pact";
  std::uint64_t arrivals = 400;
  double rate = 50;      // registrations per second
  int concurrency = 64;  // registrations in flight at most
  bool exercise = false;
  std::string run_id;  // makes the idempotency keys of this run; empty: the current time
  // After the last registration: follow the events until nothing changed for `quiet`, or `settle`
  // passed (the demo deadlines fire within a minute: reminders, re-routes, escalations).
  std::chrono::milliseconds settle{std::chrono::seconds(60)};
  std::chrono::milliseconds quiet{std::chrono::seconds(10)};
};

struct SurgeOutcome {
  SurgeFigures figures;
  pactload::LoadReport registrations;
};

// Registers `arrivals` people at `rate` through intake (the load generator's mix and runner),
// follows what the hub's events say happened to them, and reports progress on `progress` (a bar
// when `bar`, otherwise a line every two seconds; nothing when null).
SurgeOutcome run_surge(const SurgeOptions& options, std::ostream* progress, bool bar);

}  // namespace pactscenario
