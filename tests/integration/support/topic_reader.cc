#include "support/topic_reader.h"

#include <librdkafka/rdkafkacpp.h>

#include <memory>
#include <stdexcept>

namespace pact::testing {

std::string ReadRecord::header(const std::string& name) const {
  for (const auto& [header_name, header_value] : headers) {
    if (header_name == name) return header_value;
  }
  return {};
}

std::vector<ReadRecord> read_topic(const std::string& bootstrap, const std::string& topic, int partitions,
                                   std::size_t expected, std::chrono::milliseconds limit) {
  std::string error;
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  conf->set("bootstrap.servers", bootstrap, error);
  conf->set("group.id", "topic-reader", error);  // required by the API; never joined (assign only)
  conf->set("enable.auto.commit", "false", error);
  conf->set("log_level", "3", error);
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(RdKafka::KafkaConsumer::create(conf.get(), error));
  if (!consumer) throw std::runtime_error("topic reader: " + error);
  std::vector<RdKafka::TopicPartition*> assignment;
  for (int p = 0; p < partitions; ++p) {
    assignment.push_back(RdKafka::TopicPartition::create(topic, p, RdKafka::Topic::OFFSET_BEGINNING));
  }
  consumer->assign(assignment);
  RdKafka::TopicPartition::destroy(assignment);
  std::vector<ReadRecord> records;
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (records.size() < expected && std::chrono::steady_clock::now() < deadline) {
    std::unique_ptr<RdKafka::Message> message(consumer->consume(100));
    if (message->err() != RdKafka::ERR_NO_ERROR) continue;
    ReadRecord record;
    record.partition = message->partition();
    record.offset = message->offset();
    if (message->key() != nullptr) record.key = *message->key();
    record.value.assign(static_cast<const char*>(message->payload()), message->len());
    if (RdKafka::Headers* headers = message->headers()) {
      for (const auto& header : headers->get_all()) {
        record.headers.emplace_back(header.key(),
                                    std::string(static_cast<const char*>(header.value()), header.value_size()));
      }
    }
    records.push_back(std::move(record));
  }
  consumer->close();
  return records;
}

}  // namespace pact::testing
