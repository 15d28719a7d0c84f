// situation: the picture an EOC duty officer needs, counted from the list APIs (ListCases,
// ListReferrals, and optionally one ExplainResult per open case) until the situation read model
// serves it.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>

#include "case_views.h"
#include "cli_options.h"
#include "commands.h"
#include "list_flags.h"
#include "output.h"
#include "pact/intake/v1/intake.grpc.pb.h"
#include "pact/routing/v1/routing.grpc.pb.h"
#include "pact/screening/v1/screening.grpc.pb.h"
#include "proto_text.h"
#include "referral_views.h"
#include "rpc/call_metrics.h"
#include "table.h"

namespace pactctl {
namespace {

namespace common = pact::common::v1;
namespace intake = pact::intake::v1;
namespace routing = pact::routing::v1;
namespace screening = pact::screening::v1;

// Assessment reads in flight at once: enough to count a surge's cases in seconds, few enough that
// one operator's command never looks like a surge to screening.
constexpr std::size_t kLevelLookupThreads = 8;
// The most overdue referrals listed by name; the rest are counted.
constexpr int kOverdueListed = 10;

// Referrals still waiting on someone; finished ones are history, not the situation.
const std::vector<routing::ReferralStatus> kActiveStatuses = {
    routing::REFERRAL_STATUS_REQUESTED, routing::REFERRAL_STATUS_RECEIVED, routing::REFERRAL_STATUS_ACCEPTED,
    routing::REFERRAL_STATUS_IN_PROGRESS, routing::REFERRAL_STATUS_ON_HOLD};

const std::vector<std::string> kLevelRows = {"combination_met", "indications_present", "no_indicators_observed",
                                             "not_assessed_yet", "lookup_failed"};

struct SiteCounts {
  std::string jurisdiction;
  int open = 0;
  int new_last_day = 0;
  int children = 0;
  int unaccompanied = 0;
  int urgent = 0;
};

struct Filters {
  common::Jurisdiction jurisdiction = common::JURISDICTION_UNSPECIFIED;
  std::string site_id;
  std::string emergency_id;
  common::ExerciseFilter exercise = common::EXERCISE_FILTER_REAL_ONLY;
};

struct Situation {
  std::vector<std::string> open_case_ids;
  std::map<std::string, SiteCounts> sites;  // by site id
  bool levels_counted = false;
  std::map<std::string, int> levels;
  std::string first_lookup_failure;
  std::map<std::string, int> referrals_by_status;
  std::map<std::string, int> overdue_by_status;
  std::map<std::string, int> escalations_by_level;
  int overdue_acknowledgement = 0;
  int overdue_acceptance = 0;
  int referrals = 0;
  google::protobuf::RepeatedPtrField<routing::Referral> most_overdue;
};

bool is_child(const intake::CaseSummary& summary) {
  const auto band = summary.age().band();
  return summary.age().presumed_minor() || summary.reported_flags().presumed_child() || band == common::AGE_BAND_0_8 ||
         band == common::AGE_BAND_9_17;
}

bool is_unaccompanied(const intake::CaseSummary& summary) {
  const auto companion = summary.companion_status();
  return summary.reported_flags().unaccompanied_or_separated() || companion == common::COMPANION_STATUS_UNACCOMPANIED ||
         companion == common::COMPANION_STATUS_SEPARATED;
}

grpc::Status count_cases(const Session& session, const Filters& filters, Situation& situation) {
  intake::ListCasesRequest request;
  request.set_jurisdiction(filters.jurisdiction);
  request.set_site_id(filters.site_id);
  request.set_emergency_id(filters.emergency_id);
  request.add_statuses(intake::CASE_STATUS_OPEN);
  request.set_exercise(filters.exercise);
  auto stub = intake::IntakeService::NewStub(session.channel(ServiceName::intake));
  intake::ListCasesResponse cases;
  PageChoice every_page;
  every_page.all = true;
  every_page.size = 500;
  grpc::Status status = collect_pages(request, every_page, cases, [&](const auto& page_request, auto& page) {
    return session.call([&](grpc::ClientContext* context) { return stub->ListCases(context, page_request, &page); });
  });
  if (!status.ok()) return status;
  const auto day_ago = google::protobuf::util::TimeUtil::GetCurrentTime() - google::protobuf::util::TimeUtil::HoursToDuration(24);
  for (const auto& summary : cases.cases()) {
    situation.open_case_ids.push_back(summary.case_id());
    SiteCounts& site = situation.sites[summary.site().site_id()];
    site.jurisdiction = jurisdiction_code(summary.jurisdiction());
    ++site.open;
    if (summary.created_at() >= day_ago) ++site.new_last_day;
    if (is_child(summary)) ++site.children;
    if (is_unaccompanied(summary)) ++site.unaccompanied;
    if (summary.reported_flags().urgent_medical() || summary.reported_flags().immediate_danger()) ++site.urgent;
  }
  return grpc::Status::OK;
}

// One assessment read per case: screening holds levels per case, and no list API carries them.
void count_levels(const Session& session, Situation& situation) {
  auto stub = screening::ScreeningService::NewStub(session.channel(ServiceName::screening));
  const auto& case_ids = situation.open_case_ids;
  std::vector<std::string> levels(case_ids.size());
  std::atomic<std::size_t> next{0};
  std::mutex failure_mutex;
  auto look_up = [&] {
    for (std::size_t i = next++; i < case_ids.size(); i = next++) {
      screening::ExplainResultRequest request;
      request.set_case_id(case_ids[i]);
      screening::ExplainResultResponse response;
      auto status = session.call([&](grpc::ClientContext* context) { return stub->ExplainResult(context, request, &response); });
      if (status.ok()) {
        levels[i] = label(response.result().level());
      } else if (status.error_code() == grpc::StatusCode::NOT_FOUND) {
        levels[i] = "not_assessed_yet";
      } else {
        levels[i] = "lookup_failed";
        std::lock_guard<std::mutex> lock(failure_mutex);
        if (situation.first_lookup_failure.empty()) {
          situation.first_lookup_failure = std::string(pact::rpc::status_code_name(status.error_code())) + ": " + status.error_message();
        }
      }
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < std::min(kLevelLookupThreads, case_ids.size()); ++i) threads.emplace_back(look_up);
  for (auto& thread : threads) thread.join();
  for (const auto& level : levels) ++situation.levels[level.empty() ? "not_assessed_yet" : level];
  situation.levels_counted = true;
}

grpc::Status count_referrals(const Session& session, const Filters& filters, Situation& situation) {
  routing::ListReferralsRequest request;
  for (auto status : kActiveStatuses) request.add_statuses(status);
  request.set_jurisdiction(filters.jurisdiction);
  request.set_exercise(filters.exercise);
  auto stub = routing::RoutingService::NewStub(session.channel(ServiceName::routing));
  routing::ListReferralsResponse referrals;
  PageChoice every_page;
  every_page.all = true;
  every_page.size = 500;
  grpc::Status status = collect_pages(request, every_page, referrals, [&](const auto& page_request, auto& page) {
    return session.call([&](grpc::ClientContext* context) { return stub->ListReferrals(context, page_request, &page); });
  });
  if (!status.ok()) return status;
  // Routing filters by jurisdiction; site and emergency are the case's, which each referral carries.
  for (const auto& referral : referrals.referrals()) {
    const auto& summary = referral.case_summary();
    if (!filters.site_id.empty() && summary.site().site_id() != filters.site_id) continue;
    if (!filters.emergency_id.empty() && summary.emergency_id() != filters.emergency_id) continue;
    ++situation.referrals;
    const std::string status_name = label(referral.status());
    ++situation.referrals_by_status[status_name];
    if (referral.kind() == routing::REFERRAL_KIND_ESCALATION) ++situation.escalations_by_level[label(referral.escalation_level())];
    if (!referral.overdue()) continue;
    ++situation.overdue_by_status[status_name];
    if (referral.overdue_deadline() == routing::DEADLINE_KIND_ACKNOWLEDGEMENT) ++situation.overdue_acknowledgement;
    if (referral.overdue_deadline() == routing::DEADLINE_KIND_ACCEPTANCE) ++situation.overdue_acceptance;
    // Routing answers oldest deadline first, so the first overdue ones are the most overdue.
    if (situation.most_overdue.size() < kOverdueListed) *situation.most_overdue.Add() = referral;
  }
  return grpc::Status::OK;
}

// Small counts can single out a person in figures that travel (a briefing, a screenshot).
class Counts {
 public:
  explicit Counts(int suppress_below) : suppress_below_(suppress_below) {}
  std::string text(int count) const {
    return count > 0 && count < suppress_below_ ? "<" + std::to_string(suppress_below_) : std::to_string(count);
  }
  nlohmann::json json(int count) const {
    return count > 0 && count < suppress_below_ ? nlohmann::json() : nlohmann::json(count);
  }

 private:
  int suppress_below_;
};

int lookup(const std::map<std::string, int>& counts, const std::string& key) {
  auto found = counts.find(key);
  return found == counts.end() ? 0 : found->second;
}

std::vector<std::pair<std::string, const SiteCounts*>> sites_busiest_first(const Situation& situation) {
  std::vector<std::pair<std::string, const SiteCounts*>> sites;
  for (const auto& [site, counts] : situation.sites) sites.emplace_back(site, &counts);
  std::stable_sort(sites.begin(), sites.end(), [](const auto& a, const auto& b) { return a.second->open > b.second->open; });
  return sites;
}

void print_situation(const Situation& situation, const Filters& filters, const Counts& counts) {
  std::string scope =
      filters.jurisdiction == common::JURISDICTION_UNSPECIFIED ? "your jurisdictions" : jurisdiction_code(filters.jurisdiction);
  if (!filters.site_id.empty()) scope += ", site " + filters.site_id;
  if (!filters.emergency_id.empty()) scope += ", emergency " + filters.emergency_id;
  const char* records = filters.exercise == common::EXERCISE_FILTER_ALL             ? "real and drill records"
                        : filters.exercise == common::EXERCISE_FILTER_EXERCISE_ONLY ? "DRILL records only"
                                                                                      : "real records";
  std::cout << "situation at " << format_time(now()) << " for " << scope << " (" << records << ")\n\n";

  std::cout << "open cases: " << counts.text(static_cast<int>(situation.open_case_ids.size())) << '\n';
  Table sites({"SITE", "JURISDICTION", "OPEN", "NEW 24H", "CHILDREN", "UNACCOMPANIED/SEPARATED", "URGENT/DANGER"});
  for (const auto& [site, site_counts] : sites_busiest_first(situation)) {
    sites.add({site, site_counts->jurisdiction, counts.text(site_counts->open), counts.text(site_counts->new_last_day),
               counts.text(site_counts->children), counts.text(site_counts->unaccompanied), counts.text(site_counts->urgent)});
  }
  if (!sites.empty()) sites.print(std::cout);
  std::cout << "(children, unaccompanied and urgent as recorded at intake: age, companion status, reported flags)\n\n";

  if (situation.levels_counted) {
    std::cout << "screening level of open cases\n";
    Table levels({"LEVEL", "CASES"});
    for (const auto& level : kLevelRows) {
      const int count = lookup(situation.levels, level);
      if (count > 0) levels.add({words(level), counts.text(count)});
    }
    levels.print(std::cout);
    if (!situation.first_lookup_failure.empty()) std::cout << "first lookup failure: " << situation.first_lookup_failure << '\n';
  } else {
    std::cout << "screening levels: not counted (add --screening-levels and --screening: one audited read per open case)\n";
  }

  std::cout << "\nreferrals in progress: " << counts.text(situation.referrals) << '\n';
  Table statuses({"STATUS", "REFERRALS", "OVERDUE"});
  for (auto status : kActiveStatuses) {
    const std::string name = label(status);
    statuses.add({name, counts.text(lookup(situation.referrals_by_status, name)),
                  counts.text(lookup(situation.overdue_by_status, name))});
  }
  statuses.print(std::cout);
  std::cout << "overdue: " << counts.text(situation.overdue_acknowledgement) << " not acknowledged, "
            << counts.text(situation.overdue_acceptance) << " not accepted in time\n";
  std::cout << "escalations open: " << counts.text(lookup(situation.escalations_by_level, "eoc_duty_desk"))
            << " at the EOC duty desk, " << counts.text(lookup(situation.escalations_by_level, "national_coordinator"))
            << " with the national coordinator\n";
  if (!situation.most_overdue.empty()) {
    std::cout << "\nmost overdue\n";
    print_referrals(std::cout, situation.most_overdue, "  ");
  }
}

nlohmann::json situation_json(const Situation& situation, const Counts& counts, int suppress_below) {
  nlohmann::json sites = nlohmann::json::array();
  for (const auto& [site, site_counts] : sites_busiest_first(situation)) {
    sites.push_back({{"site_id", site},
                     {"jurisdiction", site_counts->jurisdiction},
                     {"open", counts.json(site_counts->open)},
                     {"new_last_24h", counts.json(site_counts->new_last_day)},
                     {"children", counts.json(site_counts->children)},
                     {"unaccompanied_or_separated", counts.json(site_counts->unaccompanied)},
                     {"urgent_or_danger", counts.json(site_counts->urgent)}});
  }
  auto count_map = [&](const std::map<std::string, int>& map) {
    nlohmann::json object = nlohmann::json::object();
    for (const auto& [key, count] : map) object[key] = counts.json(count);
    return object;
  };
  nlohmann::json most_overdue = nlohmann::json::array();
  for (const auto& referral : situation.most_overdue) most_overdue.push_back(to_json(referral));
  return {
      {"generated_at", google::protobuf::util::TimeUtil::ToString(now())},
      {"suppressed_below", suppress_below > 1 ? nlohmann::json(suppress_below) : nlohmann::json()},
      {"cases",
       {{"open", counts.json(static_cast<int>(situation.open_case_ids.size()))},
        {"by_site", sites},
        {"by_screening_level", situation.levels_counted ? count_map(situation.levels) : nlohmann::json()}}},
      {"referrals",
       {{"active", counts.json(situation.referrals)},
        {"by_status", count_map(situation.referrals_by_status)},
        {"overdue_by_status", count_map(situation.overdue_by_status)},
        {"overdue_acknowledgement", counts.json(situation.overdue_acknowledgement)},
        {"overdue_acceptance", counts.json(situation.overdue_acceptance)},
        {"escalations_by_level", count_map(situation.escalations_by_level)},
        {"most_overdue", most_overdue}}},
  };
}

}  // namespace

int situation(const Arguments& args) {
  allow_session_flags_and(args, join_flags({kExerciseFlags,
                                            {"jurisdiction", "site", "emergency", "screening-levels", "suppress-below"}}));
  args.at_most_words(0);
  Filters filters;
  if (auto jurisdiction = args.find("jurisdiction")) {
    filters.jurisdiction = parse_enum_as<common::Jurisdiction>(*jurisdiction, "--jurisdiction");
  }
  filters.site_id = args.option("site", "");
  filters.emergency_id = args.option("emergency", "");
  filters.exercise = exercise_filter(args);
  const int suppress_below = static_cast<int>(number_option(args, "suppress-below", 1, 100).value_or(1));
  const Session session = Session::open(args);
  session.address(ServiceName::intake);  // both are needed: say so before any call
  session.address(ServiceName::routing);
  if (args.on("screening-levels")) session.address(ServiceName::screening);

  Situation picture;
  grpc::Status status = count_cases(session, filters, picture);
  if (!status.ok()) return report_failure(session.describe(ServiceName::intake, "ListCases"), status);
  status = count_referrals(session, filters, picture);
  if (!status.ok()) return report_failure(session.describe(ServiceName::routing, "ListReferrals"), status);
  if (args.on("screening-levels")) {
    std::cerr << "reading the assessment of " << picture.open_case_ids.size() << " open cases (each read is audited)\n";
    count_levels(session, picture);
  }

  const Counts counts(suppress_below);
  if (session.json()) {
    print_json(situation_json(picture, counts, suppress_below));
  } else {
    print_situation(picture, filters, counts);
  }
  return picture.first_lookup_failure.empty() ? 0 : 1;
}

}  // namespace pactctl
