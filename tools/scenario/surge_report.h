#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "load_runner.h"
#include "surge_tally.h"

namespace pactscenario {

// The end-of-run summary an EOC duty officer reads: cases by level, referrals by service type and
// status, deliveries, re-routes, escalations, handoffs and end-to-end latency.
std::string format_summary(const SurgeFigures& figures, const pactload::LoadReport& registrations);
// The same figures for scripts and tests (`--json`).
nlohmann::json summary_json(const SurgeFigures& figures, const pactload::LoadReport& registrations);

// One line of progress: a bar on a terminal, redrawn in place; a plain line otherwise.
std::string progress_line(const SurgeFigures& figures, std::uint64_t planned, double seconds, bool bar);

}  // namespace pactscenario
