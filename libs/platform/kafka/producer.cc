#include "kafka/producer.h"

#include <librdkafka/rdkafkacpp.h>

#include <future>

#include "kafka/client_config.h"
#include "log/logger.h"

namespace pact::kafka {
namespace {

struct PendingDelivery {
  DeliveryCallback callback;
};

DeliveryResult result_of(RdKafka::ErrorCode code, const std::string& text) {
  DeliveryResult result;
  if (code == RdKafka::ERR_NO_ERROR) {
    result.status = DeliveryStatus::stored;
  } else if (code == RdKafka::ERR__QUEUE_FULL) {
    result.status = DeliveryStatus::queue_full;
  } else if (code == RdKafka::ERR__MSG_TIMED_OUT || code == RdKafka::ERR__TIMED_OUT) {
    result.status = DeliveryStatus::timed_out;
  } else {
    result.status = DeliveryStatus::failed;
  }
  result.error = code == RdKafka::ERR_NO_ERROR ? std::string() : text;
  return result;
}

// Purged records get their delivery reports (with a purge error) on the next polls; serve them all so
// that no caller is left waiting on a record the old producer will never send.
void purge_and_report(RdKafka::Producer& producer) {
  producer.purge(RdKafka::Producer::PURGE_QUEUE | RdKafka::Producer::PURGE_INFLIGHT);
  for (int round = 0; round < 100 && producer.outq_len() > 0; ++round) producer.poll(10);
}

}  // namespace

class Producer::Callbacks : public RdKafka::DeliveryReportCb {
 public:
  void dr_cb(RdKafka::Message& message) override {
    std::unique_ptr<PendingDelivery> pending(static_cast<PendingDelivery*>(message.msg_opaque()));
    if (!pending) return;
    DeliveryResult result = result_of(message.err(), message.errstr());
    result.partition = message.partition();
    result.offset = message.offset();
    pending->callback(result);
  }
};

Producer::Producer(config::KafkaSettings settings, std::string client_id)
    : settings_(std::move(settings)), client_id_(std::move(client_id)), callbacks_(std::make_unique<Callbacks>()),
      log_bridge_(std::make_unique<LogBridge>(client_id_, &fatal_)) {
  create();
  poller_ = std::thread([this] { poll_loop(); });
}

Producer::~Producer() {
  flush(settings_.message_timeout + std::chrono::seconds(1));
  stopping_ = true;
  if (poller_.joinable()) poller_.join();
  std::unique_lock lock(producer_mutex_);
  if (producer_) {
    purge_and_report(*producer_);
  }
  producer_.reset();
}

void Producer::create() {
  auto conf = make_client_conf(settings_,
                               {
                                   {"client.id", client_id_},
                                   {"message.timeout.ms", std::to_string(settings_.message_timeout.count())},
                                   {"linger.ms", "5"},  // fuller batches: far less broker work per event, a few ms of latency
                                   {"queue.buffering.max.messages", "100000"},
                                   {"compression.type", "lz4"},
                               },
                               {{"enable.idempotence", "true"}, {"acks", "all"}});
  std::string error;
  conf->set("dr_cb", static_cast<RdKafka::DeliveryReportCb*>(callbacks_.get()), error);
  conf->set("event_cb", static_cast<RdKafka::EventCb*>(log_bridge_.get()), error);
  std::unique_ptr<RdKafka::Producer> producer(RdKafka::Producer::create(conf.get(), error));
  if (!producer) throw KafkaConfigError("kafka producer: " + error);
  producer_ = std::move(producer);
}

void Producer::produce(OutgoingRecord record, DeliveryCallback on_delivery) {
  auto pending = std::make_unique<PendingDelivery>(PendingDelivery{std::move(on_delivery)});
  RdKafka::Headers* headers = RdKafka::Headers::create();
  for (const auto& [name, value] : record.headers) headers->add(name, value.data(), value.size());
  RdKafka::ErrorCode code;
  {
    std::shared_lock lock(producer_mutex_);
    code = producer_->produce(record.topic, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY,
                              record.value.data(), record.value.size(), record.key.data(), record.key.size(), 0,
                              headers, pending.get());
  }
  if (code == RdKafka::ERR_NO_ERROR) {
    pending.release();  // owned by the delivery report now
    return;
  }
  delete headers;  // on failure librdkafka leaves the headers with us
  pending->callback(result_of(code, RdKafka::err2str(code)));
}

DeliveryResult Producer::produce_and_wait(OutgoingRecord record) {
  auto promise = std::make_shared<std::promise<DeliveryResult>>();
  auto future = promise->get_future();
  produce(std::move(record), [promise](const DeliveryResult& result) { promise->set_value(result); });
  return future.get();
}

bool Producer::flush(std::chrono::milliseconds timeout) {
  std::shared_lock lock(producer_mutex_);
  return producer_->flush(static_cast<int>(timeout.count())) == RdKafka::ERR_NO_ERROR;
}

void Producer::poll_loop() {
  while (!stopping_) {
    {
      std::shared_lock lock(producer_mutex_);
      producer_->poll(50);
    }
    if (fatal_) recreate_after_fatal_error();
  }
}

void Producer::recreate_after_fatal_error() {
  std::unique_lock lock(producer_mutex_);
  std::string reason;
  producer_->fatal_error(reason);
  log::error("kafka producer hit a fatal error; recreating it", {{"error", reason}});
  purge_and_report(*producer_);
  producer_.reset();
  fatal_ = false;
  create();
  ++recreated_;
}

}  // namespace pact::kafka
