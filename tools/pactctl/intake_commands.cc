// register, case show, cases list: the intake side of pactctl.
#include <array>
#include <iostream>
#include <map>
#include <optional>
#include <random>

#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>

#include "case_views.h"
#include "cli_options.h"
#include "commands.h"
#include "encounter_flags.h"
#include "list_flags.h"
#include "message_files.h"
#include "output.h"
#include "pact/intake/v1/intake.grpc.pb.h"
#include "pact/routing/v1/routing.grpc.pb.h"
#include "pact/screening/v1/screening.grpc.pb.h"
#include "proto_text.h"
#include "referral_views.h"
#include "table.h"

namespace pactctl {
namespace {

namespace common = pact::common::v1;
namespace intake = pact::intake::v1;
namespace routing = pact::routing::v1;
namespace screening = pact::screening::v1;

// A random UUID (version 4). With the hub and the organisation it names the case, so a retry with
// the same key finds the case instead of making a second one.
std::string new_idempotency_key() {
  std::random_device random;
  std::array<unsigned char, 16> bytes{};
  for (auto& byte : bytes) byte = static_cast<unsigned char>(random() & 0xFFU);
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0FU) | 0x40U);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3FU) | 0x80U);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string key;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) key += '-';
    key += kHex[bytes[i] >> 4U];
    key += kHex[bytes[i] & 0x0FU];
  }
  return key;
}

// Failures after which the registration may or may not have happened, or that pass with time.
bool worth_retrying(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
    case grpc::StatusCode::ABORTED:
    case grpc::StatusCode::CANCELLED:
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::UNKNOWN: return true;
    default: return false;
  }
}

void print_registration(const intake::RegisterEncounterResponse& response, const std::string& idempotency_key) {
  const std::string& reference = response.reference_code().code();
  std::cout << (response.idempotent_replay() ? "already registered: case " : "registered case ") << reference << '\n';
  print_fields(std::cout,
               {
                   {"reference", reference},
                   {"case id", response.case_id()},
                   {"registered", format_time(response.registered_at())},
                   {"idempotency key", idempotency_key},
               },
               "  ");
  if (response.idempotent_replay()) {
    std::cout << "  This key was registered before with the same content: the same case, not a new one.\n";
  }
  if (!response.possible_duplicates().empty()) {
    std::cout << "possible duplicates (linked, never merged: a case worker decides)\n";
    print_possible_duplicates(std::cout, response.possible_duplicates(), "  ");
  }
  if (response.guidance().status() == intake::GUIDANCE_STATUS_READY) {
    std::cout << "screening guidance\n";
    print_screening_result(std::cout, response.guidance().result(), "  ");
  } else {
    std::cout << "screening guidance pending: the case is safely registered and screening assesses it from its event;\n"
                 "  read it later with: pactctl case show "
              << response.case_id() << '\n';
  }
}

int show_case(const Arguments& args) {
  allow_session_flags_and(args, {"purpose", "language"});
  args.at_most_words(2);
  const std::string case_id = args.word(1, "CASE_ID");
  const Session session = Session::open(args);

  intake::GetCaseRequest get;
  get.set_case_id(case_id);
  get.set_purpose(parse_enum_as<common::AccessPurpose>(args.option("purpose", "case_management"), "--purpose"));
  auto intake_stub = intake::IntakeService::NewStub(session.channel(ServiceName::intake));
  intake::GetCaseResponse found;
  grpc::Status status = session.call([&](grpc::ClientContext* context) { return intake_stub->GetCase(context, get, &found); });
  if (!status.ok()) return report_failure(session.describe(ServiceName::intake, "GetCase"), status);

  // The assessment and the referrals complete the picture when their services are known; a case
  // without them is still worth showing.
  int exit_code = 0;
  std::map<std::string, std::string> unavailable;
  std::optional<screening::ExplainResultResponse> assessment;
  if (!session.has_address(ServiceName::screening)) {
    unavailable["explain_result"] = "not read: give --screening or set PACT_SCREENING_ADDRESS";
  } else {
    screening::ExplainResultRequest explain;
    explain.set_case_id(case_id);
    explain.set_language(args.option("language", ""));
    auto screening_stub = screening::ScreeningService::NewStub(session.channel(ServiceName::screening));
    screening::ExplainResultResponse answer;
    status = session.call([&](grpc::ClientContext* context) { return screening_stub->ExplainResult(context, explain, &answer); });
    if (status.ok()) {
      assessment = std::move(answer);
    } else if (status.error_code() == grpc::StatusCode::NOT_FOUND) {
      unavailable["explain_result"] = status.error_message();
    } else {
      exit_code = report_failure(session.describe(ServiceName::screening, "ExplainResult"), status);
      unavailable["explain_result"] = "could not be read (see above)";
    }
  }
  std::optional<routing::ListReferralsResponse> referrals;
  if (!session.has_address(ServiceName::routing)) {
    unavailable["list_referrals"] = "not read: give --routing or set PACT_ROUTING_ADDRESS";
  } else {
    routing::ListReferralsRequest list;
    list.set_case_id(case_id);
    list.set_exercise(common::EXERCISE_FILTER_ALL);  // a drill case's referrals are drills too
    auto routing_stub = routing::RoutingService::NewStub(session.channel(ServiceName::routing));
    routing::ListReferralsResponse answer;
    PageChoice every_page;
    every_page.all = true;
    status = collect_pages(list, every_page, answer, [&](const routing::ListReferralsRequest& request, auto& page) {
      return session.call([&](grpc::ClientContext* context) { return routing_stub->ListReferrals(context, request, &page); });
    });
    if (status.ok()) {
      referrals = std::move(answer);
    } else {
      exit_code = report_failure(session.describe(ServiceName::routing, "ListReferrals"), status);
      unavailable["list_referrals"] = "could not be read (see above)";
    }
  }

  if (session.json()) {
    nlohmann::json document = {{"get_case", to_json(found)},
                               {"explain_result", assessment ? to_json(*assessment) : nlohmann::json()},
                               {"list_referrals", referrals ? to_json(*referrals) : nlohmann::json()}};
    if (!unavailable.empty()) document["unavailable"] = unavailable;
    print_json(document);
    return exit_code;
  }
  print_case(std::cout, found.case_record());
  std::cout << "\nscreening assessment";
  if (assessment) {
    std::cout << " (as of case sequence " << assessment->case_sequence() << ")\n";
    print_screening_result(std::cout, assessment->result(), "  ");
    if (!assessment->steps().empty()) {
      std::cout << "  why\n";
      int number = 0;
      for (const auto& step : assessment->steps()) std::cout << "    " << ++number << ". " << step.text() << '\n';
    }
  } else {
    std::cout << ": " << unavailable["explain_result"] << '\n';
  }
  std::cout << "\nreferrals";
  if (!referrals) {
    std::cout << ": " << unavailable["list_referrals"] << '\n';
  } else if (referrals->referrals().empty()) {
    std::cout << ": none yet\n";
  } else {
    std::cout << '\n';
    print_referrals(std::cout, referrals->referrals(), "  ");
  }
  return exit_code;
}

