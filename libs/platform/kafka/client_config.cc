#include "kafka/client_config.h"

namespace pact::kafka {

void set_or_throw(RdKafka::Conf& conf, const std::string& name, const std::string& value) {
  std::string error;
  if (conf.set(name, value, error) != RdKafka::Conf::CONF_OK) {
    throw KafkaConfigError("kafka property " + name + ": " + error);
  }
}

std::unique_ptr<RdKafka::Conf> make_client_conf(const config::KafkaSettings& settings,
                                                const std::map<std::string, std::string>& role_defaults,
                                                const std::map<std::string, std::string>& locked) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  set_or_throw(*conf, "bootstrap.servers", settings.bootstrap_servers);
  set_or_throw(*conf, "socket.keepalive.enable", "true");
  // librdkafka logs go through our logger's level; its own stderr chatter is turned down.
  set_or_throw(*conf, "log_level", "4");
  for (const auto& [name, value] : role_defaults) set_or_throw(*conf, name, value);
  for (const auto& [name, value] : settings.properties) {
    if (auto pinned = locked.find(name); pinned != locked.end() && pinned->second != value) {
      throw KafkaConfigError("kafka property " + name + " must stay " + pinned->second +
                             ": the processing guarantees depend on it");
    }
    set_or_throw(*conf, name, value);
  }
  for (const auto& [name, value] : locked) set_or_throw(*conf, name, value);
  // The consumer assigns and revokes whole assignments (eager rebalancing); librdkafka 2.0's
  // cooperative protocol would need incremental assignment and silently consume nothing here.
  std::string strategy;
  if (conf->get("partition.assignment.strategy", strategy) == RdKafka::Conf::CONF_OK &&
      strategy.find("cooperative") != std::string::npos) {
    throw KafkaConfigError("kafka property partition.assignment.strategy: cooperative rebalancing is not supported");
  }
  return conf;
}

}  // namespace pact::kafka
