#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "kafka/topic_follower.h"

namespace pactscenario {

using FollowedRecord = pact::kafka::FollowedRecord;

// A followed record as an operator reads it: its CloudEvents attributes (the ce_* headers, without
// the prefix) and the event envelope decoded to JSON (proto field names). Sealed sections stay
// sealed: they are ciphertext in the envelope and print as such. A record of a topic with no known
// envelope, or one that does not decode, keeps its size only.
nlohmann::json event_json(const FollowedRecord& record);

// One line: time, CloudEvents type, case (record key), topic@partition:offset, then what happened
// (the envelope's event as compact JSON).
std::string event_line(const FollowedRecord& record);

}  // namespace pactscenario
