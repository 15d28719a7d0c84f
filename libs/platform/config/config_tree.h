#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace pact::config {

// Every problem found in a configuration, one per line ("source:line: key: problem").
class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(const std::vector<std::string>& problems);
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

// Environment variables that override file values: PACT__KAFKA__BOOTSTRAP_SERVERS overrides
// kafka.bootstrap_servers. The double underscore keeps them apart from the scripts' PACT_* knobs.
using Environment = std::map<std::string, std::string>;
Environment process_environment();

// A YAML configuration read through typed getters. Getters never throw: they record problems and
// return the fallback, so that finish() can report every bad or unknown key at once.
class ConfigTree {
 public:
  static ConfigTree from_file(const std::filesystem::path& path, const Environment& environment);
  static ConfigTree from_string(std::string_view yaml, std::string source_name, const Environment& environment);

  bool has(std::string_view path) const;
  std::string text(std::string_view path, std::optional<std::string> fallback = std::nullopt);
  std::int64_t integer(std::string_view path, std::optional<std::int64_t> fallback, std::int64_t min,
                       std::int64_t max);
  bool boolean(std::string_view path, std::optional<bool> fallback = std::nullopt);
  // "250ms", "5s", "2m", "1h", "7d".
  std::chrono::milliseconds duration(std::string_view path, std::optional<std::chrono::milliseconds> fallback);
  // A YAML sequence, or a comma-separated string (as environment overrides are).
  std::vector<std::string> text_list(std::string_view path, std::optional<std::vector<std::string>> fallback);
  // A map of plain strings whose keys are not checked (e.g. librdkafka properties).
  std::map<std::string, std::string> text_map(std::string_view path);
  // Marks a whole section as read without reading it (another service's section of a shared file).
  void ignore(std::string_view path) { consumed_.emplace(path); }
  // A value the caller validates itself; records the problem text against the key.
  void reject(std::string_view path, std::string_view problem);

  // Throws ConfigError listing bad values, missing keys and keys nobody read.
  void finish() const;

 private:
  ConfigTree(YAML::Node root, std::string source_name, const Environment& environment);
  struct Lookup {
    std::optional<std::string> scalar;  // from the environment or a YAML scalar
    YAML::Node node;                    // the YAML node when it came from the file
    std::string where;                  // "file:line" or "environment PACT__X"
  };
  std::optional<Lookup> find(std::string_view path);
  void problem(const std::string& where, std::string_view path, std::string_view message);

  YAML::Node root_;
  std::string source_name_;
  std::map<std::string, std::string> overrides_;  // dotted key -> value
  std::set<std::string, std::less<>> consumed_;
  std::vector<std::string> problems_;
};

}  // namespace pact::config
