#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "config/hub.h"
#include "kafka/embedded_kafka.h"
#include "kafka/topics.h"
#include "service/termination_signal.h"

// Serves librdkafka's mock cluster (see kafka/embedded_kafka.h for its limits) with every declared
// topic for the given hubs, until SIGTERM or SIGINT.
//   pact-embedded-kafka --hub PREFIX [--hub PREFIX ...] [--bootstrap-file FILE]
int main(int argc, char** argv) {
  pact::service::block_termination_signals();
  std::vector<std::string> hubs;
  std::string bootstrap_file;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--hub" && i + 1 < argc) {
      hubs.emplace_back(argv[++i]);
    } else if (arg == "--bootstrap-file" && i + 1 < argc) {
      bootstrap_file = argv[++i];
    } else {
      std::cerr << "usage: pact-embedded-kafka --hub PREFIX [--hub PREFIX ...] [--bootstrap-file FILE]\n";
      return 2;
    }
  }
  if (hubs.empty()) hubs.emplace_back("pact");
  try {
    pact::kafka::EmbeddedKafka cluster;
    for (const auto& prefix : hubs) cluster.create_topics(pact::config::Hub(prefix), pact::kafka::declared_topics());
    if (!bootstrap_file.empty()) {
      std::string temporary = bootstrap_file + ".tmp";
      std::ofstream(temporary) << cluster.bootstrap_servers() << "\n";
      std::rename(temporary.c_str(), bootstrap_file.c_str());
    }
    std::cout << cluster.bootstrap_servers() << std::endl;
    pact::service::wait_for_termination_signal();
  } catch (const std::exception& e) {
    std::cerr << "pact-embedded-kafka: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
