#include "kafka/client_config.h"

namespace pact::kafka {

void set_or_throw(RdKafka::Conf& conf, const std::string& name, const std::string& value) {
  std::string error;
  if (conf.set(name, value, error) != RdKafka::Conf::CONF_OK) {
    throw KafkaConfigError("kafka property " + name + ": " + error);
  }
}

std::unique_ptr<RdKafka::Conf> make_client_conf(const config::KafkaSettings& settings,
                                                const std::map<std::string, std::string>& role_defaults) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  set_or_throw(*conf, "bootstrap.servers", settings.bootstrap_servers);
  set_or_throw(*conf, "socket.keepalive.enable", "true");
  // librdkafka logs go through our logger's level; its own stderr chatter is turned down.
  set_or_throw(*conf, "log_level", "4");
  for (const auto& [name, value] : role_defaults) set_or_throw(*conf, name, value);
  for (const auto& [name, value] : settings.properties) set_or_throw(*conf, name, value);
  return conf;
}

}  // namespace pact::kafka
