#include "kafka/consumer.h"

#include <librdkafka/rdkafkacpp.h>

#include <thread>

#include "crypto/keyed_hash.h"
#include "crypto/secret_key.h"
#include "kafka/client_config.h"
#include "kafka/topics.h"
#include "log/logger.h"

namespace pact::kafka {
namespace {

std::string new_owner_id(const std::string& group) {
  return group + "/" + crypto::to_hex(crypto::SecretKey::generate().view().substr(0, 12));
}

events::Headers headers_of(RdKafka::Message& message) {
  events::Headers headers;
  if (RdKafka::Headers* raw = message.headers()) {
    for (const auto& header : raw->get_all()) {
      headers.emplace_back(header.key(), header.value() != nullptr
                                             ? std::string(static_cast<const char*>(header.value()), header.value_size())
                                             : std::string());
    }
  }
  return headers;
}

ConsumedRecord record_of(RdKafka::Message& message) {
  ConsumedRecord record;
  record.topic = message.topic_name();
  record.partition = message.partition();
  record.offset = message.offset();
  if (message.key() != nullptr) record.key = *message.key();
  if (message.payload() != nullptr) record.value.assign(static_cast<const char*>(message.payload()), message.len());
  record.headers = headers_of(message);
  return record;
}

}  // namespace

class Consumer::Rebalancer : public RdKafka::RebalanceCb {
 public:
  explicit Rebalancer(Consumer& owner) : owner_(owner) {}

  void rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
                    std::vector<RdKafka::TopicPartition*>& partitions) override {
    if (err == RdKafka::ERR__ASSIGN_PARTITIONS) {
      std::vector<PartitionId> ids;
      for (auto* tp : partitions) ids.emplace_back(tp->topic(), tp->partition());
      owner_.on_assign(ids);
      for (auto* tp : partitions) {
        const auto& state = owner_.partitions_.at({tp->topic(), tp->partition()});
        tp->set_offset(state.position.expected_next.value_or(RdKafka::Topic::OFFSET_BEGINNING));
      }
      if (RdKafka::ErrorCode code = consumer->assign(partitions); code != RdKafka::ERR_NO_ERROR) {
        log::error("kafka assign failed", {{"error", RdKafka::err2str(code)}});
      }
      // A partition paused when this consumer was fenced stays paused across a reassignment.
      consumer->resume(partitions);
    } else {
      owner_.on_revoke();
      consumer->unassign();
    }
  }

 private:
  Consumer& owner_;
};

Consumer::Consumer(const config::PlatformConfig& platform, ConsumerOptions options, redis::RedisClient& redis,
                   Producer& dead_letter_producer, RecordHandler& handler)
    : platform_(platform),
      options_(std::move(options)),
      group_(platform.hub.consumer_group(options_.group)),
      owner_id_(new_owner_id(group_)),
      redis_(redis),
      dead_letter_producer_(dead_letter_producer),
      handler_(handler),
      ledger_(redis, platform_.hub, group_, owner_id_),
      rebalancer_(std::make_unique<Rebalancer>(*this)),
      log_bridge_(group_),
      last_commit_(std::chrono::steady_clock::now()),
      last_position_check_(last_commit_) {
  auto conf = make_client_conf(platform.kafka, {
                                                   {"group.id", group_},
                                                   {"client.id", platform.service_name},
                                                   {"auto.offset.reset", "earliest"},
                                                   {"enable.partition.eof", "false"},
                                                   {"session.timeout.ms", "10000"},
                                                   // A case waits on this hop: do not let an idle fetch
                                                   // sit for librdkafka's default 500 ms.
                                                   {"fetch.wait.max.ms", "20"},
                                                   // Records are applied one at a time: a prefetch of
                                                   // 8 MiB keeps the consumer busy without librdkafka's
                                                   // default 64 MiB per consumer of memory.
                                                   {"queued.max.messages.kbytes", "8192"},
                                               },
                               // Positions live in Redis; Kafka commits are made by hand, for lag only.
                               {{"enable.auto.commit", "false"}, {"enable.auto.offset.store", "false"}});
  std::string error;
  if (conf->set("rebalance_cb", static_cast<RdKafka::RebalanceCb*>(rebalancer_.get()), error) !=
          RdKafka::Conf::CONF_OK ||
      conf->set("event_cb", static_cast<RdKafka::EventCb*>(&log_bridge_), error) != RdKafka::Conf::CONF_OK) {
    throw KafkaConfigError("kafka consumer: " + error);
  }
  consumer_.reset(RdKafka::KafkaConsumer::create(conf.get(), error));
  if (!consumer_) throw KafkaConfigError("kafka consumer: " + error);
  std::vector<std::string> topics;
  for (const auto& name : options_.topics) topics.push_back(platform_.hub.topic(name));
  if (RdKafka::ErrorCode code = consumer_->subscribe(topics); code != RdKafka::ERR_NO_ERROR) {
    throw KafkaConfigError("kafka consumer subscribe: " + RdKafka::err2str(code));
  }
}

