// pactctl: the operator CLI. One row per command below; the commands live in files by the
// service they talk to, and this file only dispatches and reports usage.
#include <iostream>
#include <string>
#include <string_view>

#include "cli_options.h"
#include "commands.h"
#include "scenario_commands.h"

namespace {

struct Command {
  std::string_view name;
  int (*run)(const pactctl::Arguments&);
  std::string_view usage;
  bool takes_service_flags;  // addresses, identity, --deadline, --json (cli_options.h)
};

constexpr Command kCommands[] = {
    {"health", pactctl::health,
     "pactctl health ADDRESS...\n"
     "    gRPC health of each address (exit 1 if any is not serving)\n",
     false},
    {"check", pactctl::check,
     "pactctl check --address HOST:PORT [--count N]\n"
     "    round trips through gRPC, Kafka and Redis (diagnostics service)\n",
     false},
    {"token", pactctl::token,
     "pactctl token --signing-key KEY.pem --issuer ID --subject ID --organisation ID --roles a,b\n"
     "              [--jurisdictions RS,MK] [--sector police] [--ttl 8h]\n"
     "    mints a person's bearer token with the local run's key (deployments use their identity provider)\n",
     false},
    {"topics", pactctl::topics,
     "pactctl topics list [--hub PREFIX]\n"
     "pactctl topics create --bootstrap HOST:PORT [--hub PREFIX] [--replication N] [--properties 'k=v;k=v']\n"
     "    the declared Kafka topics; create makes them on a broker\n",
     false},
    {"register", pactctl::register_encounter,
     "pactctl register [--file F.json|F.yaml|-] [--format json|yaml] [--idempotency-key K] [--language L]\n"
     "    [--sector S] [--jurisdiction J] [--site SITE_ID] [--municipality M] [--emergency ID]\n"
     "    [--age YEARS | --age-estimate MIN-MAX] [--age-certainty C] [--age-band B] [--presumed-minor]\n"
     "    [--gender G] [--nationality CC|unknown|stateless] [--languages ar,en] [--companion C]\n"
     "    [--needs shelter,interpreter] [--indicators ID,ID] [--flags immediate_danger,urgent_medical]\n"
     "    [--consent services,identification] [--declined-consent police] [--consent-by person]\n"
     "    [--consent-method verbal|written|electronic] [--consent-language L]\n"
     "    [--next-destination J|CC] [--encountered-at RFC3339|now] [--exercise]\n"
     "    registers an encounter; prints the case id, reference code and screening guidance.\n"
     "    The file holds a RegisterEncounterRequest or just its Encounter (proto field names, enum\n"
     "    value names); flags set or add to it. Names, documents, contacts and notes come from the\n"
     "    file only, so they stay out of shell history. Without --idempotency-key a key is made and\n"
     "    printed: retry with it, and the retry cannot make a second case.\n",
     true},
    {"case", pactctl::cases,
     "pactctl case show CASE_ID [--purpose case_management] [--language L]\n"
     "    the case with its personal data (an audited read, with its purpose), its screening\n"
     "    assessment (when --screening is known) and its referrals (when --routing is known)\n",
     true},
    {"cases", pactctl::cases,
     "pactctl cases list [--jurisdiction J] [--site SITE_ID] [--emergency ID] [--status open,closed,erased]\n"
     "    [--include-exercise | --exercise-only] [--page-size N] [--page-token T] [--all]\n"
     "    coarse summaries, most recently updated first (open and closed unless --status)\n",
     true},
    {"referrals", pactctl::referrals,
     "pactctl referrals list [--case ID] [--provider ORG] [--service SERVICE_ID] [--status requested,received]\n"
     "    [--overdue] [--escalations] [--jurisdiction J] [--service-type T] [--need N]\n"
     "    [--include-exercise | --exercise-only] [--page-size N] [--page-token T] [--all]\n"
     "pactctl referrals show REFERRAL_ID\n"
     "pactctl referrals acknowledge REFERRAL_ID\n"
     "pactctl referrals accept|start|complete REFERRAL_ID [--note TEXT|-]\n"
     "pactctl referrals reject REFERRAL_ID --reason R [--note TEXT|-]\n"
     "    R: no_capacity, not_eligible, outside_service_area, service_unavailable,\n"
     "       language_not_supported, person_declined, other (other needs --note)\n"
     "pactctl referrals fail REFERRAL_ID --reason R [--note TEXT|-]\n"
     "    R: person_unreachable, person_declined, person_moved_on, service_not_delivered, other\n"
     "    --note - reads the note from standard input (notes are personal data)\n",
     true},
    {"decision", pactctl::decision,
     "pactctl decision record --case ID --type T --outcome positive|negative --decided-by-name NAME\n"
     "    --reason TEXT|- [--decided-by SUBJECT] [--decided-by-role ROLE] [--authority ORG]\n"
     "    [--decided-at RFC3339] [--reflection-days N] [--exception-scopes police,cross_border]\n"
     "    [--exception-data identity,location] [--valid-until RFC3339] [--referral ID] [--idempotency-key K]\n"
     "    T: reasonable_grounds, formal_identification, risk_to_life_exception, child_protection_exception\n"
     "    records a decision a named person made, with their reason\n",
     true},
    {"notifications", pactctl::notifications,
     "pactctl notifications ack TOKEN|-\n"
     "    acknowledges a message with its token (- reads the token from standard input)\n",
     true},
    {"deliveries", pactctl::deliveries,
     "pactctl deliveries list REFERRAL_ID | --case CASE_ID [--status pending,retrying,dead_lettered]\n"
     "    [--page-size N] [--page-token T] [--all]\n"
     "    whether the messages for a referral (or a case) reached their recipients\n",
     true},
    {"directory", pactctl::directory,
     "pactctl directory import FILE [--format json|csv] [--records organisations|services] [--dry-run]\n"
     "    all or nothing; CSV holds one kind of record (guessed from the header unless --records)\n"
     "pactctl directory list [services|organisations] [--type T] [--jurisdiction J] [--site SITE_ID]\n"
     "    [--provider ORG] [--status active,temporarily_closed] [--with-capacity] [--kind K]\n"
     "    [--page-size N] [--page-token T] [--all]\n"
     "pactctl directory capacity SERVICE_ID --available N [--maximum N] [--unit U] [--expected-version V]\n",
     true},
    {"situation", pactctl::situation,
     "pactctl situation [--jurisdiction J] [--site SITE_ID] [--emergency ID]\n"
     "    [--include-exercise | --exercise-only] [--screening-levels] [--suppress-below N]\n"
     "    open cases by site, referrals by status, overdue and escalations (needs --intake and\n"
     "    --routing). --screening-levels also counts screening levels: one audited assessment read\n"
     "    per open case. --suppress-below N shows counts under N as \"<N\" for figures to be shared.\n",
     true},
    {"surge", pactctl::surge,
     "pactctl surge --intake HOST:PORT --kafka HOST:PORT [--hub PREFIX] [--arrivals 400 | --duration 10s] [--rate 50]\n"
     "    [--concurrency 256] [--settle 60s] [--quiet 10s] [--exercise] [--run-id ID] [--json] [--json-file F]\n"
     "    registers a surge of arrivals (the load generator's mix: families, unaccompanied and separated\n"
     "    children, urgent medical needs, people moving on) at a rate, with a progress bar, then follows\n"
     "    the hub's events until nothing changed for --quiet (at most --settle) and prints what happened:\n"
     "    cases by level, referrals by service type and status, deliveries, re-routes, escalations,\n"
     "    handoffs, end-to-end latency. Exit 1 when an arrival was refused. Env: PACT_INTAKE_ADDRESS,\n"
     "    PACT_KAFKA_BOOTSTRAP, PACT_HUB\n",
     false},
    {"audit", pactctl::audit,
     "pactctl audit --case ID --kafka HOST:PORT [--hub PREFIX] [--idle 3s] [--json]\n"
     "    the audit trail of one case: every read of its personal data, key release and change,\n"
     "    with who, when, why and the trace id (reads the whole audit topic)\n",
     false},
    {"tail", pactctl::tail,
     "pactctl tail --kafka HOST:PORT [--hub PREFIX] [--topics case,screening,referral,notification]\n"
     "    [--from-beginning] [--count N] [--for 30s] [--json]\n"
     "    the hub's events as they arrive, decoded, with their CloudEvents attributes (one line each,\n"
     "    or one JSON object per line); sealed sections stay sealed. Stops on Ctrl-C, after --count\n"
     "    events or after --for\n",
     false},
};

const Command* find_command(std::string_view name) {
  for (const auto& command : kCommands) {
    if (command.name == name) return &command;
  }
  return nullptr;
}

void print_usage(std::ostream& out, const Command& command) {
  out << command.usage;
  if (command.takes_service_flags) out << "\n" << pactctl::kSessionUsage;
}

void print_overview(std::ostream& out) {
  out << "usage: pactctl COMMAND [ARGS]   (pactctl help COMMAND, or COMMAND --help, for one command)\n\n";
  for (const auto& command : kCommands) out << command.usage;
  out << "\n" << pactctl::kSessionUsage
      << "\nExit codes: 0 ok, 1 the call failed (or something checked is unhealthy), 2 usage or input error.\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    print_overview(std::cerr);
    return 2;
  }
  const std::string name = argv[1];
  if (name == "help" || name == "--help" || name == "-h") {
    const Command* command = argc > 2 ? find_command(argv[2]) : nullptr;
    if (command != nullptr) {
      print_usage(std::cout, *command);
    } else {
      print_overview(std::cout);
    }
    return 0;
  }
  const Command* command = find_command(name);
  if (command == nullptr) {
    std::cerr << "pactctl: unknown command '" << name << "'\n\n";
    print_overview(std::cerr);
    return 2;
  }
  try {
    const pactctl::Arguments args = pactctl::parse_arguments(argc, argv, 2);
    if (args.on("help")) {
      print_usage(std::cout, *command);
      return 0;
    }
    return command->run(args);
  } catch (const pactctl::UsageError& e) {
    std::cerr << "pactctl " << name << ": " << e.what() << "\n\nusage:\n";
    print_usage(std::cerr, *command);
    return 2;
  } catch (const pactctl::InputError& e) {
    std::cerr << "pactctl " << name << ": " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "pactctl " << name << ": " << e.what() << "\n";
    return 1;
  }
}
