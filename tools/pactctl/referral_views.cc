#include "referral_views.h"

#include "case_views.h"
#include "proto_text.h"
#include "table.h"

namespace pactctl {
namespace {

namespace routing = pact::routing::v1;
namespace common = pact::common::v1;

std::string time_and_distance(const google::protobuf::Timestamp& time) {
  const std::string at = format_time(time);
  return at.empty() ? at : at + " (" + relative_to_now(time) + ")";
}

std::string service_text(const routing::Referral& referral) {
  std::string out = referral.service_id();
  if (referral.kind() == routing::REFERRAL_KIND_ESCALATION) {
    out += " [escalation: " + words(label(referral.escalation_level())) + "]";
  }
  return out;
}

std::string overdue_text(const routing::Referral& referral) {
  if (!referral.overdue()) return "";
  return referral.overdue_deadline() == routing::DEADLINE_KIND_UNSPECIFIED ? "yes" : label(referral.overdue_deadline());
}

std::string status_text(const routing::Referral& referral) {
  std::string out = label(referral.status());
  if (referral.status_reason() != routing::REFERRAL_STATUS_REASON_UNSPECIFIED) {
    out += " (" + label(referral.status_reason()) + ")";
  }
  return out + (referral.exercise() ? " [drill]" : "");
}

}  // namespace

std::string due_text(const routing::Referral& referral) {
  switch (referral.status()) {
    case routing::REFERRAL_STATUS_REQUESTED: return time_and_distance(referral.deadlines().acknowledge_by());
    case routing::REFERRAL_STATUS_RECEIVED: return time_and_distance(referral.deadlines().accept_by());
    default: return "";
  }
}

void print_referrals(std::ostream& out, const google::protobuf::RepeatedPtrField<routing::Referral>& referrals,
                     const std::string& indent) {
  Table table({indent + "REFERRAL ID", "REFERENCE", "NEED", "TRY", "SERVICE", "STATUS", "PRIORITY", "DUE", "OVERDUE"});
  for (const auto& referral : referrals) {
    table.add({indent + referral.referral_id(), referral.reference_code().code(), label(referral.attempt_id().need_type()),
               std::to_string(referral.attempt_id().attempt()), service_text(referral), status_text(referral),
               label(referral.priority()), due_text(referral), overdue_text(referral)});
  }
  table.print(out);
}

void print_referral(std::ostream& out, const routing::Referral& referral) {
  const auto& summary = referral.case_summary();
  std::string rule = referral.rule().sop_id();
  if (!rule.empty()) rule += "@" + referral.rule().sop_version() + " rule " + referral.rule().rule_id();
  std::string basis = words(label(referral.sharing_basis().kind()));
  if (!referral.sharing_basis().consent_scopes().empty()) {
    basis += " (" + labels<common::ConsentScope>(referral.sharing_basis().consent_scopes()) + ")";
  }
  if (!referral.sharing_basis().decision_id().empty()) basis += " (decision " + referral.sharing_basis().decision_id() + ")";
  std::string location;
  if (referral.has_service_location()) {
    location = referral.service_location().address();
    if (!referral.service_location().municipality().empty()) location += ", " + referral.service_location().municipality();
  }

  out << "referral " << referral.reference_code().code() << "  " << status_text(referral) << '\n';
  print_fields(out,
               {
                   {"referral id", referral.referral_id()},
                   {"case", summary.case_id() + (summary.reference_code().code().empty()
                                                     ? ""
                                                     : " (" + summary.reference_code().code() + ")")},
                   {"need", label(referral.attempt_id().need_type()) + ", attempt " +
                                std::to_string(referral.attempt_id().attempt())},
                   {"kind", words(label(referral.kind()))},
                   {"escalation", referral.kind() == routing::REFERRAL_KIND_ESCALATION
                                      ? words(label(referral.escalation_level())) + ": " +
                                            words(label(referral.escalation_reason()))
                                      : ""},
                   {"service", referral.service_id() + " (" + label(referral.service_type()) + ")"},
                   {"organisation", referral.organization_id()},
                   {"location", location},
                   {"priority", label(referral.priority())},
                   {"site", site_text(summary.site())},
                   {"age", age_text(summary.age())},
                   {"languages", joined(summary.languages())},
                   {"recommendation", words(label(referral.recommendation_type()))},
                   {"sop rule", rule},
                   {"sharing basis", basis},
                   {"may read", labels<common::DataCategory>(referral.shared_data())},
                   {"acknowledge by", time_and_distance(referral.deadlines().acknowledge_by())},
                   {"accept by", time_and_distance(referral.deadlines().accept_by())},
                   {"overdue", overdue_text(referral)},
                   {"replaces", referral.previous_referral_id()},
                   {"handoff", referral.handoff_id()},
                   {"created", format_time(referral.created_at())},
                   {"updated", format_time(referral.updated_at())},
               },
               "  ");
  if (referral.history().empty()) return;
  out << "  history\n";
  Table history({"    WHEN", "FROM", "TO", "REASON", "BY"});
  for (const auto& change : referral.history()) {
    history.add({"    " + format_time(change.changed_at()), label(change.from_status()), label(change.to_status()),
                 label(change.reason()), change.changed_by_subject().empty() ? "routing" : change.changed_by_subject()});
  }
  history.print(out);
}

void print_decision(std::ostream& out, const routing::Decision& decision) {
  std::string reflection;
  if (decision.has_reflection_period_start()) {
    reflection = format_time(decision.reflection_period_start()) + " to " + format_time(decision.reflection_period_end()) +
                 " (no removal before its end)";
  }
  out << "decision " << decision.decision_id() << (decision.exercise() ? "  [drill]" : "") << '\n';
  print_fields(out,
               {
                   {"case", decision.case_id()},
                   {"type", words(label(decision.type()))},
                   {"outcome", label(decision.outcome())},
                   {"decided by", decision.decided_by().display_name() + " (" + decision.decided_by().subject() + ")"},
                   {"for", decision.authority_organization_id()},
                   {"decided", format_time(decision.decided_at())},
                   {"recorded", format_time(decision.recorded_at()) + " by " + decision.recorded_by_subject()},
                   {"reflection period", reflection},
                   {"stands in for", labels<common::ConsentScope>(decision.exception_scopes())},
                   {"allows sharing", labels<common::DataCategory>(decision.exception_data())},
                   {"valid until", format_time(decision.exception_valid_until())},
                   {"answers referral", decision.referral_id()},
                   {"reason", decision.reason()},
               },
               "  ");
}

}  // namespace pactctl
