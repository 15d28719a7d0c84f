#include "config/hub.h"

#include <stdexcept>

namespace pact::config {

bool Hub::is_valid_prefix(std::string_view prefix) {
  if (prefix.empty() || prefix.size() > 32) return false;
  if (prefix.front() < 'a' || prefix.front() > 'z') return false;
  for (char c : prefix) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return true;
}

Hub::Hub(std::string prefix) : prefix_(std::move(prefix)) {
  if (!is_valid_prefix(prefix_)) {
    throw std::invalid_argument("hub prefix '" + prefix_ + "' must be 1-32 characters of a-z, 0-9 and '-', starting with a letter");
  }
}

std::string Hub::redis_key(std::initializer_list<std::string_view> parts) const {
  std::string key = prefix_;
  for (auto part : parts) {
    key += ':';
    key += part;
  }
  return key;
}

}  // namespace pact::config
