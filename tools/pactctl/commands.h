#pragma once

#include <map>
#include <string>
#include <vector>

namespace pactctl {

// Parsed "--name value" options and positional words of one pactctl command.
struct Arguments {
  std::vector<std::string> words;
  std::map<std::string, std::string> options;
  std::string option(const std::string& name, const std::string& fallback) const;
};

// Exit codes: 0 success, 1 the checked thing is unhealthy or failed, 2 usage error.
int health(const Arguments& args);
int check(const Arguments& args);
int topics(const Arguments& args);

}  // namespace pactctl
