#include <iostream>
#include <string>

#include "commands.h"

namespace {

void usage() {
  std::cerr << "usage: pactctl COMMAND [ARGS]\n"
               "  health ADDRESS...                      gRPC health of each address (exit 1 if any is not serving)\n"
               "  check --address HOST:PORT [--count N]  round trips through gRPC, Kafka and Redis (diagnostics service)\n"
               "  topics list [--hub PREFIX]             the declared topics\n"
               "  topics create --bootstrap HOST:PORT [--hub PREFIX] [--replication N]\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    usage();
    return 2;
  }
  const std::string command = argv[1];
  pactctl::Arguments args;
  for (int i = 2; i < argc; ++i) {
    std::string word = argv[i];
    if (word.rfind("--", 0) == 0 && i + 1 < argc) {
      args.options[word.substr(2)] = argv[++i];
    } else {
      args.words.push_back(word);
    }
  }
  try {
    if (command == "health") return pactctl::health(args);
    if (command == "check") return pactctl::check(args);
    if (command == "topics") return pactctl::topics(args);
  } catch (const std::exception& e) {
    std::cerr << "pactctl " << command << ": " << e.what() << "\n";
    return 1;
  }
  usage();
  return 2;
}
