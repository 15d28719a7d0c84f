#include "service/service_main.h"

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "exec/bounded_executor.h"
#include "log/logger.h"
#include "security/server_security.h"
#include "service/termination_signal.h"

namespace pact::service {
namespace {

struct CommandLine {
  std::string config_path;
  std::string ready_file;
  bool check_only = false;
};

void usage(const std::string& name) {
  std::cerr << "usage: pact-" << name << " --config FILE [--check-config] [--ready-file FILE]\n"
            << "  --config FILE      YAML configuration (or PACT_CONFIG); PACT__SECTION__KEY overrides a key\n"
            << "  --check-config     validate the configuration, print every problem, and exit\n"
            << "  --ready-file FILE  write {\"grpc_port\",\"health_port\",\"metrics_port\",\"pid\"} once serving\n";
}

std::optional<CommandLine> parse(int argc, char** argv, const std::string& name) {
  CommandLine line;
  if (const char* from_env = std::getenv("PACT_CONFIG")) line.config_path = from_env;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--config" && i + 1 < argc) {
      line.config_path = argv[++i];
    } else if (arg == "--ready-file" && i + 1 < argc) {
      line.ready_file = argv[++i];
    } else if (arg == "--check-config") {
      line.check_only = true;
    } else {
      usage(name);
      return std::nullopt;
    }
  }
  if (line.config_path.empty()) {
    std::cerr << "pact-" << name << ": no configuration: pass --config FILE or set PACT_CONFIG\n";
    return std::nullopt;
  }
  return line;
}

void write_ready_file(const std::string& path, const rpc::ServerHost& host, const metrics::MetricsEndpoint& metrics,
                      const Service& service) {
  nlohmann::json ready = {{"grpc_port", host.port()},
                          {"health_port", host.health_port()},
                          {"metrics_port", metrics.port()},
                          {"pid", static_cast<int>(getpid())}};
  service.describe_ready(ready);
  std::string temporary = path + ".tmp";
  std::ofstream(temporary) << ready.dump() << "\n";
  std::rename(temporary.c_str(), path.c_str());
}

}  // namespace

int run_service(int argc, char** argv, const std::string& name, std::unique_ptr<Service> service) {
  block_termination_signals();
  // A peer (Redis, a webhook) closing its socket mid-write must be an error return, not a death.
  std::signal(SIGPIPE, SIG_IGN);
  auto line = parse(argc, argv, name);
  if (!line) return 2;

  config::PlatformConfig platform;
  try {
    config::ConfigTree tree = config::ConfigTree::from_file(line->config_path, config::process_environment());
    platform = config::read_platform_config(tree, name);
    service->read_config(tree, platform);
    // One hub's configuration file may carry every service's section; each checks only its own.
    for (const char* section : {"intake", "screening", "routing", "notification", "diagnostics", "situation", "console"}) {
      if (name != section) tree.ignore(section);
    }
    tree.finish();
  } catch (const config::ConfigError& e) {
    std::cerr << "pact-" << name << ": " << e.what() << "\n";
    return 2;
  }
  if (line->check_only) {
    std::cout << "pact-" << name << ": configuration " << line->config_path << " is valid\n";
    return 0;
  }

  log::init({name, platform.hub.prefix(), log::parse_level(platform.logging.level)});
  try {
    metrics::MetricsEndpoint metrics(platform.metrics.listen);
    exec::BoundedExecutor executor(name + "-blocking", static_cast<std::size_t>(platform.grpc.executor_threads),
                                   static_cast<std::size_t>(platform.grpc.executor_queue));
    security::ServerSecurity security = security::make_server_security(platform);
    rpc::CallGate gate(security.authenticator, executor, std::make_shared<rpc::CallMetrics>(*metrics.registry()),
                       security.policy);
    rpc::ServerHost server({platform.grpc.listen, platform.grpc.health_listen, platform.grpc.not_serving_grace,
                            platform.grpc.drain_timeout, platform.grpc.max_connection_age, security.credentials});
    const security::ClientIdentity calls = security::ClientIdentity::for_service(platform.security);
    Runtime runtime{platform, server, gate, metrics, calls};
    // Whatever fails from here on, the service's threads stop before the parts they use go away.
    struct StopOnExit {
      Service& service;
      bool armed = true;
      ~StopOnExit() {
        if (!armed) return;
        try {
          service.stop();
        } catch (const std::exception& e) {
          log::error("stopping after a failed start failed too", {{"error", e.what()}});
        }
      }
    } stop_on_exit{*service};
    service->start(runtime);
    if (security.policy.access) {
      auto unlisted = security.policy.access->unlisted_methods(server.service_names());
      if (!unlisted.empty()) {
        std::string names;
        for (const auto& method : unlisted) names += (names.empty() ? "" : ", ") + method;
        throw std::runtime_error("the access policy gives no roles for " + names +
                                 "; list each method with the roles that may call it");
      }
    }
    server.start();
    if (!line->ready_file.empty()) write_ready_file(line->ready_file, server, metrics, *service);
    log::info("service started", {{"security_mode", platform.security.mode == config::SecurityMode::development
                                                        ? "development"
                                                        : "production"}});

    int signal_number = wait_for_termination_signal();
    log::info("stopping", {{"signal", signal_number}});
    service->stopping();
    server.shutdown();
    stop_on_exit.armed = false;
    service->stop();
    executor.shutdown();
    log::info("stopped cleanly");
    return 0;
  } catch (const std::exception& e) {
    log::error("service failed", {{"error", e.what()}});
    return 1;
  }
}

}  // namespace pact::service
