#include "arguments.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <iostream>
#include <iterator>

namespace pactctl {

const std::set<std::string, std::less<>> kSwitches = {
    "all",              // follow every page of a list
    "dry-run",          // directory import: validate only
    "escalations",      // referrals list: escalations only
    "exercise",         // register: the encounter is part of an EOC drill
    "exercise-only",    // lists: drill records only
    "from-beginning",   // tail: what the topics still hold, not only what comes next
    "help",             // show the command's usage
    "include-exercise", // lists: real and drill records
    "json",             // print the responses as JSON
    "overdue",          // referrals list: overdue only
    "presumed-minor",   // register: treat as a child although the age is uncertain
    "screening-levels", // situation: look up each open case's screening level
    "with-capacity",    // directory list: services with free places only
};

std::string Arguments::option(const std::string& name, const std::string& fallback) const {
  auto found = options.find(name);
  return found == options.end() ? fallback : found->second;
}

std::optional<std::string> Arguments::find(const std::string& name) const {
  auto found = options.find(name);
  if (found == options.end()) return std::nullopt;
  return found->second;
}

const std::string& Arguments::word(std::size_t index, std::string_view what) const {
  if (index >= words.size()) throw UsageError("missing " + std::string(what));
  return words[index];
}

void Arguments::at_most_words(std::size_t count) const {
  if (words.size() > count) throw UsageError("unexpected argument '" + words[count] + "'");
}

void Arguments::allow_only(const std::vector<std::string_view>& allowed) const {
  auto known = [&](const std::string& name) { return std::find(allowed.begin(), allowed.end(), name) != allowed.end(); };
  for (const auto& [name, value] : options) {
    if (!known(name)) throw UsageError("unknown option --" + name);
  }
  for (const auto& name : switches) {
    if (!known(name) && name != "help") throw UsageError("unknown option --" + name);
  }
}

std::vector<std::string_view> join_flags(std::initializer_list<std::vector<std::string_view>> groups) {
  std::vector<std::string_view> all;
  for (const auto& group : groups) all.insert(all.end(), group.begin(), group.end());
  return all;
}

Arguments parse_arguments(int argc, char** argv, int first) {
  Arguments args;
  for (int i = first; i < argc; ++i) {
    const std::string word = argv[i];
    if (word.size() < 3 || word.rfind("--", 0) != 0) {
      args.words.push_back(word);
      continue;
    }
    std::string name = word.substr(2);
    const auto equals = name.find('=');
    if (equals != std::string::npos) {
      std::string value = name.substr(equals + 1);
      name.resize(equals);
      if (kSwitches.count(name) > 0) throw UsageError("--" + name + " takes no value");
      args.options[name] = std::move(value);
    } else if (kSwitches.count(name) > 0) {
      args.switches.insert(name);
    } else if (i + 1 < argc && std::string_view(argv[i + 1]).rfind("--", 0) != 0) {
      args.options[name] = argv[++i];
    } else {
      // A flag right after is a forgotten value ("--case --json"), not a value that starts with "--".
      throw UsageError("--" + name + " needs a value");
    }
  }
  return args;
}

std::string env_or(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view item = text.substr(start, end - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) items.emplace_back(item);
    start = end + 1;
  }
  return items;
}

std::optional<long long> number_option(const Arguments& args, const std::string& name, long long minimum,
                                       long long maximum) {
  auto text = args.find(name);
  if (!text) return std::nullopt;
  long long value = 0;
  const char* end = text->data() + text->size();
  auto [stop, error] = std::from_chars(text->data(), end, value);
  if (error != std::errc() || stop != end || value < minimum || value > maximum) {
    throw UsageError("--" + name + " '" + *text + "' is not a whole number from " + std::to_string(minimum) + " to " +
                     std::to_string(maximum));
  }
  return value;
}

std::string read_standard_input(std::string_view what) {
  std::string input{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
  while (!input.empty() && (input.back() == '\n' || input.back() == '\r')) input.pop_back();
  if (input.empty()) throw InputError(std::string(what) + ": nothing was read from standard input");
  return input;
}

std::optional<std::string> text_option(const Arguments& args, const std::string& name) {
  auto text = args.find(name);
  if (!text || *text != "-") return text;
  return read_standard_input("--" + name + " -");
}

}  // namespace pactctl
