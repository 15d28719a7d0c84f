#pragma once

#include <functional>
#include <string>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <nlohmann/json.hpp>

namespace pact::log {

inline constexpr const char* kRedacted = "[redacted]";

// True when the field carries the (pact.common.v1.personal_data) option.
bool is_personal(const google::protobuf::FieldDescriptor& field);

// The message as JSON for logs and diagnostics: every field marked personal_data is replaced by
// "[redacted]" (whatever its type, including whole sub-messages), bytes fields show only their
// length, enums show their names.
nlohmann::json redacted_json(const google::protobuf::Message& message);

// Calls visit(field, value-as-text) for every set personal-data string/bytes value inside the
// message, recursively. Leak tests use it to collect what must never appear elsewhere.
void for_each_personal_value(const google::protobuf::Message& message,
                             const std::function<void(const google::protobuf::FieldDescriptor&,
                                                      const std::string&)>& visit);

}  // namespace pact::log
