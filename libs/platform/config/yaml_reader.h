#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace pact::config {

// Names a data file may use for an enum value, in the order they are listed in error messages.
template <typename T>
using NameTable = std::initializer_list<std::pair<std::string_view, T>>;

template <typename T>
std::string names_of(NameTable<T> table) {
  std::string out;
  for (const auto& [name, value] : table) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

template <typename T>
std::optional<std::string_view> name_of(NameTable<T> table, T value) {
  for (const auto& [name, candidate] : table) {
    if (candidate == value) return name;
  }
  return std::nullopt;
}

// BCP 47 shape as data files use it: [a-z]{2,3}(-[A-Za-z0-9]{2,8})*
bool is_language_tag(std::string_view tag);
// Stable ids in data files: [a-z0-9][a-z0-9-]{1,63} (or upper case letters when `upper`).
bool is_identifier(std::string_view id, bool upper = false);

// Reads a YAML (or JSON) data file leniently and collects every problem with its line
// ("file:line: problem"), so that one pass reports them all instead of stopping at the first.
// Shared by the reference-data loaders (indicator catalogues, SOP rules, directory imports).
class YamlReader {
 public:
  explicit YamlReader(std::string source) : source_(std::move(source)) {}

  const std::string& source() const { return source_; }
  static int line(const YAML::Node& node) { return node.Mark().line + 1; }

  void problem(const YAML::Node& node, const std::string& message);
  void problem_at(int line, const std::string& message);
  std::vector<std::string>& problems() { return problems_; }
  bool ok() const { return problems_.empty(); }

  // Reports every key of `map` not in `allowed`.
  void only_keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed, std::string_view where);
  // A non-empty scalar under `key`; missing is a problem only when required.
  std::optional<std::string> scalar(const YAML::Node& parent, const char* key, std::string_view where,
                                    bool required = true);
  // A whole number from 0 to `maximum`.
  std::optional<std::uint32_t> count(const YAML::Node& node, std::string_view what, std::uint32_t maximum = 1000);
  std::optional<bool> boolean(const YAML::Node& node, std::string_view what);
  // The children of a list under `key`; missing is a problem only when required.
  std::vector<YAML::Node> sequence(const YAML::Node& parent, const char* key, std::string_view where, bool required);

  template <typename T>
  std::optional<T> name(const YAML::Node& node, NameTable<T> table, std::string_view what) {
    if (node.IsScalar()) {
      for (const auto& [name, value] : table) {
        if (node.Scalar() == name) return value;
      }
    }
    problem(node, "unknown " + std::string(what) + " '" + (node.IsScalar() ? node.Scalar() : std::string("?")) +
                      "' (expected one of: " + names_of(table) + ")");
    return std::nullopt;
  }

  // Every name of a list (a single scalar is read as a list of one); unknown names are problems.
  template <typename T>
  std::vector<T> names(const YAML::Node& node, NameTable<T> table, std::string_view what) {
    std::vector<T> out;
    if (node.IsScalar()) {
      if (auto value = name(node, table, what)) out.push_back(*value);
      return out;
    }
    if (!node.IsSequence()) {
      problem(node, std::string(what) + ": expected a list");
      return out;
    }
    for (const auto& item : node) {
      if (auto value = name(item, table, what)) out.push_back(*value);
    }
    return out;
  }

 private:
  std::string source_;
  std::vector<std::string> problems_;
};

}  // namespace pact::config
