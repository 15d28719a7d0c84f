#include "kafka/topic_follower.h"

#include <librdkafka/rdkafkacpp.h>

#include <chrono>
#include <memory>
#include <stdexcept>

#include "kafka/client_config.h"
#include "kafka/topics.h"
#include "log/logger.h"

namespace pact::kafka {

std::string FollowedRecord::header(const std::string& name) const {
  for (const auto& [header_name, header_value] : headers) {
    if (header_name == name) return header_value;
  }
  return {};
}

struct TopicFollower::Consumer {
  std::unique_ptr<RdKafka::KafkaConsumer> kafka;
};

namespace {

std::unique_ptr<RdKafka::KafkaConsumer> make_consumer(const config::KafkaSettings& settings,
                                                      const std::string& group) {
  // Assigned partitions only: the group id is required by the API and names where positions are
  // committed for lag metrics; the group is never joined.
  auto conf = make_client_conf(settings, {{"fetch.wait.max.ms", "50"}, {"log_level", "3"}},
                               {{"group.id", group.empty() ? std::string("pact-topic-follower") : group},
                                // A position the retention deleted meanwhile goes on at the oldest
                                // record still held, never silently at the end.
                                {"auto.offset.reset", "earliest"},
                                {"enable.auto.commit", "false"},
                                {"enable.auto.offset.store", "false"}});
  std::string error;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(RdKafka::KafkaConsumer::create(conf.get(), error));
  if (!consumer) throw std::runtime_error("cannot create a Kafka consumer: " + error);
  return consumer;
}

bool leader_pending(RdKafka::ErrorCode code) {
  return code == RdKafka::ERR_NOT_LEADER_FOR_PARTITION || code == RdKafka::ERR_LEADER_NOT_AVAILABLE ||
         code == RdKafka::ERR_UNKNOWN_TOPIC_OR_PART || code == RdKafka::ERR__UNKNOWN_PARTITION ||
         code == RdKafka::ERR__TRANSPORT || code == RdKafka::ERR__TIMED_OUT;
}

}  // namespace

TopicFollower::TopicFollower(const config::KafkaSettings& settings, const std::string& hub_prefix,
                             const std::vector<std::string>& topic_bases, OnRecord on_record, Options options)
    : consumer_(std::make_unique<Consumer>()), on_record_(std::move(on_record)), hub_prefix_(hub_prefix) {
  consumer_->kafka = make_consumer(settings, options.commit_group);
  std::vector<RdKafka::TopicPartition*> assignment;
  for (const auto& base : topic_bases) {
    const auto* spec = find_topic(base);
    if (spec == nullptr) throw std::invalid_argument("no declared topic " + base);
    const std::string topic = hub_prefix + "." + base;
    for (int partition = 0; partition < spec->partitions; ++partition) {
      std::int64_t low = 0;
      std::int64_t high = 0;
      // Right after a topic is created (or a broker restarts) its partitions have no leader for a
      // moment: ask again until they do, for up to half a minute.
      RdKafka::ErrorCode code = RdKafka::ERR_NO_ERROR;
      const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
      do {
        code = consumer_->kafka->query_watermark_offsets(topic, partition, &low, &high, 10000);
        if (code == RdKafka::ERR_NO_ERROR || !leader_pending(code)) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
      } while (std::chrono::steady_clock::now() < give_up);
      if (code != RdKafka::ERR_NO_ERROR) {
        RdKafka::TopicPartition::destroy(assignment);
        throw std::runtime_error("cannot read the end of " + topic + ": " + RdKafka::err2str(code));
      }
      std::int64_t start = options.start_at == StartAt::end ? high : low;
      if (auto resume = options.resume.find({base, partition}); resume != options.resume.end()) {
        // A position the retention already deleted resumes at the oldest record still held.
        start = std::clamp(resume->second, low, high);
      }
      assignment.push_back(RdKafka::TopicPartition::create(topic, partition, start));
      if (high > start) ends_at_start_[{base, partition}] = high;
    }
  }
  consumer_->kafka->assign(assignment);
  RdKafka::TopicPartition::destroy(assignment);
}

TopicFollower::~TopicFollower() {
  stop();
  consumer_->kafka->close();
}

void TopicFollower::start() {
  thread_ = std::thread([this] { run(); });
}

void TopicFollower::stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

bool TopicFollower::caught_up(const FollowPositions& positions) const {
  for (const auto& [where, end] : ends_at_start_) {
    auto reached = positions.find(where);
    if (reached == positions.end() || reached->second < end) return false;
  }
  return true;
}

void TopicFollower::commit(const FollowPositions& positions) {
  std::vector<RdKafka::TopicPartition*> offsets;
  for (const auto& [where, next] : positions) {
    offsets.push_back(RdKafka::TopicPartition::create(hub_prefix_ + "." + where.first, where.second, next));
  }
  if (!offsets.empty()) consumer_->kafka->commitAsync(offsets);
  RdKafka::TopicPartition::destroy(offsets);
}

void TopicFollower::run() {
  while (!stopping_) {
    std::unique_ptr<RdKafka::Message> message(consumer_->kafka->consume(100));
    if (message->err() == RdKafka::ERR__TIMED_OUT || message->err() == RdKafka::ERR__PARTITION_EOF) continue;
    if (message->err() != RdKafka::ERR_NO_ERROR) {
      log::warn("topic follower: consume error", {{"error", message->errstr()}});
      continue;
    }
    FollowedRecord record;
    record.topic_base = message->topic_name().substr(hub_prefix_.size() + 1);
    if (message->key() != nullptr) record.key = *message->key();
    record.partition = message->partition();
    record.offset = message->offset();
    record.value.assign(static_cast<const char*>(message->payload()), message->len());
    if (RdKafka::Headers* headers = message->headers()) {
      for (const auto& header : headers->get_all()) {
        record.headers.emplace_back(header.key(),
                                    std::string(static_cast<const char*>(header.value()), header.value_size()));
      }
    }
    on_record_(record);
  }
}

}  // namespace pact::kafka
