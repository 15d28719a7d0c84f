#include "log/redaction.h"

#include <google/protobuf/reflection.h>

#include "pact/common/v1/options.pb.h"

namespace pact::log {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

nlohmann::json scalar_json(const Message& message, const Reflection& reflection, const FieldDescriptor& field,
                           int index) {
  const bool repeated = field.is_repeated();
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return repeated ? reflection.GetRepeatedInt32(message, &field, index) : reflection.GetInt32(message, &field);
    case FieldDescriptor::CPPTYPE_INT64:
      return repeated ? reflection.GetRepeatedInt64(message, &field, index) : reflection.GetInt64(message, &field);
    case FieldDescriptor::CPPTYPE_UINT32:
      return repeated ? reflection.GetRepeatedUInt32(message, &field, index) : reflection.GetUInt32(message, &field);
    case FieldDescriptor::CPPTYPE_UINT64:
      return repeated ? reflection.GetRepeatedUInt64(message, &field, index) : reflection.GetUInt64(message, &field);
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return repeated ? reflection.GetRepeatedDouble(message, &field, index) : reflection.GetDouble(message, &field);
    case FieldDescriptor::CPPTYPE_FLOAT:
      return repeated ? reflection.GetRepeatedFloat(message, &field, index) : reflection.GetFloat(message, &field);
    case FieldDescriptor::CPPTYPE_BOOL:
      return repeated ? reflection.GetRepeatedBool(message, &field, index) : reflection.GetBool(message, &field);
    case FieldDescriptor::CPPTYPE_ENUM:
      return (repeated ? reflection.GetRepeatedEnum(message, &field, index) : reflection.GetEnum(message, &field))
          ->name();
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string value =
          repeated ? reflection.GetRepeatedString(message, &field, index) : reflection.GetString(message, &field);
      if (field.type() == FieldDescriptor::TYPE_BYTES) return "<" + std::to_string(value.size()) + " bytes>";
      return value;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return redacted_json(repeated ? reflection.GetRepeatedMessage(message, &field, index)
                                    : reflection.GetMessage(message, &field));
  }
  return nullptr;
}

}  // namespace

bool is_personal(const FieldDescriptor& field) {
  return field.options().GetExtension(pact::common::v1::personal_data);
}

nlohmann::json redacted_json(const Message& message) {
  nlohmann::json out = nlohmann::json::object();
  const Reflection& reflection = *message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection.ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (is_personal(*field)) {
      out[field->name()] = kRedacted;
      continue;
    }
    if (field->is_repeated()) {
      nlohmann::json items = nlohmann::json::array();
      for (int i = 0; i < reflection.FieldSize(message, field); ++i) {
        items.push_back(scalar_json(message, reflection, *field, i));
      }
      out[field->name()] = std::move(items);
    } else {
      out[field->name()] = scalar_json(message, reflection, *field, 0);
    }
  }
  return out;
}

void for_each_personal_value(const Message& message,
                             const std::function<void(const FieldDescriptor&, const std::string&)>& visit) {
  const Reflection& reflection = *message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection.ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    const bool personal = is_personal(*field);
    const int count = field->is_repeated() ? reflection.FieldSize(message, field) : 1;
    for (int i = 0; i < count; ++i) {
      if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        const Message& child = field->is_repeated() ? reflection.GetRepeatedMessage(message, field, i)
                                                    : reflection.GetMessage(message, field);
        if (personal) {
          // Everything inside a personal sub-message is personal, whatever its own options say.
          std::vector<const FieldDescriptor*> inner;
          child.GetReflection()->ListFields(child, &inner);
          for_each_personal_value(child, visit);
          for (const FieldDescriptor* inner_field : inner) {
            if (inner_field->cpp_type() == FieldDescriptor::CPPTYPE_STRING && !inner_field->is_repeated() &&
                !is_personal(*inner_field)) {
              visit(*inner_field, child.GetReflection()->GetString(child, inner_field));
            }
          }
        } else {
          for_each_personal_value(child, visit);
        }
      } else if (personal && field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
        visit(*field, field->is_repeated() ? reflection.GetRepeatedString(message, field, i)
                                           : reflection.GetString(message, field));
      }
    }
  }
}

}  // namespace pact::log
