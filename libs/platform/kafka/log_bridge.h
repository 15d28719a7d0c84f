#pragma once

#include <atomic>
#include <string>

#include <librdkafka/rdkafkacpp.h>

namespace pact::kafka {

// Routes librdkafka's own log lines and error events into the process's JSON log (instead of
// librdkafka's plain-text stderr), and raises `fatal` on a fatal error when asked to watch for it.
class LogBridge : public RdKafka::EventCb {
 public:
  explicit LogBridge(std::string client, std::atomic<bool>* fatal = nullptr)
      : client_(std::move(client)), fatal_(fatal) {}
  void event_cb(RdKafka::Event& event) override;

 private:
  std::string client_;
  std::atomic<bool>* fatal_;
};

}  // namespace pact::kafka
