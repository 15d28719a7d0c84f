#include "commands.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "config/hub.h"
#include "config/platform_config.h"
#include "kafka/topic_admin.h"
#include "kafka/topics.h"
#include "kafka_properties.h"
#include "pact/diagnostics/v1/diagnostics.grpc.pb.h"
#include "rpc/caller.h"
#include "rpc/health_probe.h"
#include "security/tool_identity.h"

namespace pactctl {
namespace {

// An operator checking the platform (a token from PACT_TOKEN says who, when given).
pact::rpc::Caller operator_identity() {
  pact::rpc::Caller caller;
  caller.subject = "pactctl";
  caller.organisation = "pact-operations";
  caller.roles = {"administrator"};
  return caller;
}

}  // namespace

int health(const Arguments& args) {
  args.allow_only({});
  if (args.words.empty()) {
    std::cerr << "usage: pactctl health ADDRESS [ADDRESS ...]   (TLS with PACT_CA_FILE: the services' main ports)\n";
    return 2;
  }
  const auto tool = pact::security::ToolIdentity::from_environment();
  int failures = 0;
  for (const auto& address : args.words) {
    pact::rpc::HealthAnswer answer = pact::rpc::check_health(address, "", std::chrono::seconds(3), tool.credentials());
    failures += answer.status == pact::rpc::HealthStatus::serving ? 0 : 1;
    std::cout << std::left << std::setw(24) << address << pact::rpc::to_string(answer.status)
              << (answer.detail.empty() ? "" : " (" + answer.detail + ")") << "\n";
  }
  return failures == 0 ? 0 : 1;
}

int check(const Arguments& args) {
  args.allow_only({"address", "count"});
  const std::string address = args.option("address", "");
  const int count = std::atoi(args.option("count", "20").c_str());
  if (address.empty() || count <= 0) {
    std::cerr << "usage: pactctl check --address HOST:PORT [--count N]\n";
    return 2;
  }
  const auto tool = pact::security::ToolIdentity::from_environment();
  auto stub = pact::diagnostics::v1::DiagnosticsService::NewStub(tool.channel(address));
  std::vector<double> micros;
  const auto run_id = std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
  for (int i = 0; i < count; ++i) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    tool.identify(context, operator_identity());
    pact::diagnostics::v1::RoundTripRequest request;
    request.set_probe_id("check-" + run_id + "-" + std::to_string(i));
    request.set_payload(std::string(256, 'x'));
    pact::diagnostics::v1::RoundTripResponse response;
    grpc::Status status = stub->RoundTrip(&context, request, &response);
    if (!status.ok() || !response.consumed()) {
      std::cerr << "round trip " << i << " failed: " << status.error_message() << "\n";
      return 1;
    }
    micros.push_back(static_cast<double>(response.round_trip_micros()));
  }
  std::sort(micros.begin(), micros.end());
  auto at = [&](double q) { return micros[static_cast<size_t>(q * static_cast<double>(micros.size() - 1))] / 1000.0; };
  std::cout << std::fixed << std::setprecision(1) << "round trips through Kafka and Redis: " << count
            << " of " << count << " answered; p50 " << at(0.5) << " ms, p99 " << at(0.99) << " ms\n";
  return 0;
}

int topics(const Arguments& args) {
  args.allow_only({"hub", "bootstrap", "replication", "properties"});
  const std::string action = args.words.empty() ? "list" : args.words.front();
  const pact::config::Hub hub(args.option("hub", env_or("PACT_HUB", "pact")));
  if (action == "list") {
    std::cout << std::left << std::setw(36) << "TOPIC" << std::setw(12) << "PARTITIONS" << std::setw(16)
              << "RETENTION_MS" << "PURPOSE\n";
    for (const auto& spec : pact::kafka::declared_topics()) {
      std::cout << std::setw(36) << hub.topic(spec.name) << std::setw(12) << spec.partitions << std::setw(16)
                << std::chrono::duration_cast<std::chrono::milliseconds>(spec.retention).count() << spec.purpose
                << "\n";
    }
    return 0;
  }
  if (action == "create") {
    pact::config::KafkaSettings settings;
    settings.bootstrap_servers = args.option("bootstrap", env_or("PACT_KAFKA_BOOTSTRAP", ""));
    if (settings.bootstrap_servers.empty()) {
      std::cerr << "usage: pactctl topics create --bootstrap HOST:PORT [--hub PREFIX] [--replication N]"
                   " [--properties 'k=v;k=v']\n";
      return 2;
    }
    // TLS/SASL for a managed cluster (the Helm topic job passes them from a Secret).
    settings.properties = parse_kafka_properties(args.option("properties", env_or("PACT_KAFKA_PROPERTIES", "")));
    const int replication = std::atoi(args.option("replication", "1").c_str());
    if (replication < 1) throw UsageError("--replication must be a whole number of at least 1");
    pact::kafka::ensure_topics(settings, hub, pact::kafka::declared_topics(), replication, std::chrono::seconds(30));
    std::cout << "topics for hub " << hub.prefix() << " are in place on " << settings.bootstrap_servers << "\n";
    return 0;
  }
  std::cerr << "usage: pactctl topics list|create ...\n";
  return 2;
}

}  // namespace pactctl
