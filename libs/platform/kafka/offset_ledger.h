#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/hub.h"
#include "kafka/consumed_record.h"
#include "redis/redis_client.h"

namespace pact::kafka {

// Where each consumer group stands in each partition, kept in Redis next to the state it produces.
// A partition's hash holds the owner, its fencing epoch and the next offset to consume:
//   <hub>:kafka:<group>:<topic>:<partition>  {owner, epoch, next}
// Per-case sequence numbers already applied, for skipping duplicate records:
//   <hub>:kafka-seq:<group>:<topic>          {<record key>: <sequence>}
class OffsetLedger {
 public:
  OffsetLedger(redis::RedisClient& redis, const config::Hub& hub, std::string group, std::string owner_id);

  struct Claim {
    std::int64_t epoch = 0;
    std::optional<std::int64_t> next_offset;  // nullopt: nothing consumed yet
  };
  // Takes ownership of a partition on assignment. Any earlier owner is fenced out from now on.
  Claim claim(const std::string& topic, std::int32_t partition);

  enum class Outcome {
    applied,    // effect and offset written
    duplicate,  // sequence already applied: only the offset moved
    rewind,     // Redis does not hold what this consumer last wrote (it lost writes): seek back
    fenced,     // another consumer owns the partition now: write refused
    in_place,   // verify only: Redis holds exactly this consumer's position
  };
  struct Result {
    Outcome outcome = Outcome::applied;
    std::optional<std::int64_t> rewind_to;  // for rewind: the next offset Redis holds (nullopt: start)
  };
  struct Position {
    std::int64_t epoch = 0;
    std::optional<std::int64_t> expected_next;  // what this consumer believes Redis holds
  };
  // Applies the effect of the record at `offset` and moves the partition to offset + 1, in one
  // atomic step. `sequence` (0 = none) with `dedup_key` skips an already applied case event.
  Result apply(const std::string& topic, std::int32_t partition, const Position& position, std::int64_t offset,
               const std::string& dedup_key, std::uint64_t sequence, const WriteBatch& effects);

  // Checks that Redis still holds this consumer's position without applying anything; a consumer
  // calls it while idle so a Redis that lost writes is noticed even on partitions with no new records.
  Result verify(const std::string& topic, std::int32_t partition, const Position& position);

  // The last sequence applied for a key (0 if none): lets a consumer skip a duplicate before work.
  std::uint64_t applied_sequence(const std::string& topic, const std::string& dedup_key);

  std::string partition_key(const std::string& topic, std::int32_t partition) const;
  std::string sequence_key(const std::string& topic) const;

 private:
  redis::RedisClient& redis_;
  const config::Hub& hub_;
  std::string group_;
  std::string owner_id_;
};

}  // namespace pact::kafka
