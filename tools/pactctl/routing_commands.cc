// referrals and decision: the routing side of pactctl for case workers, providers and the
// competent authority.
#include <iostream>
#include <optional>
#include <string>

#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>

#include "cli_options.h"
#include "commands.h"
#include "list_flags.h"
#include "output.h"
#include "pact/routing/v1/routing.grpc.pb.h"
#include "proto_text.h"
#include "referral_views.h"

namespace pactctl {
namespace {

namespace common = pact::common::v1;
namespace routing = pact::routing::v1;

// The reasons the contract allows for each answer (routing.proto RejectReferralRequest and
// FailReferralRequest); offering only these turns a wrong choice into a usage error that lists
// the right ones.
const std::vector<routing::ReferralStatusReason> kRejectReasons = {
    routing::REFERRAL_STATUS_REASON_NO_CAPACITY,          routing::REFERRAL_STATUS_REASON_NOT_ELIGIBLE,
    routing::REFERRAL_STATUS_REASON_OUTSIDE_SERVICE_AREA, routing::REFERRAL_STATUS_REASON_SERVICE_UNAVAILABLE,
    routing::REFERRAL_STATUS_REASON_LANGUAGE_NOT_SUPPORTED, routing::REFERRAL_STATUS_REASON_PERSON_DECLINED,
    routing::REFERRAL_STATUS_REASON_OTHER};
const std::vector<routing::ReferralStatusReason> kFailReasons = {
    routing::REFERRAL_STATUS_REASON_PERSON_UNREACHABLE, routing::REFERRAL_STATUS_REASON_PERSON_DECLINED,
    routing::REFERRAL_STATUS_REASON_PERSON_MOVED_ON, routing::REFERRAL_STATUS_REASON_SERVICE_NOT_DELIVERED,
    routing::REFERRAL_STATUS_REASON_OTHER};

// What every answer prints: the referral after the change, and the next attempt when routing made one.
template <typename Response>
int print_answer(const Session& session, const Response& response) {
  if (session.json()) {
    print_json(to_json(response));
    return 0;
  }
  const routing::Referral& referral = response.referral();
  std::cout << "referral " << referral.reference_code().code() << " (" << referral.referral_id() << ") is now "
            << label(referral.status()) << '\n';
  if constexpr (requires { response.next_referral_id(); }) {
    if (!response.next_referral_id().empty()) {
      std::cout << "routing referred the need on: next attempt " << response.next_referral_id() << '\n';
    } else {
      std::cout << "routing made no next attempt (a need no eligible provider is left for is escalated)\n";
    }
  }
  return 0;
}

int list_referrals(const Arguments& args) {
  allow_session_flags_and(args, join_flags({kPageFlags, kExerciseFlags,
                                            {"case", "provider", "service", "status", "overdue", "escalations",
                                             "jurisdiction", "service-type", "need"}}));
  args.at_most_words(1);
  const Session session = Session::open(args);

  routing::ListReferralsRequest request;
  request.set_case_id(args.option("case", ""));
  request.set_organization_id(args.option("provider", ""));
  request.set_service_id(args.option("service", ""));
  if (auto statuses = args.find("status")) {
    for (auto status : parse_enum_list<routing::ReferralStatus>(*statuses, "--status")) request.add_statuses(status);
  }
  request.set_overdue_only(args.on("overdue"));
  request.set_escalations_only(args.on("escalations"));
  if (auto jurisdiction = args.find("jurisdiction")) {
    request.set_jurisdiction(parse_enum_as<common::Jurisdiction>(*jurisdiction, "--jurisdiction"));
  }
  if (auto type = args.find("service-type")) {
    request.set_service_type(parse_enum_as<routing::ServiceType>(*type, "--service-type"));
  }
  if (auto need = args.find("need")) request.set_need_type(parse_enum_as<common::NeedType>(*need, "--need"));
  request.set_exercise(exercise_filter(args));

  auto stub = routing::RoutingService::NewStub(session.channel(ServiceName::routing));
  routing::ListReferralsResponse response;
  const grpc::Status status = collect_pages(request, page_choice(args), response, [&](const auto& page_request, auto& page) {
    return session.call([&](grpc::ClientContext* context) { return stub->ListReferrals(context, page_request, &page); });
  });
  if (!status.ok()) return report_failure(session.describe(ServiceName::routing, "ListReferrals"), status);
  if (session.json()) {
    print_json(to_json(response));
    return 0;
  }
  if (response.referrals().empty()) {
    std::cout << "no referrals match\n";
  } else {
    print_referrals(std::cout, response.referrals());
  }
  hint_more_pages(response.page(), static_cast<std::size_t>(response.referrals_size()));
  return 0;
}

int act_on_referral(const Arguments& args, const std::string& action) {
  const bool takes_note = action != "show" && action != "acknowledge";
  const bool takes_reason = action == "reject" || action == "fail";
  std::vector<std::string_view> flags;
  if (takes_note) flags.push_back("note");
  if (takes_reason) flags.push_back("reason");
  allow_session_flags_and(args, flags);
  args.at_most_words(2);
  const std::string referral_id = args.word(1, "REFERRAL_ID");
  auto reason = routing::REFERRAL_STATUS_REASON_UNSPECIFIED;
  if (takes_reason) {
    auto text = args.find("reason");
    if (!text) throw UsageError("--reason is required: say why");
    reason = parse_enum_as<routing::ReferralStatusReason>(*text, "--reason", action == "reject" ? kRejectReasons : kFailReasons);
  }
  const std::string note = takes_note ? text_option(args, "note").value_or("") : "";
  if (reason == routing::REFERRAL_STATUS_REASON_OTHER && note.empty()) {
    throw UsageError("--reason other needs a --note that explains it");
  }
  const Session session = Session::open(args);
  auto stub = routing::RoutingService::NewStub(session.channel(ServiceName::routing));
  auto failed = [&](std::string_view method, const grpc::Status& status) {
    return report_failure(session.describe(ServiceName::routing, method), status);
  };

  if (action == "show") {
    routing::GetReferralRequest request;
    request.set_referral_id(referral_id);
    routing::GetReferralResponse response;
    auto status = session.call([&](grpc::ClientContext* context) { return stub->GetReferral(context, request, &response); });
    if (!status.ok()) return failed("GetReferral", status);
    if (session.json()) {
      print_json(to_json(response));
    } else {
      print_referral(std::cout, response.referral());
    }
    return 0;
  }
  if (action == "acknowledge") {
    routing::AcknowledgeReferralRequest request;
    request.set_referral_id(referral_id);
    routing::AcknowledgeReferralResponse response;
    auto status =
        session.call([&](grpc::ClientContext* context) { return stub->AcknowledgeReferral(context, request, &response); });
    return status.ok() ? print_answer(session, response) : failed("AcknowledgeReferral", status);
  }
  if (action == "accept") {
    routing::AcceptReferralRequest request;
    request.set_referral_id(referral_id);
    request.set_note(note);
    routing::AcceptReferralResponse response;
    auto status = session.call([&](grpc::ClientContext* context) { return stub->AcceptReferral(context, request, &response); });
    return status.ok() ? print_answer(session, response) : failed("AcceptReferral", status);
  }
  if (action == "reject") {
    routing::RejectReferralRequest request;
    request.set_referral_id(referral_id);
    request.set_reason(reason);
    request.set_note(note);
    routing::RejectReferralResponse response;
    auto status = session.call([&](grpc::ClientContext* context) { return stub->RejectReferral(context, request, &response); });
    return status.ok() ? print_answer(session, response) : failed("RejectReferral", status);
  }
  if (action == "start") {
    routing::StartReferralRequest request;
    request.set_referral_id(referral_id);
    request.set_note(note);
    routing::StartReferralResponse response;
    auto status = session.call([&](grpc::ClientContext* context) { return stub->StartReferral(context, request, &response); });
    return status.ok() ? print_answer(session, response) : failed("StartReferral", status);
  }
  if (action == "complete") {
    routing::CompleteReferralRequest request;
    request.set_referral_id(referral_id);
    request.set_note(note);
    routing::CompleteReferralResponse response;
    auto status =
        session.call([&](grpc::ClientContext* context) { return stub->CompleteReferral(context, request, &response); });
    return status.ok() ? print_answer(session, response) : failed("CompleteReferral", status);
  }
  // fail
  routing::FailReferralRequest request;
  request.set_referral_id(referral_id);
  request.set_reason(reason);
  request.set_note(note);
  routing::FailReferralResponse response;
  auto status = session.call([&](grpc::ClientContext* context) { return stub->FailReferral(context, request, &response); });
  return status.ok() ? print_answer(session, response) : failed("FailReferral", status);
}

const std::string& required(const Arguments& args, const std::string& name, std::string_view what) {
  auto found = args.options.find(name);
  if (found == args.options.end() || found->second.empty()) {
    throw UsageError("--" + name + " is required: " + std::string(what));
  }
  return found->second;
}

int record_decision(const Arguments& args) {
  allow_session_flags_and(args, {"case", "type", "outcome", "decided-by-name", "decided-by", "decided-by-role", "authority",
                                 "reason", "decided-at", "reflection-days", "exception-scopes", "exception-data",
                                 "valid-until", "referral", "idempotency-key"});
  args.at_most_words(1);
  routing::RecordDecisionRequest request;
  request.set_case_id(required(args, "case", "the case the decision is about"));
  request.set_type(parse_enum_as<routing::DecisionType>(required(args, "type", "which kind of decision"), "--type"));
  request.set_outcome(
      parse_enum_as<routing::DecisionOutcome>(required(args, "outcome", "positive or negative"), "--outcome"));
  const std::string decider = required(args, "decided-by-name", "the name of the person who decided");
  required(args, "reason", "a decision is recorded with its reason");
  request.set_reason(*text_option(args, "reason"));
  const Session session = Session::open(args);

  // The person who decided is named; they need not be the one recording it.
  common::Actor& decided_by = *request.mutable_decided_by();
  decided_by.set_display_name(decider);
  decided_by.set_subject(args.option("decided-by", session.caller().subject));
  decided_by.set_role(args.option("decided-by-role", ""));
  request.set_authority_organization_id(args.option("authority", session.caller().organisation));
  decided_by.set_organization_id(request.authority_organization_id());
  *request.mutable_decided_at() = parse_time(args.option("decided-at", "now"), "--decided-at");
  if (auto days = number_option(args, "reflection-days", 30, 3650)) {
    request.set_reflection_period_days(static_cast<std::uint32_t>(*days));
  }
  if (auto scopes = args.find("exception-scopes")) {
    for (auto scope : parse_enum_list<common::ConsentScope>(*scopes, "--exception-scopes")) request.add_exception_scopes(scope);
  }
  if (auto data = args.find("exception-data")) {
    for (auto category : parse_enum_list<common::DataCategory>(*data, "--exception-data")) request.add_exception_data(category);
  }
  if (auto until = args.find("valid-until")) *request.mutable_exception_valid_until() = parse_time(*until, "--valid-until");
  request.set_referral_id(args.option("referral", ""));
  // With the case, the key names the decision. Made from what identifies one decision (who decided
  // what, when), so running the same command again, with the same --decided-at, records it once.
  request.set_idempotency_key(args.option(
      "idempotency-key", "decision-" + label(request.type()) + "-" + label(request.outcome()) + "-" + decided_by.subject() +
                             "-" + std::to_string(request.decided_at().seconds())));

  auto stub = routing::RoutingService::NewStub(session.channel(ServiceName::routing));
  routing::RecordDecisionResponse response;
  auto status = session.call([&](grpc::ClientContext* context) { return stub->RecordDecision(context, request, &response); });
  if (!status.ok()) {
    report_failure(session.describe(ServiceName::routing, "RecordDecision"), status);
    std::cerr << "  to retry without recording it twice: --idempotency-key " << request.idempotency_key()
              << " --decided-at " << google::protobuf::util::TimeUtil::ToString(request.decided_at()) << '\n';
    return 1;
  }
  if (session.json()) {
    print_json(to_json(response));
  } else {
    print_decision(std::cout, response.decision());
  }
  return 0;
}

}  // namespace

int referrals(const Arguments& args) {
  const std::string& action =
      args.word(0, "what to do: list, show, acknowledge, accept, reject, start, complete or fail");
  if (action == "list") return list_referrals(args);
  for (const char* known : {"show", "acknowledge", "accept", "reject", "start", "complete", "fail"}) {
    if (action == known) return act_on_referral(args, action);
  }
  throw UsageError("unknown action '" + action + "'");
}

int decision(const Arguments& args) {
  const std::string& action = args.word(0, "what to do: record");
  if (action == "record") return record_decision(args);
  throw UsageError("unknown action '" + action + "' (record)");
}

}  // namespace pactctl