Consumer::~Consumer() {
  if (consumer_) consumer_->close();
}

void Consumer::run() {
  while (!stopping_) {
    std::unique_ptr<RdKafka::Message> message(consumer_->consume(200));
    switch (message->err()) {
      case RdKafka::ERR_NO_ERROR:
        process(*message);
        break;
      case RdKafka::ERR__TIMED_OUT:
      case RdKafka::ERR__PARTITION_EOF:
        break;
      default:
        log::warn("kafka consumer error", {{"group", group_}, {"error", message->errstr()}});
    }
    commit_to_kafka_if_due();
    verify_positions_if_due();
  }
  consumer_->close();
  consumer_.reset();
}

void Consumer::on_assign(const std::vector<PartitionId>& partitions) {
  partitions_.clear();
  for (const auto& id : partitions) {
    for (int attempt = 1;; ++attempt) {
      try {
        OffsetLedger::Claim claim = ledger_.claim(id.first, id.second);
        partitions_[id] = PartitionState{{claim.epoch, claim.next_offset}, false, false};
        break;
      } catch (const std::exception& e) {
        // Nothing may leave the rebalance callback (it runs inside librdkafka's C frames).
        log::warn("cannot claim partition; retrying",
                  {{"group", group_}, {"topic", id.first}, {"partition", id.second}, {"error", e.what()}});
        if (stopping_) {
          partitions_[id] = PartitionState{{0, std::nullopt}, true, false};
          break;
        }
        pause_before_retry(attempt);
      }
    }
  }
  ++stats_.assignments;
  assigned_count_ = partitions_.size();
  log::info("partitions assigned", {{"group", group_}, {"count", partitions_.size()}});
}

void Consumer::on_revoke() {
  partitions_.clear();
  uncommitted_.clear();
  assigned_count_ = 0;
}

void Consumer::pause_before_retry(int attempt) {
  auto delay = options_.first_retry_delay * (1 << std::min(attempt - 1, 10));
  std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(delay, options_.max_retry_delay));
}

void Consumer::process(RdKafka::Message& message) {
  PartitionId id{message.topic_name(), message.partition()};
  auto found = partitions_.find(id);
  if (found == partitions_.end() || found->second.fenced) return;
  PartitionState& state = found->second;
  if (state.seek_pending) {
    // Nothing may be applied past records Redis lost until the rewind has really happened.
    state.seek_pending = !seek(id, state.position.expected_next);
    return;
  }
  // After a seek, records fetched earlier may still arrive; the ledger already holds their effect.
  if (state.position.expected_next && message.offset() < *state.position.expected_next) return;

  ConsumedRecord record = record_of(message);
  Decision decision = decide(record);
  if (decision.outcome == Decision::Outcome::stopped) return;
  if (decision.outcome == Decision::Outcome::dead_letter) {
    if (!dead_letter(record, decision.reason, decision.attempts)) return;
    decision.effects.clear();
    decision.sequence = 0;
  }
  settle_until_stored(record, state, decision);
}

