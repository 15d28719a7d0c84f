#include "support/reflection_probe.h"

#include <grpcpp/generic/generic_stub.h>

#include <vector>

namespace pact::testing {
namespace {

bool step(grpc::CompletionQueue& queue) {
  void* tag = nullptr;
  bool ok = false;
  return queue.Next(&tag, &ok) && ok;
}

}  // namespace

ReflectionAnswer list_services(const std::string& address) {
  auto channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  grpc::CompletionQueue queue;
  auto call = stub.PrepareCall(&context, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &queue);
  ReflectionAnswer answer;
  call->StartCall(nullptr);
  if (step(queue)) {
    // ServerReflectionRequest { list_services (7) = "" }
    const std::string request_bytes("\x3a\x00", 2);
    grpc::Slice slice(request_bytes);
    grpc::ByteBuffer request(&slice, 1);
    call->Write(request, nullptr);
    step(queue);
    call->WritesDone(nullptr);
    step(queue);
    grpc::ByteBuffer response;
    call->Read(&response, nullptr);
    if (step(queue)) {
      std::vector<grpc::Slice> slices;
      response.Dump(&slices);
      for (const auto& part : slices) answer.raw_response.append(reinterpret_cast<const char*>(part.begin()), part.size());
    }
  }
  call->Finish(&answer.status, nullptr);
  step(queue);
  return answer;
}

}  // namespace pact::testing
