#include "retention_policy.h"

#include <algorithm>
#include <string>

#include <google/protobuf/util/time_util.h>

namespace pact::intake {
namespace {

// Children are protected first: a closed case is a child's unless the record positively shows an
// adult (an age or estimate of 18 or more, or an adult age band), and anything pointing to a child
// (presumed minor, a child's flag, unaccompanied or separated, an age or estimate under 18) wins.
bool is_or_may_be_child(const v1::CaseSummary& summary) {
  const common::v1::Age& age = summary.age();
  const screening::v1::Flags& flags = summary.reported_flags();
  if (flags.presumed_child() || flags.unaccompanied_or_separated() || age.presumed_minor()) return true;
  if (summary.companion_status() == common::v1::COMPANION_STATUS_UNACCOMPANIED ||
      summary.companion_status() == common::v1::COMPANION_STATUS_SEPARATED) {
    return true;
  }
  if (age.band() == common::v1::AGE_BAND_0_8 || age.band() == common::v1::AGE_BAND_9_17) return true;
  if ((age.has_years() && age.years() < 18) || (age.has_estimate_min_years() && age.estimate_min_years() < 18)) {
    return true;
  }
  const bool adult_band = age.band() >= common::v1::AGE_BAND_18_20 && age.band() <= common::v1::AGE_BAND_48_PLUS;
  return !(adult_band || (age.has_years() && age.years() >= 18) ||
           (age.has_estimate_min_years() && age.estimate_min_years() >= 18));
}

std::optional<std::chrono::milliseconds> read_period(config::ConfigTree& tree, const std::string& path,
                                                     std::optional<std::chrono::milliseconds> fallback) {
  if (!tree.has(path)) return fallback;
  if (tree.text(path) == "never") return std::nullopt;
  const auto period = tree.duration(path, fallback.value_or(std::chrono::milliseconds(0)));
  if (period <= std::chrono::milliseconds(0)) {
    tree.reject(path, "must be a positive duration such as 30d, or never");
    return fallback;
  }
  return period;
}

}  // namespace

std::string_view data_class_name(DataClass data_class) {
  switch (data_class) {
    case DataClass::exercise_case: return "exercise_case";
    case DataClass::closed_case: return "closed_case";
    case DataClass::closed_child_case: return "closed_child_case";
    case DataClass::open_case: return "open_case";
    case DataClass::erased_case: return "erased_case";
  }
  return "unknown";
}

DataClass data_class_of(const v1::CaseSummary& summary) {
  if (summary.status() == v1::CASE_STATUS_ERASED) return DataClass::erased_case;
  if (summary.exercise()) return DataClass::exercise_case;
  if (summary.status() != v1::CASE_STATUS_CLOSED) return DataClass::open_case;
  return is_or_may_be_child(summary) ? DataClass::closed_child_case : DataClass::closed_case;
}

std::optional<std::chrono::milliseconds> RetentionPolicy::period_of(DataClass data_class) const {
  switch (data_class) {
    case DataClass::exercise_case: return exercise_case;
    case DataClass::closed_case: return closed_case;
    case DataClass::closed_child_case: return closed_child_case;
    case DataClass::open_case: return open_case;
    case DataClass::erased_case: return std::nullopt;
  }
  return std::nullopt;
}

std::optional<std::chrono::milliseconds> RetentionPolicy::shortest_period() const {
  std::optional<std::chrono::milliseconds> shortest;
  for (const auto& period : {exercise_case, closed_case, closed_child_case, open_case}) {
    if (period && (!shortest || *period < *shortest)) shortest = period;
  }
  return shortest;
}

std::optional<std::chrono::system_clock::time_point> erasure_due(const v1::CaseSummary& summary,
                                                                 const RetentionPolicy& policy) {
  const auto period = policy.period_of(data_class_of(summary));
  if (!period) return std::nullopt;
  // A summary without a change time (older data) counts from its registration.
  const auto& changed = summary.has_updated_at() ? summary.updated_at() : summary.created_at();
  const auto changed_ms = google::protobuf::util::TimeUtil::TimestampToMilliseconds(changed);
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(changed_ms) + *period);
}

RetentionPolicy read_retention_policy(config::ConfigTree& tree) {
  RetentionPolicy policy;
  policy.exercise_case = read_period(tree, "intake.retention.exercise_cases", policy.exercise_case);
  policy.closed_case = read_period(tree, "intake.retention.closed_cases", policy.closed_case);
  policy.closed_child_case = read_period(tree, "intake.retention.closed_child_cases", policy.closed_child_case);
  policy.open_case = read_period(tree, "intake.retention.open_cases", policy.open_case);
  policy.sweep_interval = tree.duration("intake.retention.sweep_interval", policy.sweep_interval);
  if (policy.sweep_interval < std::chrono::milliseconds(10)) {
    tree.reject("intake.retention.sweep_interval", "must be at least 10ms");
  }
  policy.batch = static_cast<std::size_t>(tree.integer("intake.retention.batch", 200, 1, 10000));
  return policy;
}

}  // namespace pact::intake
