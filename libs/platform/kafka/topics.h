#pragma once

#include <chrono>
#include <span>
#include <string_view>

namespace pact::kafka {

// Every topic the services use, declared once: the tests, the local run, the embedded cluster and
// the Helm topic job (through `pact-admin topics`) all read this table. Names get the hub prefix.
struct TopicSpec {
  std::string_view name;  // without the hub prefix
  int partitions;
  std::chrono::hours retention;
  std::string_view purpose;
};

namespace topic {
inline constexpr std::string_view kCase = "pact.case.v1";
inline constexpr std::string_view kScreening = "pact.screening.v1";
inline constexpr std::string_view kReferral = "pact.referral.v1";
inline constexpr std::string_view kNotification = "pact.notification.v1";
inline constexpr std::string_view kDeadLetter = "pact.deadletter.v1";
inline constexpr std::string_view kDiagnostics = "pact.diagnostics.v1";
inline constexpr std::string_view kAudit = "pact.audit.v1";
inline constexpr std::string_view kAlert = "pact.alert.v1";
}  // namespace topic

std::span<const TopicSpec> declared_topics();
const TopicSpec* find_topic(std::string_view name);

}  // namespace pact::kafka
