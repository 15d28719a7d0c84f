#include "kafka/embedded_kafka.h"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <stdexcept>

namespace pact::kafka {

EmbeddedKafka::EmbeddedKafka(int brokers) {
  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "log_level", "3", error, sizeof error);
  host_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
  if (host_ == nullptr) throw std::runtime_error(std::string("embedded kafka: ") + error);
  cluster_ = rd_kafka_mock_cluster_new(host_, brokers);
  if (cluster_ == nullptr) {
    rd_kafka_destroy(host_);
    throw std::runtime_error("embedded kafka: the mock cluster could not be created");
  }
  bootstrap_servers_ = rd_kafka_mock_cluster_bootstraps(cluster_);
}

EmbeddedKafka::~EmbeddedKafka() {
  rd_kafka_mock_cluster_destroy(cluster_);
  rd_kafka_destroy(host_);
}

void EmbeddedKafka::create_topic(const std::string& name, int partitions) {
  rd_kafka_resp_err_t code = rd_kafka_mock_topic_create(cluster_, name.c_str(), partitions, 1);
  if (code != RD_KAFKA_RESP_ERR_NO_ERROR && code != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
    throw std::runtime_error("embedded kafka: topic " + name + ": " + rd_kafka_err2str(code));
  }
}

void EmbeddedKafka::create_topics(const config::Hub& hub, std::span<const TopicSpec> topics) {
  for (const auto& spec : topics) create_topic(hub.topic(spec.name), spec.partitions);
}

}  // namespace pact::kafka
