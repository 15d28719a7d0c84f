#pragma once

#include <chrono>
#include <span>
#include <string>

#include "config/hub.h"
#include "config/platform_config.h"
#include "kafka/topics.h"

namespace pact::kafka {

// Creates the hub's declared topics on a real broker (CreateTopics), with their partitions and
// retention. Topics that exist already are left as they are. Throws std::runtime_error naming the
// topic that could not be created.
void ensure_topics(const config::KafkaSettings& settings, const config::Hub& hub, std::span<const TopicSpec> topics,
                   int replication_factor, std::chrono::milliseconds timeout);

}  // namespace pact::kafka
