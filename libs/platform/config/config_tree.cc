#include "config/config_tree.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <sstream>

extern char** environ;

namespace pact::config {
namespace {

constexpr std::string_view kOverridePrefix = "PACT__";

std::string join_lines(const std::vector<std::string>& problems) {
  std::string out = "invalid configuration:";
  for (const auto& p : problems) out += "\n  " + p;
  return out;
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(separator, start);
    if (end == std::string_view::npos) end = text.size();
    parts.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

std::string trim(std::string_view text) {
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return std::string(text.substr(begin, end - begin));
}

void collect_leaves(const YAML::Node& node, const std::string& prefix, std::vector<std::pair<std::string, int>>& out) {
  if (node.IsMap()) {
    for (const auto& entry : node) {
      std::string key = entry.first.as<std::string>();
      collect_leaves(entry.second, prefix.empty() ? key : prefix + "." + key, out);
    }
    return;
  }
  out.emplace_back(prefix, node.Mark().line + 1);
}

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  if (digits == 0) return std::nullopt;
  std::int64_t amount = 0;
  if (std::from_chars(text.data(), text.data() + digits, amount).ec != std::errc()) return std::nullopt;
  std::string_view unit = text.substr(digits);
  // Nothing we configure lasts ten years; larger numbers are typos (and would overflow).
  constexpr std::int64_t kMaxSeconds = 10LL * 366 * 24 * 3600;
  const std::int64_t seconds_per_unit = unit == "ms" ? 0 : unit == "s" ? 1 : unit == "m" ? 60 : unit == "h" ? 3600 : 86400;
  if ((seconds_per_unit == 0 && amount / 1000 > kMaxSeconds) ||
      (seconds_per_unit > 0 && amount > kMaxSeconds / seconds_per_unit)) {
    return std::nullopt;
  }
  using namespace std::chrono;
  if (unit == "ms") return milliseconds(amount);
  if (unit == "s") return duration_cast<milliseconds>(seconds(amount));
  if (unit == "m") return duration_cast<milliseconds>(minutes(amount));
  if (unit == "h") return duration_cast<milliseconds>(hours(amount));
  if (unit == "d") return duration_cast<milliseconds>(hours(24 * amount));
  return std::nullopt;
}

// Walks a dotted path without modifying the tree (yaml-cpp's non-const operator[] inserts, and
// assigning one Node to another writes through to the document).
std::optional<YAML::Node> descend(const YAML::Node& root, std::string_view path) {
  YAML::Node current;
  current.reset(root);
  for (const auto& segment : split(path, '.')) {
    const YAML::Node& view = current;
    if (!view.IsMap()) return std::nullopt;
    YAML::Node next = view[segment];
    if (!next) return std::nullopt;
    current.reset(next);
  }
  if (current.IsNull()) return std::nullopt;
  return current;
}

}  // namespace

ConfigError::ConfigError(const std::vector<std::string>& problems)
    : std::runtime_error(join_lines(problems)), problems_(problems) {}

Environment process_environment() {
  Environment environment;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    size_t eq = text.find('=');
    if (eq == std::string_view::npos) continue;
    environment.emplace(text.substr(0, eq), text.substr(eq + 1));
  }
  return environment;
}

ConfigTree ConfigTree::from_file(const std::filesystem::path& path, const Environment& environment) {
  std::ifstream in(path);
  if (!in) throw ConfigError({path.string() + ": cannot be read"});
  std::stringstream buffer;
  buffer << in.rdbuf();
  return from_string(buffer.str(), path.string(), environment);
}

ConfigTree ConfigTree::from_string(std::string_view yaml, std::string source_name, const Environment& environment) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    throw ConfigError({source_name + ":" + std::to_string(e.mark.line + 1) + ": not valid YAML: " + e.msg});
  }
  if (root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
  if (!root.IsMap()) throw ConfigError({source_name + ":1: the top level must be a mapping of keys"});
  return ConfigTree(std::move(root), std::move(source_name), environment);
}

ConfigTree::ConfigTree(YAML::Node root, std::string source_name, const Environment& environment)
    : root_(std::move(root)), source_name_(std::move(source_name)) {
  for (const auto& [name, value] : environment) {
    if (name.rfind(kOverridePrefix, 0) != 0 || name.size() == kOverridePrefix.size()) continue;
    std::string key;
    for (const auto& segment : split(std::string_view(name).substr(kOverridePrefix.size()), '_')) {
      // Segments are separated by a double underscore; a single one stays inside a key name.
      key += segment.empty() ? "." : (key.empty() || key.back() == '.' ? "" : "_") + segment;
    }
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
    overrides_[key] = value;
  }
}

bool ConfigTree::has(std::string_view path) const {
  if (overrides_.count(std::string(path)) != 0) return true;
  return descend(root_, path).has_value();
}

std::optional<ConfigTree::Lookup> ConfigTree::find(std::string_view path) {
  consumed_.emplace(path);
  std::string key(path);
  if (auto it = overrides_.find(key); it != overrides_.end()) {
    std::string variable(kOverridePrefix);
    for (char c : key) variable += c == '.' ? std::string("__") : std::string(1, static_cast<char>(std::toupper(c)));
    return Lookup{it->second, YAML::Node(), "environment " + variable};
  }
  auto found = descend(root_, path);
  if (!found) return std::nullopt;
  const YAML::Node& node = *found;
  Lookup lookup{std::nullopt, node, source_name_ + ":" + std::to_string(node.Mark().line + 1)};
  if (node.IsScalar()) lookup.scalar = node.Scalar();
  return lookup;
}

void ConfigTree::problem(const std::string& where, std::string_view path, std::string_view message) {
  problems_.push_back(where + ": " + std::string(path) + ": " + std::string(message));
}