Consumer::Decision Consumer::decide(ConsumedRecord& record) {
  Decision decision;
  auto parsed = events::from_kafka_headers(record.headers);
  if (auto* problem = std::get_if<events::HeaderProblem>(&parsed)) {
    decision.outcome = Decision::Outcome::dead_letter;
    decision.reason = "invalid CloudEvents headers: " + problem->message;
    return decision;
  }
  record.event = std::get<events::CloudEvent>(parsed);
  decision.sequence =
      record.key.empty() || !options_.deduplicate_by_sequence ? 0 : record.event.sequence.value_or(0);
  for (int attempt = 1, outage = 0; !stopping_;) {
    try {
      decision.effects.clear();
      if (decision.sequence == 0 || ledger_.applied_sequence(record.topic, record.key) < decision.sequence) {
        handler_.handle(record, decision.effects);
      }
      return decision;
    } catch (const redis::RedisUnavailable& e) {
      // Not the record's fault: wait for Redis however long it takes, without counting attempts.
      log::warn("redis unavailable while consuming; will retry", {{"group", group_}, {"error", e.what()}});
      pause_before_retry(++outage);
    } catch (const DependencyUnavailable& e) {
      log::warn("a dependency is unavailable while consuming; will retry", {{"group", group_}, {"error", e.what()}});
      pause_before_retry(++outage);
    } catch (const PoisonRecord& e) {
      return Decision{Decision::Outcome::dead_letter, {}, 0, e.what(), attempt};
    } catch (const std::exception& e) {
      if (attempt >= options_.max_attempts) return Decision{Decision::Outcome::dead_letter, {}, 0, e.what(), attempt};
      ++stats_.handler_retries;
      log::warn("record handling failed; retrying", {{"group", group_}, {"topic", record.topic},
                                                      {"partition", record.partition}, {"offset", record.offset},
                                                      {"attempt", attempt}, {"error", e.what()}});
      pause_before_retry(attempt);
      ++attempt;
    }
  }
  decision.outcome = Decision::Outcome::stopped;
  return decision;
}

void Consumer::settle_until_stored(const ConsumedRecord& record, PartitionState& state, Decision& decision) {
  bool handled = decision.outcome == Decision::Outcome::apply;
  for (int outage = 0; !stopping_;) {
    try {
      settle(record, state, decision.effects, decision.sequence, handled);
      return;
    } catch (const redis::RedisUnavailable& e) {
      log::warn("redis unavailable while storing a record's effect; will retry",
                {{"group", group_}, {"error", e.what()}});
      pause_before_retry(++outage);
    } catch (const redis::RedisCommandError& e) {
      if (!handled) {
        // Even the bare position update was refused: a bug or a damaged key, not the record.
        log::error("redis refused a consumer position update; will retry", {{"group", group_}, {"error", e.what()}});
        pause_before_retry(++outage);
        continue;
      }
      // Redis refuses this effect and would refuse it again (writes before the failing command in
      // the step may have landed, so repeating it would repeat them): dead-letter the record.
      if (!dead_letter(record, std::string("effect refused by redis: ") + e.what(), 1)) return;
      handled = false;
      decision.effects.clear();
      decision.sequence = 0;
    }
  }
}

void Consumer::settle(const ConsumedRecord& record, PartitionState& state, const WriteBatch& effects,
                      std::uint64_t sequence, bool handled) {
  PartitionId id{record.topic, record.partition};
  OffsetLedger::Result result =
      ledger_.apply(record.topic, record.partition, state.position, record.offset, record.key, sequence, effects);
  switch (result.outcome) {
    case OffsetLedger::Outcome::applied:
    case OffsetLedger::Outcome::duplicate:
      ++(result.outcome == OffsetLedger::Outcome::applied ? stats_.applied : stats_.duplicates);
      state.position.expected_next = record.offset + 1;
      uncommitted_[id] = record.offset + 1;
      if (result.outcome == OffsetLedger::Outcome::applied && handled) {
        try {
          handler_.applied(record);
        } catch (const std::exception& e) {
          // The effect is stored; a failing notification of it must not stop the consumer.
          log::error("record applied but its follow-up failed", {{"group", group_}, {"error", e.what()}});
        }
      }
      break;
    case OffsetLedger::Outcome::rewind:
    case OffsetLedger::Outcome::fenced:
    case OffsetLedger::Outcome::in_place:
      react_to_position(id, state, result);
      break;
  }
}

