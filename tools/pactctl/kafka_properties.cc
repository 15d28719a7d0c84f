#include "kafka_properties.h"

#include "arguments.h"

namespace pactctl {
namespace {

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

std::map<std::string, std::string> parse_kafka_properties(std::string_view text) {
  std::map<std::string, std::string> properties;
  while (!text.empty()) {
    const std::size_t end = text.find(';');
    const std::string_view entry = trimmed(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (entry.empty()) continue;
    const std::size_t equals = entry.find('=');
    if (equals == std::string_view::npos || equals == 0) {
      throw UsageError("Kafka property '" + std::string(entry) + "' is not key=value (entries are separated by ';')");
    }
    properties[std::string(trimmed(entry.substr(0, equals)))] = std::string(trimmed(entry.substr(equals + 1)));
  }
  return properties;
}

}  // namespace pactctl
