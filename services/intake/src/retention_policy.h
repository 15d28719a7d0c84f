#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "config/config_tree.h"
#include "pact/intake/v1/intake.pb.h"

namespace pact::intake {

// The classes of case data a retention period is set for. A case is in exactly one class, decided
// from its clear summary, and its period runs from its last change (closing a case is a change).
enum class DataClass {
  exercise_case,      // recorded during an exercise (drill): never a real person's case
  closed_case,        // closed by a case worker
  closed_child_case,  // closed, and the person is or may be a child (child-protection files are kept longer)
  open_case,          // still open: a person closes it; software does not decide that assistance ended
  erased_case,        // already erased: only the tombstone is left, and it is kept
};

std::string_view data_class_name(DataClass data_class);
DataClass data_class_of(const v1::CaseSummary& summary);

// How long each class is kept after its last change; no value means "until a person erases it".
// Set by the hub's data-protection officer from national law (docs/security.md, "Retention").
struct RetentionPolicy {
  std::optional<std::chrono::milliseconds> exercise_case = std::chrono::hours(24 * 30);
  std::optional<std::chrono::milliseconds> closed_case = std::chrono::hours(24 * 730);
  std::optional<std::chrono::milliseconds> closed_child_case = std::chrono::hours(24 * 3650);
  std::optional<std::chrono::milliseconds> open_case;
  // How often intake looks for expired cases, and how many it examines per Redis round trip.
  std::chrono::milliseconds sweep_interval = std::chrono::hours(1);
  std::size_t batch = 200;

  std::optional<std::chrono::milliseconds> period_of(DataClass data_class) const;
  // The shortest period set, below which no case can be due; none: nothing is ever due.
  std::optional<std::chrono::milliseconds> shortest_period() const;
};

// When the case's personal data is due for erasure, or nothing when its class is kept.
std::optional<std::chrono::system_clock::time_point> erasure_due(const v1::CaseSummary& summary,
                                                                 const RetentionPolicy& policy);

// Reads intake.retention.{exercise_cases, closed_cases, closed_child_cases, open_cases} (a
// duration, or "never"), sweep_interval and batch.
RetentionPolicy read_retention_policy(config::ConfigTree& tree);

}  // namespace pact::intake
