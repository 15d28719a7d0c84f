#include "kafka/topic_admin.h"

#include <librdkafka/rdkafka.h>

#include <memory>
#include <stdexcept>
#include <vector>

namespace pact::kafka {
namespace {

struct KafkaHandleDeleter {
  void operator()(rd_kafka_t* handle) const { rd_kafka_destroy(handle); }
};
struct QueueDeleter {
  void operator()(rd_kafka_queue_t* queue) const { rd_kafka_queue_destroy(queue); }
};
struct EventDeleter {
  void operator()(rd_kafka_event_t* event) const { rd_kafka_event_destroy(event); }
};

}  // namespace

void ensure_topics(const config::KafkaSettings& settings, const config::Hub& hub, std::span<const TopicSpec> topics,
                   int replication_factor, std::chrono::milliseconds timeout) {
  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  auto set = [&](const std::string& name, const std::string& value) {
    if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), error, sizeof error) != RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      throw std::runtime_error("kafka property " + name + ": " + error);
    }
  };
  set("bootstrap.servers", settings.bootstrap_servers);
  for (const auto& [name, value] : settings.properties) set(name, value);
  std::unique_ptr<rd_kafka_t, KafkaHandleDeleter> admin(rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error));
  if (!admin) throw std::runtime_error(std::string("kafka admin client: ") + error);

  std::vector<rd_kafka_NewTopic_t*> requests;
  for (const auto& spec : topics) {
    std::string name = hub.topic(spec.name);
    rd_kafka_NewTopic_t* request =
        rd_kafka_NewTopic_new(name.c_str(), spec.partitions, replication_factor, error, sizeof error);
    if (request == nullptr) throw std::runtime_error("topic " + name + ": " + error);
    auto retention_ms = std::chrono::duration_cast<std::chrono::milliseconds>(spec.retention).count();
    rd_kafka_NewTopic_set_config(request, "retention.ms", std::to_string(retention_ms).c_str());
    requests.push_back(request);
  }
  std::unique_ptr<rd_kafka_queue_t, QueueDeleter> queue(rd_kafka_queue_new(admin.get()));
  rd_kafka_AdminOptions_t* options = rd_kafka_AdminOptions_new(admin.get(), RD_KAFKA_ADMIN_OP_CREATETOPICS);
  rd_kafka_AdminOptions_set_operation_timeout(options, static_cast<int>(timeout.count()), error, sizeof error);
  rd_kafka_AdminOptions_set_request_timeout(options, static_cast<int>(timeout.count()), error, sizeof error);
  rd_kafka_CreateTopics(admin.get(), requests.data(), requests.size(), options, queue.get());
  rd_kafka_AdminOptions_destroy(options);
  rd_kafka_NewTopic_destroy_array(requests.data(), requests.size());

  std::unique_ptr<rd_kafka_event_t, EventDeleter> event(
      rd_kafka_queue_poll(queue.get(), static_cast<int>(timeout.count()) + 2000));
  if (!event) throw std::runtime_error("kafka CreateTopics: no answer from " + settings.bootstrap_servers);
  if (rd_kafka_event_error(event.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw std::runtime_error(std::string("kafka CreateTopics: ") + rd_kafka_event_error_string(event.get()));
  }
  const rd_kafka_CreateTopics_result_t* result = rd_kafka_event_CreateTopics_result(event.get());
  size_t count = 0;
  const rd_kafka_topic_result_t** results = rd_kafka_CreateTopics_result_topics(result, &count);
  for (size_t i = 0; i < count; ++i) {
    rd_kafka_resp_err_t code = rd_kafka_topic_result_error(results[i]);
    if (code != RD_KAFKA_RESP_ERR_NO_ERROR && code != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
      const char* message = rd_kafka_topic_result_error_string(results[i]);
      throw std::runtime_error(std::string("topic ") + rd_kafka_topic_result_name(results[i]) + ": " +
                               (message != nullptr ? message : rd_kafka_err2str(code)));
    }
  }
}

}  // namespace pact::kafka
