#include "event_follower.h"

#include <librdkafka/rdkafkacpp.h>

#include <memory>
#include <stdexcept>

#include "kafka/topics.h"

namespace pactscenario {

std::string FollowedRecord::header(const std::string& name) const {
  for (const auto& [header_name, header_value] : headers) {
    if (header_name == name) return header_value;
  }
  return {};
}

struct EventFollower::Consumer {
  std::unique_ptr<RdKafka::KafkaConsumer> kafka;
};

namespace {

std::unique_ptr<RdKafka::KafkaConsumer> make_consumer(const std::string& bootstrap_servers) {
  std::string error;
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  // Assigned partitions only: the group id is required by the API but never joined or committed.
  const std::pair<const char*, std::string> settings[] = {{"bootstrap.servers", bootstrap_servers},
                                                          {"group.id", "pact-event-follower"},
                                                          {"enable.auto.commit", "false"},
                                                          {"fetch.wait.max.ms", "50"},
                                                          {"log_level", "3"}};
  for (const auto& [name, value] : settings) {
    if (conf->set(name, value, error) != RdKafka::Conf::CONF_OK) throw std::runtime_error(name + (": " + error));
  }
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(RdKafka::KafkaConsumer::create(conf.get(), error));
  if (!consumer) throw std::runtime_error("cannot create a Kafka consumer: " + error);
  return consumer;
}

}  // namespace

EventFollower::EventFollower(const std::string& bootstrap_servers, const std::string& hub_prefix,
                             const std::vector<std::string>& topic_bases, OnRecord on_record, StartAt start_at)
    : consumer_(std::make_unique<Consumer>()), on_record_(std::move(on_record)), hub_prefix_(hub_prefix) {
  consumer_->kafka = make_consumer(bootstrap_servers);
  std::vector<RdKafka::TopicPartition*> assignment;
  for (const auto& base : topic_bases) {
    const auto* spec = pact::kafka::find_topic(base);
    if (spec == nullptr) throw std::invalid_argument("no declared topic " + base);
    const std::string topic = hub_prefix + "." + base;
    for (int partition = 0; partition < spec->partitions; ++partition) {
      std::int64_t low = 0;
      std::int64_t high = 0;
      RdKafka::ErrorCode code = consumer_->kafka->query_watermark_offsets(topic, partition, &low, &high, 10000);
      if (code != RdKafka::ERR_NO_ERROR) {
        RdKafka::TopicPartition::destroy(assignment);
        throw std::runtime_error("cannot read the end of " + topic + ": " + RdKafka::err2str(code));
      }
      assignment.push_back(RdKafka::TopicPartition::create(topic, partition, start_at == StartAt::end ? high : low));
    }
  }
  consumer_->kafka->assign(assignment);
  RdKafka::TopicPartition::destroy(assignment);
}

EventFollower::~EventFollower() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  consumer_->kafka->close();
}

void EventFollower::start() {
  thread_ = std::thread([this] { run(); });
}

void EventFollower::run() {
  while (!stopping_) {
    std::unique_ptr<RdKafka::Message> message(consumer_->kafka->consume(100));
    if (message->err() != RdKafka::ERR_NO_ERROR) continue;
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

}  // namespace pactscenario
