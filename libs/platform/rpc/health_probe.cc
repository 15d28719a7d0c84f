#include "rpc/health_probe.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <vector>

namespace pact::rpc {
namespace {

// HealthCheckRequest { string service = 1; } encoded by hand.
std::string encode_request(const std::string& service) {
  if (service.empty()) return {};
  std::string bytes = "\x0a";
  size_t length = service.size();
  do {  // varint length
    auto byte = static_cast<unsigned char>(length & 0x7f);
    length >>= 7;
    bytes.push_back(static_cast<char>(length != 0 ? (byte | 0x80) : byte));
  } while (length != 0);
  return bytes + service;
}

}  // namespace

HealthAnswer check_health(const std::string& address, const std::string& service, std::chrono::milliseconds timeout,
                          const std::shared_ptr<grpc::ChannelCredentials>& credentials) {
  auto channel = grpc::CreateChannel(address, credentials ? credentials : grpc::InsecureChannelCredentials());
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + timeout);
  const std::string request_bytes = encode_request(service);
  grpc::Slice slice(request_bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  grpc::Status status;
  grpc::CompletionQueue queue;
  auto call = stub.PrepareUnaryCall(&context, "/grpc.health.v1.Health/Check", request, &queue);
  call->StartCall();
  call->Finish(&response, &status, nullptr);
  void* tag = nullptr;
  bool ok = false;
  queue.Next(&tag, &ok);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) return {HealthStatus::service_unknown, status.error_message()};
  if (!status.ok()) return {HealthStatus::unreachable, status.error_message()};
  std::vector<grpc::Slice> slices;
  response.Dump(&slices);
  std::string bytes;
  for (const auto& part : slices) bytes.append(reinterpret_cast<const char*>(part.begin()), part.size());
  // HealthCheckResponse { ServingStatus status = 1; }: 1 SERVING, 2 NOT_SERVING, 3 SERVICE_UNKNOWN.
  if (bytes == std::string("\x08\x01", 2)) return {HealthStatus::serving, {}};
  if (bytes == std::string("\x08\x03", 2)) return {HealthStatus::service_unknown, {}};
  return {HealthStatus::not_serving, {}};
}

const char* to_string(HealthStatus status) {
  switch (status) {
    case HealthStatus::serving: return "SERVING";
    case HealthStatus::not_serving: return "NOT_SERVING";
    case HealthStatus::service_unknown: return "SERVICE_UNKNOWN";
    case HealthStatus::unreachable: return "UNREACHABLE";
  }
  return "UNREACHABLE";
}

}  // namespace pact::rpc
