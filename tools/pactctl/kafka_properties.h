#pragma once

#include <map>
#include <string>
#include <string_view>

namespace pactctl {

// librdkafka properties for a cluster that needs TLS or SASL, written as the services' environment
// override PACT__KAFKA__PROPERTIES is: "security.protocol=SASL_SSL;sasl.mechanism=SCRAM-SHA-512".
// Separated by ';' because values may hold commas. Throws UsageError for an entry without '='.
std::map<std::string, std::string> parse_kafka_properties(std::string_view text);

}  // namespace pactctl
