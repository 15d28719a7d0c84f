#pragma once

#include <string>
#include <string_view>

#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>
#include <nlohmann/json.hpp>

namespace pactctl {

// A response as JSON for scripts: proto field names (as in the .proto files and in the files
// `register --file` reads) and every field, zero values included, so a script never has to know
// proto3's rule that defaults are left out.
nlohmann::json to_json(const google::protobuf::Message& message);

// One JSON document per command run on standard output, so `pactctl ... --json | jq` works.
void print_json(const nlohmann::json& document);

// Prints why a call failed to standard error: the code name and message, every field violation
// from the google.rpc.BadRequest details, and the RetryInfo delay. `what` names the call and the
// address ("intake RegisterEncounter at 10.0.0.5:50051"). Returns exit code 1.
int report_failure(const std::string& what, const grpc::Status& status);

}  // namespace pactctl
