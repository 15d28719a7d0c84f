#include "kafka/log_bridge.h"

#include "log/logger.h"

namespace pact::kafka {

void LogBridge::event_cb(RdKafka::Event& event) {
  switch (event.type()) {
    case RdKafka::Event::EVENT_ERROR:
      if (event.fatal() && fatal_ != nullptr) *fatal_ = true;
      // Connection errors while a broker restarts are expected and retried by librdkafka itself.
      log::write(event.fatal() ? log::Level::error : log::Level::warn, "kafka client error",
                 {{"client", client_}, {"error", RdKafka::err2str(event.err())}, {"detail", event.str()},
                  {"fatal", event.fatal()}});
      break;
    case RdKafka::Event::EVENT_LOG:
      log::write(event.severity() <= RdKafka::Event::EVENT_SEVERITY_ERROR ? log::Level::error
                 : event.severity() <= RdKafka::Event::EVENT_SEVERITY_WARNING ? log::Level::warn
                                                                             : log::Level::debug,
                 "kafka client log", {{"client", client_}, {"facility", event.fac()}, {"detail", event.str()}});
      break;
    default:
      break;
  }
}

}  // namespace pact::kafka