void Consumer::react_to_position(const PartitionId& id, PartitionState& state, const OffsetLedger::Result& result) {
  if (result.outcome == OffsetLedger::Outcome::rewind) {
    ++stats_.rewinds;
    log::warn("redis does not hold this consumer's last position (lost writes?); rewinding",
              {{"group", group_}, {"topic", id.first}, {"partition", id.second},
               {"to", result.rewind_to ? nlohmann::json(*result.rewind_to) : nlohmann::json("start")}});
    state.position.expected_next = result.rewind_to;
    state.seek_pending = !seek(id, result.rewind_to);
  } else if (result.outcome == OffsetLedger::Outcome::fenced) {
    ++stats_.fenced;
    state.fenced = true;
    log::warn("partition owned by another consumer now; write refused",
              {{"group", group_}, {"topic", id.first}, {"partition", id.second}});
    std::unique_ptr<RdKafka::TopicPartition> tp(RdKafka::TopicPartition::create(id.first, id.second));
    std::vector<RdKafka::TopicPartition*> list{tp.get()};
    consumer_->pause(list);
  }
}

void Consumer::verify_positions_if_due() {
  auto now = std::chrono::steady_clock::now();
  if (now - last_position_check_ < options_.position_check_interval) return;
  last_position_check_ = now;
  try {
    for (auto& [id, state] : partitions_) {
      if (!state.fenced) react_to_position(id, state, ledger_.verify(id.first, id.second, state.position));
    }
  } catch (const redis::RedisUnavailable&) {
    // Checked again at the next interval; records wait for Redis anyway.
  }
}

bool Consumer::seek(const PartitionId& partition, std::optional<std::int64_t> offset) {
  std::unique_ptr<RdKafka::TopicPartition> tp(RdKafka::TopicPartition::create(
      partition.first, partition.second, offset.value_or(RdKafka::Topic::OFFSET_BEGINNING)));
  if (RdKafka::ErrorCode code = consumer_->seek(*tp, 5000); code != RdKafka::ERR_NO_ERROR) {
    log::warn("kafka seek failed; records of the partition wait until it succeeds",
              {{"group", group_}, {"error", RdKafka::err2str(code)}});
    return false;
  }
  return true;
}

bool Consumer::dead_letter(const ConsumedRecord& record, const std::string& reason, int attempts) {
  OutgoingRecord dead{platform_.hub.topic(topic::kDeadLetter), record.key, record.value, record.headers};
  dead.headers.emplace_back("pact_dlq_reason", reason);
  dead.headers.emplace_back("pact_dlq_group", group_);
  dead.headers.emplace_back("pact_dlq_source_topic", record.topic);
  dead.headers.emplace_back("pact_dlq_source_partition", std::to_string(record.partition));
  dead.headers.emplace_back("pact_dlq_source_offset", std::to_string(record.offset));
  dead.headers.emplace_back("pact_dlq_attempts", std::to_string(attempts));
  for (int attempt = 1; !stopping_; ++attempt) {
    DeliveryResult result = dead_letter_producer_.produce_and_wait(dead);
    if (result.stored()) {
      ++stats_.dead_lettered;
      log::warn("record dead-lettered", {{"group", group_}, {"topic", record.topic}, {"partition", record.partition},
                                         {"offset", record.offset}, {"reason", reason}});
      return true;
    }
    log::warn("dead-letter produce failed; retrying", {{"group", group_}, {"error", result.error}});
    pause_before_retry(attempt);
  }
  return false;  // stopping: the record is neither applied nor skipped; the next owner handles it
}

void Consumer::commit_to_kafka_if_due() {
  auto now = std::chrono::steady_clock::now();
  if (uncommitted_.empty() || now - last_commit_ < options_.kafka_commit_interval) return;
  last_commit_ = now;
  std::vector<RdKafka::TopicPartition*> offsets;
  for (const auto& [id, next] : uncommitted_) {
    offsets.push_back(RdKafka::TopicPartition::create(id.first, id.second, next));
  }
  consumer_->commitAsync(offsets);
  RdKafka::TopicPartition::destroy(offsets);
  uncommitted_.clear();
}

}  // namespace pact::kafka
