#pragma once

#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include <librdkafka/rdkafkacpp.h>

#include "config/platform_config.h"

namespace pact::kafka {

class KafkaConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A librdkafka configuration: bootstrap servers, the role's defaults, the operator's properties
// (which win over defaults), then the role's locked properties, which carry the processing
// guarantees (idempotence, acks=all, no auto-commit) and which an operator setting must not undo:
// a conflicting operator value is an error, not a silent override. An unknown or invalid property
// is an error naming it.
std::unique_ptr<RdKafka::Conf> make_client_conf(const config::KafkaSettings& settings,
                                                const std::map<std::string, std::string>& role_defaults,
                                                const std::map<std::string, std::string>& locked = {});

void set_or_throw(RdKafka::Conf& conf, const std::string& name, const std::string& value);

}  // namespace pact::kafka
