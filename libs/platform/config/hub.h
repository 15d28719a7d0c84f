#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace pact::config {

// A hub is one deployment of the services. Its prefix goes in front of every topic, consumer group
// and Redis key, so that two hubs can share one broker and one Redis (as the integration tests do).
class Hub {
 public:
  // Throws std::invalid_argument unless the prefix is 1-32 of [a-z0-9-], starting with a letter.
  explicit Hub(std::string prefix);

  static bool is_valid_prefix(std::string_view prefix);

  const std::string& prefix() const { return prefix_; }
  std::string topic(std::string_view base_name) const { return prefix_ + "." + std::string(base_name); }
  std::string consumer_group(std::string_view name) const { return prefix_ + "." + std::string(name); }
  std::string redis_key(std::initializer_list<std::string_view> parts) const;

 private:
  std::string prefix_;
};

}  // namespace pact::config