void ConfigTree::reject(std::string_view path, std::string_view problem_text) {
  auto lookup = find(path);
  problem(lookup ? lookup->where : source_name_, path, problem_text);
}

std::string ConfigTree::text(std::string_view path, std::optional<std::string> fallback) {
  auto lookup = find(path);
  if (!lookup) {
    if (!fallback) problem(source_name_, path, "is required");
    return fallback.value_or("");
  }
  if (!lookup->scalar) {
    problem(lookup->where, path, "must be a single value");
    return fallback.value_or("");
  }
  return *lookup->scalar;
}

std::int64_t ConfigTree::integer(std::string_view path, std::optional<std::int64_t> fallback, std::int64_t min,
                                 std::int64_t max) {
  auto lookup = find(path);
  if (!lookup) {
    if (!fallback) problem(source_name_, path, "is required");
    return fallback.value_or(min);
  }
  std::int64_t value = 0;
  const std::string text_value = lookup->scalar.value_or("");
  auto [end, error] = std::from_chars(text_value.data(), text_value.data() + text_value.size(), value);
  if (!lookup->scalar || error != std::errc() || end != text_value.data() + text_value.size()) {
    problem(lookup->where, path, "must be a whole number, got '" + text_value + "'");
    return fallback.value_or(min);
  }
  if (value < min || value > max) {
    problem(lookup->where, path,
            "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " + text_value);
    return fallback.value_or(min);
  }
  return value;
}

bool ConfigTree::boolean(std::string_view path, std::optional<bool> fallback) {
  auto lookup = find(path);
  if (!lookup) {
    if (!fallback) problem(source_name_, path, "is required");
    return fallback.value_or(false);
  }
  const std::string value = lookup->scalar.value_or("");
  if (value == "true" || value == "yes" || value == "on") return true;
  if (value == "false" || value == "no" || value == "off") return false;
  problem(lookup->where, path, "must be true or false, got '" + value + "'");
  return fallback.value_or(false);
}

std::chrono::milliseconds ConfigTree::duration(std::string_view path,
                                               std::optional<std::chrono::milliseconds> fallback) {
  auto lookup = find(path);
  if (!lookup) {
    if (!fallback) problem(source_name_, path, "is required");
    return fallback.value_or(std::chrono::milliseconds(0));
  }
  auto parsed = lookup->scalar ? parse_duration(*lookup->scalar) : std::nullopt;
  if (!parsed) {
    problem(lookup->where, path,
            "must be a duration such as 250ms, 5s, 2m, 1h or 7d (at most 10 years), got '" +
                lookup->scalar.value_or("") + "'");
    return fallback.value_or(std::chrono::milliseconds(0));
  }
  return *parsed;
}

std::vector<std::string> ConfigTree::text_list(std::string_view path,
                                               std::optional<std::vector<std::string>> fallback) {
  auto lookup = find(path);
  if (!lookup) {
    if (!fallback) problem(source_name_, path, "is required");
    return fallback.value_or(std::vector<std::string>{});
  }
  std::vector<std::string> values;
  if (lookup->scalar) {
    for (const auto& part : split(*lookup->scalar, ',')) {
      std::string item = trim(part);
      if (!item.empty()) values.push_back(item);
    }
    return values;
  }
  if (!lookup->node.IsSequence()) {
    problem(lookup->where, path, "must be a list");
    return fallback.value_or(std::vector<std::string>{});
  }
  for (const auto& item : lookup->node) {
    if (!item.IsScalar()) {
      problem(lookup->where, path, "list items must be single values");
      continue;
    }
    values.push_back(item.Scalar());
  }
  return values;
}

std::map<std::string, std::string> ConfigTree::text_map(std::string_view path) {
  std::map<std::string, std::string> values;
  consumed_.emplace(path);
  // The file's entries first ...
  if (auto node = descend(root_, path)) {
    const std::string where = source_name_ + ":" + std::to_string(node->Mark().line + 1);
    if (!node->IsMap()) {
      problem(where, path, "must be a mapping");
    } else {
      for (const auto& entry : *node) {
        if (!entry.second.IsScalar()) {
          problem(where, path, "values must be single values");
          continue;
        }
        values[entry.first.as<std::string>()] = entry.second.Scalar();
      }
    }
  }
  // ... then the environment's key=value pairs on top (librdkafka names contain dots, which an
  // environment variable name cannot), separated by ';' because values may contain commas.
  if (auto it = overrides_.find(std::string(path)); it != overrides_.end()) {
    for (const auto& pair : split(it->second, ';')) {
      size_t eq = pair.find('=');
      if (eq == std::string::npos) {
        if (!trim(pair).empty()) problem("environment", path, "entries must be key=value, separated by ';'");
        continue;
      }
      values[trim(pair.substr(0, eq))] = trim(pair.substr(eq + 1));
    }
  }
  return values;
}

void ConfigTree::finish() const {
  std::vector<std::string> problems = problems_;
  std::vector<std::pair<std::string, int>> leaves;
  collect_leaves(root_, "", leaves);
  auto is_consumed = [&](const std::string& key) {
    for (std::string prefix = key;;) {
      if (consumed_.count(prefix) != 0) return true;
      size_t dot = prefix.rfind('.');
      if (dot == std::string::npos) return false;
      prefix.resize(dot);
    }
  };
  for (const auto& [key, line] : leaves) {
    if (!key.empty() && !is_consumed(key)) {
      problems.push_back(source_name_ + ":" + std::to_string(line) + ": " + key + ": unknown key");
    }
  }
  for (const auto& [key, value] : overrides_) {
    if (!is_consumed(key)) problems.push_back("environment: " + key + ": unknown key");
  }
  if (!problems.empty()) throw ConfigError(problems);
}

}  // namespace pact::config
