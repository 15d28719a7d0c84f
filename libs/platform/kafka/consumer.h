#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "config/platform_config.h"
#include "kafka/consumed_record.h"
#include "kafka/log_bridge.h"
#include "kafka/offset_ledger.h"
#include "kafka/producer.h"

namespace RdKafka {
class KafkaConsumer;
class Message;
}  // namespace RdKafka

namespace pact::kafka {

struct ConsumerOptions {
  std::string group;                // consumer group name without the hub prefix
  std::vector<std::string> topics;  // base names without the hub prefix
  int max_attempts = 5;             // handler failures before a record is dead-lettered
  // Skip a record whose per-case sequence was already applied. Off for topics where several
  // records of a case share one sequence (delivery reports); their handler must be idempotent.
  bool deduplicate_by_sequence = true;
  std::chrono::milliseconds first_retry_delay{100};
  std::chrono::milliseconds max_retry_delay{5000};
  std::chrono::milliseconds kafka_commit_interval{1000};
  // How often an idle consumer checks that Redis still holds its positions (see OffsetLedger::verify).
  std::chrono::milliseconds position_check_interval{1000};
};

// Counters for tests and metrics: what happened, counted, never timed.
struct ConsumerStats {
  std::atomic<std::uint64_t> applied{0};
  std::atomic<std::uint64_t> duplicates{0};
  std::atomic<std::uint64_t> dead_lettered{0};
  std::atomic<std::uint64_t> rewinds{0};
  std::atomic<std::uint64_t> fenced{0};
  std::atomic<std::uint64_t> handler_retries{0};
  std::atomic<std::uint64_t> assignments{0};
};

// A consumer whose position lives in Redis with its state (DESIGN.md "Processing guarantees"):
// on assignment it claims each partition in Redis (fencing out the previous owner) and seeks to
// the offset stored there; each record's effect and the next offset are written in one atomic,
// fenced Lua step; offsets are committed to Kafka afterwards only for lag metrics. Records that
// cannot be handled go to the dead-letter topic with the reason, and consumption goes on.
class Consumer {
 public:
  Consumer(const config::PlatformConfig& platform, ConsumerOptions options, redis::RedisClient& redis,
           Producer& dead_letter_producer, RecordHandler& handler);
  ~Consumer();
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  // Consumes until stop() is called (from another thread). Closes the consumer on the way out.
  void run();
  void stop() { stopping_ = true; }

  const ConsumerStats& stats() const { return stats_; }
  std::size_t assigned_partitions() const { return assigned_count_.load(); }

 private:
  class Rebalancer;
  struct PartitionState {
    OffsetLedger::Position position;
    bool fenced = false;
    bool seek_pending = false;  // a rewind's seek failed: drop records until it succeeds
  };
  // What to do with one record, decided before anything is written.
  struct Decision {
    enum class Outcome { apply, dead_letter, stopped } outcome = Outcome::apply;
    WriteBatch effects;
    std::uint64_t sequence = 0;
    std::string reason;
    int attempts = 1;
  };
  using PartitionId = std::pair<std::string, std::int32_t>;

  void on_assign(const std::vector<PartitionId>& partitions);
  void on_revoke();
  void process(RdKafka::Message& message);
  // Runs the handler (retrying failures, waiting out Redis outages) and decides the outcome.
  Decision decide(ConsumedRecord& record);
  // Stores the decision's effect and position, riding out Redis outages; an effect Redis refuses
  // turns the record into a dead letter.
  void settle_until_stored(const ConsumedRecord& record, PartitionState& state, Decision& decision);
  // Writes the effect and the next offset; `handled` is false for dead-lettered records.
  void settle(const ConsumedRecord& record, PartitionState& state, const WriteBatch& effects, std::uint64_t sequence,
              bool handled);
  // False when the consumer stopped before the dead letter was stored.
  bool dead_letter(const ConsumedRecord& record, const std::string& reason, int attempts);
  void react_to_position(const PartitionId& id, PartitionState& state, const OffsetLedger::Result& result);
  void verify_positions_if_due();
  bool seek(const PartitionId& partition, std::optional<std::int64_t> offset);
  void commit_to_kafka_if_due();
  void pause_before_retry(int attempt);

  const config::PlatformConfig& platform_;
  ConsumerOptions options_;
  std::string group_;
  std::string owner_id_;
  redis::RedisClient& redis_;
  Producer& dead_letter_producer_;
  RecordHandler& handler_;
  OffsetLedger ledger_;
  std::unique_ptr<Rebalancer> rebalancer_;
  LogBridge log_bridge_;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
  std::map<PartitionId, PartitionState> partitions_;
  std::map<PartitionId, std::int64_t> uncommitted_;
  std::chrono::steady_clock::time_point last_commit_;
  std::chrono::steady_clock::time_point last_position_check_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> assigned_count_{0};
  ConsumerStats stats_;
};

}  // namespace pact::kafka
