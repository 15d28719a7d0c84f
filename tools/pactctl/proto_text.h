#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <google/protobuf/generated_enum_reflection.h>
#include <google/protobuf/repeated_field.h>
#include <google/protobuf/timestamp.pb.h>

#include "arguments.h"

namespace pactctl {

// Enum values as people type and read them: NEED_TYPE_SHELTER is "shelter", AGE_BAND_18_20 is
// "18_20" (or "18-20"), JURISDICTION_RS is "rs" or "RS". Read from the descriptors, so the CLI
// never falls behind the contracts.

// The value's short name in lower case; empty for the zero (*_UNSPECIFIED) value.
std::string enum_label(const google::protobuf::EnumDescriptor& type, int value);
// Every accepted short name, comma separated, for error messages.
std::string enum_choices(const google::protobuf::EnumDescriptor& type, const std::vector<int>& only = {});
// The value `text` names, if any (short or full name, any case; never the zero value).
std::optional<int> find_enum_value(const google::protobuf::EnumDescriptor& type, std::string_view text);
// The value `text` names; UsageError naming `flag` and listing the choices otherwise. When `only`
// is given, other values are refused too.
int parse_enum(const google::protobuf::EnumDescriptor& type, std::string_view text, std::string_view flag,
               const std::vector<int>& only = {});

template <typename E>
std::string label(E value) {
  return enum_label(*google::protobuf::GetEnumDescriptor<E>(), static_cast<int>(value));
}

template <typename E>
std::string labels(const google::protobuf::RepeatedField<int>& values) {
  std::string out;
  for (int value : values) out += (out.empty() ? "" : ",") + label(static_cast<E>(value));
  return out;
}

template <typename E>
E parse_enum_as(std::string_view text, std::string_view flag, const std::vector<E>& only = {}) {
  std::vector<int> allowed(only.begin(), only.end());
  return static_cast<E>(parse_enum(*google::protobuf::GetEnumDescriptor<E>(), text, flag, allowed));
}

// A comma-separated list of enum values ("shelter,interpreter").
template <typename E>
std::vector<E> parse_enum_list(std::string_view text, std::string_view flag) {
  std::vector<E> values;
  for (const auto& item : split_list(text)) values.push_back(parse_enum_as<E>(item, flag));
  if (values.empty()) throw UsageError(std::string(flag) + " is empty");
  return values;
}

// "2026-03-01 14:05Z"; empty for an unset timestamp.
std::string format_time(const google::protobuf::Timestamp& time);
// "in 35m", "2h10m ago"; empty for an unset timestamp.
std::string relative_to_now(const google::protobuf::Timestamp& time);
// RFC 3339 ("2026-03-01T14:05:00Z") or "now"; UsageError naming `flag` otherwise.
google::protobuf::Timestamp parse_time(std::string_view text, std::string_view flag);
google::protobuf::Timestamp now();

}  // namespace pactctl
