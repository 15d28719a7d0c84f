// pact-loadgen: the project's load generator, an asynchronous gRPC client that drives a target at
// a fixed concurrency or rate and prints throughput and latency percentiles. Every figure the
// project reports is printed next to a baseline driven the same way in the same run.
//
//   pact-loadgen --address HOST:PORT --target echo|roundtrip|register [--duration 10s] [--warmup 1s]
//                [--concurrency 64] [--rate N] [--payload 300] [--channels 2]
#include <grpcpp/grpcpp.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "encounter_mix.h"
#include "load_runner.h"
#include "registration_call.h"
#include "pact/intake/v1/intake.grpc.pb.h"
#include "pact/diagnostics/v1/diagnostics.grpc.pb.h"
#include "rpc/authenticator.h"

namespace {

using pact::diagnostics::v1::DiagnosticsService;

std::chrono::milliseconds parse_duration(const std::string& text) {
  if (text.size() > 2 && text.substr(text.size() - 2) == "ms") return std::chrono::milliseconds(std::stoll(text));
  if (!text.empty() && text.back() == 's') return std::chrono::seconds(std::stoll(text));
  return std::chrono::seconds(std::stoll(text));
}

template <class Request, class Response>
struct Call {
  grpc::ClientContext context;
  Request request;
  Response response;
};

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> options = {{"target", "echo"},  {"duration", "10s"}, {"warmup", "1s"},
                                                {"concurrency", "64"}, {"rate", "0"},      {"payload", "300"},
                                                {"channels", "2"}};
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string name = argv[i];
    if (name.rfind("--", 0) != 0) break;
    options[name.substr(2)] = argv[i + 1];
  }
  const std::string target = options["target"];
  if (!options.count("address") || (target != "echo" && target != "roundtrip" && target != "register")) {
    std::cerr << "usage: pact-loadgen --address HOST:PORT --target echo|roundtrip|register [--duration 10s] [--warmup 1s]\n"
                 "                    [--concurrency 64] [--rate N] [--payload 300] [--channels 2]\n";
    return 2;
  }
  pactload::LoadOptions load;
  load.duration = parse_duration(options["duration"]);
  load.warmup = parse_duration(options["warmup"]);
  load.concurrency = std::atoi(options["concurrency"].c_str());
  load.rate = std::atof(options["rate"].c_str());
  const std::string payload(static_cast<size_t>(std::atoi(options["payload"].c_str())), 'x');

  // TLS and tokens as the environment says (PACT_CA_FILE, PACT_TOKEN_SIGNING_KEY: see ToolIdentity).
  const auto tool = pact::security::ToolIdentity::from_environment();
  std::vector<std::unique_ptr<DiagnosticsService::Stub>> stubs;
  std::vector<std::unique_ptr<pact::intake::v1::IntakeService::Stub>> intake_stubs;
  for (int i = 0; i < std::max(1, std::atoi(options["channels"].c_str())); ++i) {
    grpc::ChannelArguments arguments;
    arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // one connection per channel
    auto channel = tool.channel(options["address"], arguments);
    stubs.push_back(DiagnosticsService::NewStub(channel));
    intake_stubs.push_back(pact::intake::v1::IntakeService::NewStub(channel));
  }

  const std::string run_id = std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
  const bool exercise = options.count("exercise") != 0 && options["exercise"] == "true";

  pactload::LoadRunner runner(load, [&](std::uint64_t sequence, std::function<void(bool)> done) {
    auto& stub = *stubs[sequence % stubs.size()];
    if (target == "register") {
      pactload::register_async(*intake_stubs[sequence % intake_stubs.size()], tool,
                               pactload::load_identity("pact-loadgen", sequence),
                               pactload::encounter_for(sequence, run_id, exercise),
                               [done](const grpc::Status& status, const auto&) { done(status.ok()); });
    } else if (target == "echo") {
      auto call = std::make_shared<Call<pact::diagnostics::v1::EchoRequest, pact::diagnostics::v1::EchoResponse>>();
      tool.identify(call->context, pactload::load_identity("pact-loadgen", sequence));
      call->request.set_payload(payload);
      stub.async()->Echo(&call->context, &call->request, &call->response,
                         [call, done](grpc::Status status) { done(status.ok()); });
    } else {
      auto call =
          std::make_shared<Call<pact::diagnostics::v1::RoundTripRequest, pact::diagnostics::v1::RoundTripResponse>>();
      tool.identify(call->context, pactload::load_identity("pact-loadgen", sequence));
      call->context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
      call->request.set_probe_id("load-" + run_id + "-" + std::to_string(sequence));
      call->request.set_payload(payload);
      stub.async()->RoundTrip(&call->context, &call->request, &call->response,
                              [call, done](grpc::Status status) { done(status.ok() && call->response.consumed()); });
    }
  });
  pactload::LoadReport report = runner.run();
  std::cout << pactload::format_report(target, report) << std::endl;
  return report.errors == 0 ? 0 : 1;
}
