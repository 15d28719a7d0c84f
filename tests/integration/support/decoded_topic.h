#pragma once

#include <chrono>
#include <cstddef>
#include <string_view>
#include <vector>

#include "config/platform_config.h"
#include "kafka/topics.h"
#include "support/topic_reader.h"

namespace pact::testing {

// A record of one of the hub's topics with its envelope decoded.
template <typename Envelope>
struct DecodedRecord {
  ReadRecord record;
  Envelope event;
};

// Every record of one of the hub's topics (by base name), decoded as `Envelope`, until `expected`
// arrived or `limit` passed (read_topic's rules).
template <typename Envelope>
std::vector<DecodedRecord<Envelope>> decoded_topic(const config::PlatformConfig& platform, std::string_view topic_base,
                                                   std::size_t expected, std::chrono::milliseconds limit) {
  std::vector<DecodedRecord<Envelope>> out;
  for (auto& record : read_topic(platform.kafka.bootstrap_servers, platform.hub.topic(topic_base),
                                 kafka::find_topic(topic_base)->partitions, expected, limit)) {
    DecodedRecord<Envelope> decoded{std::move(record), {}};
    decoded.event.ParseFromString(decoded.record.value);
    out.push_back(std::move(decoded));
  }
  return out;
}

}  // namespace pact::testing
