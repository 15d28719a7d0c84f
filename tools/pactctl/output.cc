#include "output.h"

#include <iomanip>
#include <iostream>

#include <google/protobuf/util/json_util.h>

#include "rpc/call_metrics.h"
#include "rpc/status.h"

namespace pactctl {

nlohmann::json to_json(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string text;
  auto status = google::protobuf::util::MessageToJsonString(message, &text, options);
  if (!status.ok()) {
    // Only a message the descriptors cannot describe gets here; say so rather than print half.
    return nlohmann::json{{"error", "cannot print " + message.GetTypeName() + " as JSON: " + status.ToString()}};
  }
  return nlohmann::json::parse(text);
}

void print_json(const nlohmann::json& document) { std::cout << document.dump(2) << '\n'; }

int report_failure(const std::string& what, const grpc::Status& status) {
  std::cerr << "pactctl: " << what << " failed: " << pact::rpc::status_code_name(status.error_code()) << ": " << status.error_message()
            << '\n';
  for (const auto& violation : pact::rpc::field_violations(status)) {
    std::cerr << "  " << (violation.field.empty() ? "(request)" : violation.field) << ": " << violation.description
              << '\n';
  }
  if (auto delay = pact::rpc::retry_delay(status)) {
    std::cerr << "  the service asks to retry after " << std::fixed << std::setprecision(1)
              << static_cast<double>(delay->count()) / 1000.0 << " s\n";
  }
  // The usual causes, for the person at the terminal.
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      if (!pact::rpc::retry_delay(status)) std::cerr << "  is the service running at that address?\n";
      break;
    case grpc::StatusCode::UNAUTHENTICATED:
      std::cerr << "  pactctl sends the development identity (x-pact-* metadata), which services accept only in "
                   "development mode\n";
      break;
    case grpc::StatusCode::PERMISSION_DENIED:
      std::cerr << "  check --roles and --jurisdictions (or PACT_ROLES, PACT_JURISDICTIONS)\n";
      break;
    default: break;
  }
  return 1;
}

}  // namespace pactctl
