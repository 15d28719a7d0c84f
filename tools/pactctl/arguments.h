#pragma once

#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace pactctl {

// The command line is wrong (unknown flag, missing argument, a value that is not one of the
// choices): exit 2 and show the command's usage.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An input the operator gave cannot be used (unreadable file, malformed JSON): exit 2 with the
// reason, without the usage text, which would only bury it.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parsed flags and positional words of one pactctl command.
//   --name value, --name=value  an option (the last one given wins)
//   --name                      a switch, when name is one of kSwitches
struct Arguments {
  std::vector<std::string> words;
  std::map<std::string, std::string> options;
  std::set<std::string> switches;

  std::string option(const std::string& name, const std::string& fallback) const;
  std::optional<std::string> find(const std::string& name) const;
  bool has(const std::string& name) const { return options.count(name) > 0; }
  bool on(const std::string& name) const { return switches.count(name) > 0; }

  // The positional word at `index`; UsageError naming `what` when it is missing.
  const std::string& word(std::size_t index, std::string_view what) const;
  // UsageError when there are more positional words than `count`.
  void at_most_words(std::size_t count) const;
  // UsageError naming the first option or switch that is not in `allowed`.
  void allow_only(const std::vector<std::string_view>& allowed) const;
};

// The flag lists of a command's groups in one ({kPageFlags, {"case", "status"}}).
std::vector<std::string_view> join_flags(std::initializer_list<std::vector<std::string_view>> groups);

// Flags that never take a value. One list for every command, so `--json` means the same
// everywhere and a switch never swallows the word after it.
extern const std::set<std::string, std::less<>> kSwitches;

// Parses argv[first..argc). Throws UsageError for a value-taking option at the end of the line.
Arguments parse_arguments(int argc, char** argv, int first);

// The environment variable's value, or `fallback` when it is unset or empty.
std::string env_or(const char* name, const std::string& fallback);

// Splits "a,b,,c" into {"a","b","c"} (empty items dropped, spaces around items trimmed).
std::vector<std::string> split_list(std::string_view text);

// A whole number option within [minimum, maximum]; UsageError otherwise.
std::optional<long long> number_option(const Arguments& args, const std::string& name, long long minimum,
                                       long long maximum);

// All of standard input without the final line break; InputError naming `what` when empty.
std::string read_standard_input(std::string_view what);

// A free-text option; "-" reads it from standard input, which keeps personal data (notes,
// reasons) and bearer tokens out of shell history and the process list.
std::optional<std::string> text_option(const Arguments& args, const std::string& name);

}  // namespace pactctl
