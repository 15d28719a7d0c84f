#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <string>
#include <thread>

#include "config/platform_config.h"
#include "events/cloud_event.h"
#include "kafka/log_bridge.h"

namespace RdKafka {
class Producer;
}

namespace pact::kafka {

struct OutgoingRecord {
  std::string topic;  // full name, hub prefix included
  std::string key;    // the case id: one case's events stay in one partition, in order
  std::string value;
  events::Headers headers;
};

enum class DeliveryStatus {
  stored,       // the broker acknowledged it (acks=all)
  queue_full,   // refused at once: the local queue is full (shed load)
  timed_out,    // not stored within message.timeout (broker down?)
  failed,       // any other error
};

struct DeliveryResult {
  DeliveryStatus status = DeliveryStatus::failed;
  std::string error;
  std::int32_t partition = -1;
  std::int64_t offset = -1;
  bool stored() const { return status == DeliveryStatus::stored; }
};

using DeliveryCallback = std::function<void(const DeliveryResult&)>;

// An idempotent producer (enable.idempotence, acks=all). Each record's completion comes from its
// delivery report, so a caller can answer its client only once the event is stored. After a fatal
// idempotence error the underlying producer is recreated; records in flight then fail and the
// caller's retry (with the same event id) is what makes progress.
class Producer {
 public:
  explicit Producer(config::KafkaSettings settings, std::string client_id);
  ~Producer();
  Producer(const Producer&) = delete;
  Producer& operator=(const Producer&) = delete;

  // Never blocks. on_delivery runs exactly once: immediately for queue_full, otherwise on the
  // producer's polling thread (keep it short, never block in it).
  void produce(OutgoingRecord record, DeliveryCallback on_delivery);
  // Blocks until the delivery report (bounded by message.timeout plus a margin).
  DeliveryResult produce_and_wait(OutgoingRecord record);
  // Waits until everything queued has a delivery report; false on timeout.
  bool flush(std::chrono::milliseconds timeout);

  std::uint64_t recreated_count() const { return recreated_.load(); }

 private:
  class Callbacks;
  void create();
  void poll_loop();
  void recreate_after_fatal_error();

  config::KafkaSettings settings_;
  std::string client_id_;
  std::unique_ptr<Callbacks> callbacks_;
  std::unique_ptr<LogBridge> log_bridge_;
  std::shared_mutex producer_mutex_;  // shared for produce/poll, exclusive to recreate
  std::unique_ptr<RdKafka::Producer> producer_;
  std::atomic<bool> fatal_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> recreated_{0};
  std::thread poller_;
};

}  // namespace pact::kafka
