#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "events/cloud_event.h"
#include "redis/redis_client.h"

namespace pact::kafka {

struct ConsumedRecord {
  std::string topic;
  std::int32_t partition = 0;
  std::int64_t offset = 0;
  std::string key;
  std::string value;
  events::Headers headers;
  events::CloudEvent event;  // the record's CloudEvents attributes (validated before handling)
};

// The Redis writes that are the effect of one record. They are applied in the same atomic step as
// the consumer's position, so a record's effect and the offset after it are never apart.
// Commands must be plain writes (SET, HSET, ZADD, DEL, INCRBY, ...): a failing command inside the
// step would leave earlier ones applied, so validate data before adding it here.
class WriteBatch {
 public:
  void add(redis::Command command) { commands_.push_back(std::move(command)); }
  const std::vector<redis::Command>& commands() const { return commands_; }
  bool empty() const { return commands_.empty(); }
  void clear() { commands_.clear(); }

 private:
  std::vector<redis::Command> commands_;
};

// Thrown by a handler for a record that can never be handled (undecodable, invalid): it goes to the
// dead-letter topic at once with this reason. Any other exception is retried, then dead-lettered.
class PoisonRecord : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Thrown by a handler when something it depends on (another service, the broker) is unavailable:
// not the record's fault, so the consumer waits and retries without counting attempts, however
// long it takes, instead of dead-lettering a valid record during an outage.
class DependencyUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class RecordHandler {
 public:
  virtual ~RecordHandler() = default;
  // Decides the effect of one record; may produce downstream events (deterministic ids) before
  // returning. Runs on the consumer's thread, records of one partition strictly in order.
  virtual void handle(const ConsumedRecord& record, WriteBatch& effects) = 0;
  // Called after the record's effect and offset are stored (not for duplicates or dead letters):
  // the place to answer whoever waits for this record to take effect.
  virtual void applied(const ConsumedRecord& /*record*/) {}
};

}  // namespace pact::kafka
