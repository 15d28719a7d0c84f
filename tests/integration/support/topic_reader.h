#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "events/cloud_event.h"

namespace pact::testing {

struct ReadRecord {
  std::int32_t partition = 0;
  std::int64_t offset = 0;
  std::string key;
  std::string value;  // decompressed, as a consumer sees it
  events::Headers headers;
  std::string header(const std::string& name) const;
};

// Reads a whole topic from the beginning of every partition (no consumer group) until `expected`
// records arrived or `limit` passed.
std::vector<ReadRecord> read_topic(const std::string& bootstrap, const std::string& topic, int partitions,
                                   std::size_t expected, std::chrono::milliseconds limit = std::chrono::seconds(30));

}  // namespace pact::testing
