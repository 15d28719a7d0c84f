#include "rpc/server_host.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/impl/server_builder_option.h>

#include <mutex>
#include <stdexcept>
#include <thread>

#include "log/logger.h"

namespace pact::rpc {
namespace {

void enable_process_wide_features() {
  static std::once_flag once;
  std::call_once(once, [] {
    grpc::EnableDefaultHealthCheckService(true);
    grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  });
}

// Removes builder plugins (reflection) from the health-only server, so that port serves health
// and nothing else.
class WithoutPlugins : public grpc::ServerBuilderOption {
 public:
  void UpdateArguments(grpc::ChannelArguments*) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>* plugins) override { plugins->clear(); }
};

}  // namespace

ServerHost::ServerHost(ServerHostOptions options) : options_(std::move(options)) {}

ServerHost::~ServerHost() { shutdown(); }

void ServerHost::add_service(grpc::Service* service, std::string name) {
  services_.emplace_back(service, std::move(name));
}

std::vector<std::string> ServerHost::service_names() const {
  std::vector<std::string> names;
  for (const auto& entry : services_) names.push_back(entry.second);
  return names;
}

void ServerHost::start() {
  enable_process_wide_features();
  grpc::ServerBuilder builder;
  // Without this, gRPC binds with SO_REUSEPORT and a second instance on the same port silently
  // shares its traffic instead of failing to start.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  if (options_.max_connection_age.count() > 0) {
    // A client keeps one connection per channel (pick_first) and a Kubernetes Service balances per
    // connection, so without an age a replica added in a surge would get no calls from the
    // replicas already connected. Calls in flight get the drain timeout to finish.
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, static_cast<int>(options_.max_connection_age.count()));
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS, static_cast<int>(options_.drain_timeout.count()));
  }
  builder.AddListeningPort(options_.listen,
                           options_.credentials ? options_.credentials : grpc::InsecureServerCredentials(), &port_);
  for (auto& [service, name] : services_) builder.RegisterService(service);
  server_ = builder.BuildAndStart();
  if (!server_ || port_ == 0) throw std::runtime_error("cannot serve gRPC on " + options_.listen);

  grpc::ServerBuilder health_builder;
  health_builder.SetOption(std::make_unique<WithoutPlugins>());
  health_builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // A server needs one callback service to poll its queue; the generic one answers UNIMPLEMENTED
  // to anything but health, which is what this port must do anyway.
  health_builder.RegisterCallbackGenericService(&unimplemented_);
  health_builder.AddListeningPort(options_.health_listen, grpc::InsecureServerCredentials(), &health_port_);
  health_server_ = health_builder.BuildAndStart();
  if (!health_server_ || health_port_ == 0) {
    server_->Shutdown();
    server_.reset();
    throw std::runtime_error("cannot serve gRPC health on " + options_.health_listen);
  }
  set_serving(true);
  log::info("grpc serving", {{"port", port_}, {"health_port", health_port_}});
}

void ServerHost::set_serving(bool serving) {
  for (grpc::Server* server : {server_.get(), health_server_.get()}) {
    if (server == nullptr) continue;
    grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
    if (health == nullptr) continue;
    health->SetServingStatus(serving);  // the server as a whole ("")
    for (const auto& entry : services_) health->SetServingStatus(entry.second, serving);
  }
}

void ServerHost::shutdown() {
  if (shut_down_ || !server_) return;
  shut_down_ = true;
  set_serving(false);
  if (options_.not_serving_grace.count() > 0) std::this_thread::sleep_for(options_.not_serving_grace);
  server_->Shutdown(std::chrono::system_clock::now() + options_.drain_timeout);
  if (health_server_) health_server_->Shutdown(std::chrono::system_clock::now());
  log::info("grpc stopped");
}

}  // namespace pact::rpc
