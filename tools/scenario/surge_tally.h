#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "kafka/topic_follower.h"

namespace pactscenario {

using FollowedRecord = pact::kafka::FollowedRecord;

// What a surge led to, as its events tell it. Only the cases this run registered count, so the
// same tally works against a broker that carries other traffic.
struct SurgeFigures {
  std::uint64_t registered = 0;
  std::uint64_t registration_errors = 0;
  std::uint64_t screened = 0;
  std::map<std::string, std::uint64_t> cases_by_level;  // latest assessment of each case
  std::uint64_t children = 0;
  std::uint64_t unaccompanied_or_separated = 0;
  std::uint64_t urgent_medical = 0;
  std::uint64_t cases_with_referral = 0;
  std::uint64_t referral_attempts = 0;
  std::map<std::string, std::map<std::string, std::uint64_t>> referrals;  // service type -> status -> count
  std::uint64_t reroutes = 0;
  std::uint64_t reminders = 0;
  std::map<std::string, std::uint64_t> escalations_by_level;
  std::uint64_t handoffs_offered = 0;
  std::uint64_t handoffs_accepted = 0;
  std::uint64_t handoffs_declined = 0;
  std::uint64_t deliveries_sent = 0;
  std::uint64_t delivered = 0;
  std::uint64_t delivery_failures = 0;
  std::uint64_t acknowledged = 0;
  std::map<std::string, std::uint64_t> delivered_by_kind;
  // Registration sent -> the first referral (to a provider, or escalated to a coordination desk
  // when no provider was eligible) delivered, per case.
  std::uint64_t cases_reached = 0;
  std::vector<double> end_to_end_ms;  // sorted
  // Cases reached per second, from the first registration sent to the last case reached: the
  // surge's end-to-end throughput.
  double reached_per_second = 0;
  double percentile_ms(double q) const;
  std::uint64_t escalations() const;
  std::uint64_t referrals_in(const std::string& status) const;
};

// Builds SurgeFigures from the hub's events (fed by a TopicFollower) and the registrations the
// surge made. Events may arrive before the registration's answer; duplicates count once.
class SurgeTally {
 public:
  void registration_sent(const std::string& case_id, std::chrono::system_clock::time_point sent_at);
  void registration_failed();
  void observe(const FollowedRecord& record);
  SurgeFigures figures() const;

 private:
  struct CaseProgress {
    bool registered = false;
    std::int64_t sent_at_ms = 0;
    std::int64_t first_delivered_ms = 0;
    std::string level;
    bool screened = false;
    bool child = false;
    bool unaccompanied_or_separated = false;
    bool urgent_medical = false;
    std::uint64_t referral_attempts = 0;
    std::uint64_t reroutes = 0;
    std::uint64_t reminders = 0;
    std::vector<std::string> escalation_levels;
    std::uint64_t handoffs_offered = 0, handoffs_accepted = 0, handoffs_declined = 0;
    std::uint64_t sent = 0, delivered = 0, failed = 0, acknowledged = 0;
    std::map<std::string, std::uint64_t> delivered_by_kind;
  };
  struct ReferralProgress {
    std::string case_id;
    std::string service_type;
    std::string status;
  };
  void observe_screening(const std::string& value);
  void observe_referral(const std::string& value);
  void observe_notification(const std::string& value);
  bool first_time(const std::string& event_id);

  mutable std::mutex mutex_;
  std::uint64_t registration_errors_ = 0;
  std::unordered_map<std::string, CaseProgress> cases_;
  std::unordered_map<std::string, ReferralProgress> referrals_;
  std::unordered_set<std::string> seen_events_;
};

// "REFERRAL_STATUS_ACCEPTED" -> "accepted": enum names as an operator reads them.
std::string readable_enum(const std::string& name, const std::string& prefix);

}  // namespace pactscenario