int list_cases(const Arguments& args) {
  allow_session_flags_and(args, join_flags({kPageFlags, kExerciseFlags, {"jurisdiction", "site", "emergency", "status"}}));
  args.at_most_words(1);
  const Session session = Session::open(args);

  intake::ListCasesRequest request;
  if (auto jurisdiction = args.find("jurisdiction")) {
    request.set_jurisdiction(parse_enum_as<common::Jurisdiction>(*jurisdiction, "--jurisdiction"));
  }
  request.set_site_id(args.option("site", ""));
  request.set_emergency_id(args.option("emergency", ""));
  if (auto statuses = args.find("status")) {
    for (auto status : parse_enum_list<intake::CaseStatus>(*statuses, "--status")) request.add_statuses(status);
  }
  request.set_exercise(exercise_filter(args));

  auto stub = intake::IntakeService::NewStub(session.channel(ServiceName::intake));
  intake::ListCasesResponse response;
  const grpc::Status status = collect_pages(request, page_choice(args), response, [&](const auto& page_request, auto& page) {
    return session.call([&](grpc::ClientContext* context) { return stub->ListCases(context, page_request, &page); });
  });
  if (!status.ok()) return report_failure(session.describe(ServiceName::intake, "ListCases"), status);
  if (session.json()) {
    print_json(to_json(response));
    return 0;
  }
  if (response.cases().empty()) {
    std::cout << "no cases match\n";
  } else {
    print_case_summaries(std::cout, response.cases());
  }
  hint_more_pages(response.page(), static_cast<std::size_t>(response.cases_size()));
  return 0;
}

}  // namespace

int register_encounter(const Arguments& args) {
  allow_session_flags_and(args, join_flags({kEncounterFlags, {"file", "format", "idempotency-key", "language"}}));
  args.at_most_words(0);
  const Session session = Session::open(args);

  intake::RegisterEncounterRequest request;
  if (auto file = args.find("file")) {
    read_message_file(*file, document_format(*file, args.option("format", "")), request, "encounter");
  } else if (args.has("format")) {
    throw UsageError("--format describes the --file; there is no --file");
  }
  const bool time_given = request.encounter().has_encountered_at() || args.has("encountered-at");
  apply_encounter_flags(args, *request.mutable_encounter());
  complete_encounter(session.caller(), *request.mutable_encounter());
  if (auto key = args.find("idempotency-key")) request.set_idempotency_key(*key);
  const bool key_made = request.idempotency_key().empty();
  if (key_made) request.set_idempotency_key(new_idempotency_key());
  if (auto language = args.find("language")) request.set_language(*language);

  auto stub = intake::IntakeService::NewStub(session.channel(ServiceName::intake));
  intake::RegisterEncounterResponse response;
  const grpc::Status status =
      session.call([&](grpc::ClientContext* context) { return stub->RegisterEncounter(context, request, &response); });
  if (!status.ok()) {
    report_failure(session.describe(ServiceName::intake, "RegisterEncounter"), status);
    if (worth_retrying(status.error_code())) {
      // The same key with the same content is the same case; "now" would be new content.
      std::cerr << "  the case may or may not be registered: run the same command again with --idempotency-key "
                << request.idempotency_key()
                << (time_given ? std::string()
                               : " --encountered-at " +
                                     google::protobuf::util::TimeUtil::ToString(request.encounter().encountered_at()))
                << "\n  (a retry returns the same case, never a second one)\n";
    }
    return 1;
  }
  if (session.json()) {
    if (key_made) std::cerr << "idempotency key: " << request.idempotency_key() << '\n';
    print_json(to_json(response));
    return 0;
  }
  print_registration(response, request.idempotency_key());
  return 0;
}

int cases(const Arguments& args) {
  const std::string& action = args.word(0, "what to do: show CASE_ID, or list");
  if (action == "show") return show_case(args);
  if (action == "list") return list_cases(args);
  throw UsageError("unknown action '" + action + "' (show or list)");
}

}  // namespace pactctl
