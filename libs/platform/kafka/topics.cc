#include "kafka/topics.h"

#include <array>

namespace pact::kafka {
namespace {

using std::chrono::hours;
constexpr hours kDays(int days) { return hours(24 * days); }

// Partitions bound how far one service scales out during a surge (one consumer per partition);
// 12 covers the surge ceiling on the sizes in the operations guide. Retention is long enough for the
// situation read model to rebuild from the topics; erasure never depends on it (crypto-shredding).
constexpr std::array kTopics = {
    TopicSpec{topic::kCase, 12, kDays(30), "case events from intake, in order per case"},
    TopicSpec{topic::kScreening, 12, kDays(30), "one assessment per case event, with the case snapshot"},
    TopicSpec{topic::kReferral, 12, kDays(30), "referral lifecycle, deadlines, escalations, handoffs"},
    TopicSpec{topic::kNotification, 12, kDays(30), "deliveries and acknowledgements reported back to routing"},
    TopicSpec{topic::kDeadLetter, 3, kDays(30), "records a consumer could not handle, with the reason"},
    TopicSpec{topic::kDiagnostics, 3, kDays(1), "platform end-to-end check probes"},
    // Oversight looks back years, not weeks; the records name staff, never the person.
    TopicSpec{topic::kAudit, 6, kDays(3 * 365), "who read, released or changed what of which case, and why"},
    // CAP 1.2 documents for EOC systems; an after-action review reads a season back.
    TopicSpec{topic::kAlert, 3, kDays(365), "CAP 1.2 alerts from the situation read model (Alert, Update, Cancel)"},
};

}  // namespace

std::span<const TopicSpec> declared_topics() { return kTopics; }

const TopicSpec* find_topic(std::string_view name) {
  for (const auto& spec : kTopics) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

}  // namespace pact::kafka
