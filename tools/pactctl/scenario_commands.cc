#include "scenario_commands.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include "cli_options.h"
#include "kafka/topic_follower.h"
#include "event_text.h"
#include "kafka/topics.h"
#include "pact/events/v1/audit_events.pb.h"
#include "surge_report.h"
#include "surge_run.h"

namespace pactctl {
namespace {

// The hub's Kafka: --kafka (or PACT_KAFKA_BOOTSTRAP) and --hub (or PACT_HUB, default "pact").
std::pair<std::string, std::string> kafka_and_hub(const Arguments& args) {
  const std::string kafka = args.option("kafka", env_or("PACT_KAFKA_BOOTSTRAP", ""));
  if (kafka.empty()) throw UsageError("say where the hub's Kafka is: --kafka HOST:PORT or PACT_KAFKA_BOOTSTRAP");
  return {kafka, args.option("hub", env_or("PACT_HUB", "pact"))};
}

std::atomic<bool> interrupted{false};

std::string actor_text(const pact::events::v1::AuditActor& actor) {
  std::string roles;
  for (const auto& role : actor.roles()) roles += (roles.empty() ? "" : ",") + role;
  return actor.kind() + " " + actor.subject() + " (" + actor.organisation() + (roles.empty() ? "" : "; " + roles) + ")";
}

std::string audit_line(const pact::events::v1::AuditRecord& record) {
  std::string action = pact::events::v1::AuditAction_Name(record.action());
  action = action.substr(std::string("AUDIT_ACTION_").size());
  std::string line = google::protobuf::util::TimeUtil::ToString(record.occurred_at()) + "  " + action + "  " +
                     record.method() + "  by " + actor_text(record.actor());
  if (record.has_on_behalf_of()) line += " for " + actor_text(record.on_behalf_of());
  line += "  purpose " + pact::common::v1::AccessPurpose_Name(record.purpose()).substr(std::string("ACCESS_PURPOSE_").size());
  if (!record.purpose_reference().empty()) line += " (" + record.purpose_reference() + ")";
  if (!record.record_id().empty()) line += "  record " + record.record_id();
  return line + "  [" + record.audit_id() + ", trace " + record.trace_id() + "]";
}

}  // namespace

int surge(const Arguments& args) {
  args.allow_only({"intake", "kafka", "hub", "arrivals", "duration", "rate", "concurrency", "settle", "quiet",
                   "run-id", "json-file", "exercise", "json"});
  args.at_most_words(0);
  pactscenario::SurgeOptions options;
  options.intake_address = args.option("intake", env_or("PACT_INTAKE_ADDRESS", ""));
  if (options.intake_address.empty()) {
    throw UsageError("say where intake is: --intake HOST:PORT or PACT_INTAKE_ADDRESS");
  }
  std::tie(options.kafka_bootstrap, options.hub) = kafka_and_hub(args);
  options.arrivals = static_cast<std::uint64_t>(number_option(args, "arrivals", 1, 10'000'000).value_or(400));
  options.rate = static_cast<double>(number_option(args, "rate", 1, 1'000'000).value_or(50));
  if (args.has("duration")) {
    if (args.has("arrivals")) throw UsageError("give --arrivals or --duration, not both");
    const auto duration = parse_duration(args.option("duration", ""), "--duration");
    options.arrivals = std::max<std::uint64_t>(
        1, static_cast<std::uint64_t>(options.rate * static_cast<double>(duration.count()) / 1000.0));
  }
  options.concurrency = static_cast<int>(number_option(args, "concurrency", 1, 100'000).value_or(256));
  options.settle = parse_duration(args.option("settle", "60s"), "--settle");
  options.quiet = parse_duration(args.option("quiet", "10s"), "--quiet");
  options.run_id = args.option("run-id", "");
  options.exercise = args.on("exercise");

  const bool json = args.on("json");
  const bool terminal = isatty(STDOUT_FILENO) == 1;
  std::ostream* progress = json ? &std::cerr : &std::cout;
  const auto outcome = pactscenario::run_surge(options, progress, terminal && !json);
  const nlohmann::json summary = pactscenario::summary_json(outcome.figures, outcome.registrations);
  if (const auto file = args.find("json-file")) {
    std::ofstream out(*file);
    out << summary.dump(2) << "\n";
    if (!out) throw InputError("cannot write the summary to " + *file);
  }
  if (json) {
    std::cout << summary.dump(2) << "\n";
  } else {
    std::cout << "\n" << pactscenario::format_summary(outcome.figures, outcome.registrations);
  }
  // Every arrival registered: exit 0; some refused: 1 (the summary says how many).
  return outcome.figures.registration_errors == 0 && outcome.figures.registered == options.arrivals ? 0 : 1;
}

int tail(const Arguments& args) {
  args.allow_only({"kafka", "hub", "topics", "count", "for", "from-beginning", "json"});
  args.at_most_words(0);
  const auto [kafka, hub] = kafka_and_hub(args);
  std::vector<std::string> topics;
  for (const auto& name : split_list(args.option("topics", "case,screening,referral,notification"))) {
    const std::string base = "pact." + name + ".v1";
    if (pact::kafka::find_topic(base) == nullptr) {
      throw UsageError("no topic '" + name + "' (case, screening, referral, notification, deadletter, diagnostics)");
    }
    topics.push_back(base);
  }
  const long long count = number_option(args, "count", 1, 1'000'000'000).value_or(0);
  const auto run_for = args.has("for") ? parse_duration(args.option("for", ""), "--for") : std::chrono::milliseconds(0);
  const bool json = args.on("json");

  std::mutex print;
  std::atomic<long long> printed{0};
  pact::kafka::TopicFollower follower(
      pact::config::KafkaSettings{.bootstrap_servers = kafka}, hub, topics,
      [&](const pact::kafka::FollowedRecord& record) {
        std::lock_guard lock(print);
        if (count > 0 && printed >= count) return;
        std::cout << (json ? pactscenario::event_json(record).dump() : pactscenario::event_line(record)) << "\n"
                  << std::flush;
        ++printed;
      },
      args.on("from-beginning") ? pact::kafka::TopicFollower::StartAt::beginning
                                : pact::kafka::TopicFollower::StartAt::end);
  std::signal(SIGINT, [](int) { interrupted = true; });
  std::signal(SIGTERM, [](int) { interrupted = true; });
  follower.start();
  const auto until = std::chrono::steady_clock::now() + run_for;
  while (!interrupted && (count == 0 || printed < count) &&
         (run_for.count() == 0 || std::chrono::steady_clock::now() < until)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return 0;
}

// Reads the whole audit topic (the case's records are wherever its key hashed them, in order) and
// prints the case's records; stops once nothing new arrived for --idle. A trail of years is a long
// read: oversight tooling, not a hot path.
int audit(const Arguments& args) {
  args.allow_only({"kafka", "hub", "case", "idle", "json"});
  args.at_most_words(0);
  const auto [kafka, hub] = kafka_and_hub(args);
  const std::string case_id = args.option("case", "");
  if (case_id.empty()) throw UsageError("say which case: --case ID");
  const auto idle = parse_duration(args.option("idle", "3s"), "--idle");
  const bool json = args.on("json");
  std::mutex print;
  std::atomic<long long> found{0};
  std::atomic<std::int64_t> last_record_at{std::chrono::steady_clock::now().time_since_epoch().count()};
  pact::kafka::TopicFollower follower(
      pact::config::KafkaSettings{.bootstrap_servers = kafka}, hub, {std::string(pact::kafka::topic::kAudit)},
      [&](const pact::kafka::FollowedRecord& record) {
        last_record_at = std::chrono::steady_clock::now().time_since_epoch().count();
        if (record.key != case_id) return;
        pact::events::v1::AuditRecord entry;
        if (!entry.ParseFromString(record.value)) return;
        std::lock_guard lock(print);
        if (json) {
          std::string text;
          google::protobuf::util::MessageToJsonString(entry, &text);
          std::cout << text << "\n";
        } else {
          std::cout << audit_line(entry) << "\n";
        }
        ++found;
      },
      pact::kafka::TopicFollower::StartAt::beginning);
  std::signal(SIGINT, [](int) { interrupted = true; });
  std::signal(SIGTERM, [](int) { interrupted = true; });
  follower.start();
  while (!interrupted) {
    const auto quiet = std::chrono::steady_clock::now() -
                       std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(last_record_at.load()));
    if (quiet > idle) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (!json) std::cerr << found << " audit record(s) of case " << case_id << "\n";
  return 0;
}

}  // namespace pactctl
