#pragma once

#include <grpcpp/grpcpp.h>

#include <string>

namespace pact::testing {

struct ReflectionAnswer {
  grpc::Status status;
  std::string raw_response;  // serialized ServerReflectionResponse (service names appear verbatim)
};

// Asks the server reflection service (grpc.reflection.v1alpha, as gRPC 1.51 serves it) to list
// services, through a generic streaming call, as grpcurl would.
ReflectionAnswer list_services(const std::string& address);

}  // namespace pact::testing
