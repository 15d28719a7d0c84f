#pragma once

#include <span>
#include <string>

#include "config/hub.h"
#include "kafka/topics.h"

struct rd_kafka_s;
struct rd_kafka_mock_cluster_s;

namespace pact::kafka {

// librdkafka's mock cluster, serving the Kafka protocol on loopback, for the local run and fast
// tests; other processes and kcat can connect to bootstrap_servers().
//
// Its limits (librdkafka 2.0.2), which is why integration tests also run on a real broker:
// - memory only: everything is gone when the process ends; one thread serves all brokers;
// - no CreateTopics from clients: topics are created here (create_topics) or auto-created;
// - transactions only partly emulated (no control markers: read-committed cannot be tested);
// - listens on random ports; the first consumer-group join takes about 3 s;
// - for functional use only: not for throughput figures.
class EmbeddedKafka {
 public:
  explicit EmbeddedKafka(int brokers = 1);
  ~EmbeddedKafka();
  EmbeddedKafka(const EmbeddedKafka&) = delete;
  EmbeddedKafka& operator=(const EmbeddedKafka&) = delete;

  const std::string& bootstrap_servers() const { return bootstrap_servers_; }
  void create_topic(const std::string& name, int partitions);
  void create_topics(const config::Hub& hub, std::span<const TopicSpec> topics);

 private:
  rd_kafka_s* host_ = nullptr;  // the client handle that hosts the cluster
  rd_kafka_mock_cluster_s* cluster_ = nullptr;
  std::string bootstrap_servers_;
};

}  // namespace pact::kafka
