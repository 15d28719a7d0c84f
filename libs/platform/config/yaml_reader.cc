#include "config/yaml_reader.h"

#include <algorithm>
#include <cctype>

namespace pact::config {

// Hand-written matchers: std::regex costs more than the rest of a catalogue load together.
bool is_language_tag(std::string_view tag) {
  std::size_t i = 0;
  while (i < tag.size() && tag[i] >= 'a' && tag[i] <= 'z') ++i;
  if (i < 2 || i > 3) return false;
  while (i < tag.size()) {
    if (tag[i++] != '-') return false;
    std::size_t start = i;
    while (i < tag.size() && std::isalnum(static_cast<unsigned char>(tag[i]))) ++i;
    if (i - start < 2 || i - start > 8) return false;
  }
  return true;
}

bool is_identifier(std::string_view id, bool upper) {
  if (id.size() < 2 || id.size() > 64 || id.front() == '-') return false;
  for (char c : id) {
    const bool letter = upper ? (c >= 'A' && c <= 'Z') : (c >= 'a' && c <= 'z');
    if (!letter && !(c >= '0' && c <= '9') && c != '-') return false;
  }
  return true;
}

void YamlReader::problem(const YAML::Node& node, const std::string& message) { problem_at(line(node), message); }

void YamlReader::problem_at(int line, const std::string& message) {
  problems_.push_back(source_ + ":" + std::to_string(line) + ": " + message);
}

void YamlReader::only_keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed,
                           std::string_view where) {
  if (!map.IsMap()) return;
  for (const auto& entry : map) {
    auto key = entry.first.as<std::string>();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      problem(entry.first, std::string(where) + ": unknown key '" + key + "'");
    }
  }
}

std::optional<std::string> YamlReader::scalar(const YAML::Node& parent, const char* key, std::string_view where,
                                              bool required) {
  YAML::Node node = parent[key];
  if (!node) {
    if (required) problem(parent, std::string(where) + ": missing '" + key + "'");
    return std::nullopt;
  }
  if (!node.IsScalar() || node.Scalar().empty()) {
    problem(node, std::string(where) + ": '" + key + "' must be a non-empty text");
    return std::nullopt;
  }
  return node.Scalar();
}

std::optional<std::uint32_t> YamlReader::count(const YAML::Node& node, std::string_view what, std::uint32_t maximum) {
  try {
    auto value = node.as<long long>();
    if (value >= 0 && value <= static_cast<long long>(maximum)) return static_cast<std::uint32_t>(value);
  } catch (const YAML::Exception&) {
  }
  problem(node, std::string(what) + " must be a whole number from 0 to " + std::to_string(maximum));
  return std::nullopt;
}

std::optional<bool> YamlReader::boolean(const YAML::Node& node, std::string_view what) {
  try {
    return node.as<bool>();
  } catch (const YAML::Exception&) {
  }
  problem(node, std::string(what) + " must be true or false");
  return std::nullopt;
}

std::vector<YAML::Node> YamlReader::sequence(const YAML::Node& parent, const char* key, std::string_view where,
                                             bool required) {
  YAML::Node node = parent[key];
  if (!node) {
    if (required) problem(parent, std::string(where) + ": missing '" + key + "'");
    return {};
  }
  if (!node.IsSequence()) {
    problem(node, std::string(where) + ": '" + key + "' must be a list");
    return {};
  }
  return {node.begin(), node.end()};
}

}  // namespace pact::config
