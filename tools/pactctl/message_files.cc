#include "message_files.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/json_util.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "arguments.h"
#include "proto_text.h"

namespace pactctl {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using nlohmann::json;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool ends_with(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// yaml-cpp tags plain scalars "?" and quoted ones "!": `"123"` was meant as text.
bool is_quoted(const YAML::Node& node) { return node.Tag() == "!"; }

// A scalar whose field we do not know: typed by its look, as YAML 1.2's core schema does.
json plain_scalar(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  if (is_quoted(node)) return text;
  if (text == "true" || text == "false") return text == "true";
  if (text.empty() || text == "~" || text == "null") return nullptr;
  json number = json::parse(text, nullptr, /*allow_exceptions=*/false);
  return number.is_number() ? number : json(text);
}

json untyped(const YAML::Node& node) {
  if (node.IsMap()) {
    json object = json::object();
    for (const auto& entry : node) object[entry.first.Scalar()] = untyped(entry.second);
    return object;
  }
  if (node.IsSequence()) {
    json array = json::array();
    for (const auto& item : node) array.push_back(untyped(item));
    return array;
  }
  if (node.IsScalar()) return plain_scalar(node);
  return nullptr;
}

const FieldDescriptor* field_named(const Descriptor& type, const std::string& key) {
  if (const auto* field = type.FindFieldByName(key)) return field;
  for (int i = 0; i < type.field_count(); ++i) {
    if (type.field(i)->json_name() == key) return type.field(i);
  }
  return nullptr;
}

bool has_key(const YAML::Node& map, const std::string& key) {
  if (!map.IsMap()) return false;
  for (const auto& entry : map) {
    if (entry.first.Scalar() == key) return true;
  }
  return false;
}

json message_json(const YAML::Node& node, const Descriptor& type);

// One value of `field` (an element, for a repeated field).
json value_json(const YAML::Node& node, const FieldDescriptor& field) {
  if (node.IsNull()) return nullptr;
  if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) return message_json(node, *field.message_type());
  if (!node.IsScalar()) return untyped(node);  // the JSON parser names the mismatch
  const std::string& text = node.Scalar();
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: return text;
    case FieldDescriptor::CPPTYPE_BOOL: {
      const std::string word = lower(text);
      if (word == "true" || word == "yes" || word == "on") return true;
      if (word == "false" || word == "no" || word == "off") return false;
      return text;
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      json number = plain_scalar(node);
      if (number.is_number_integer()) return number;
      // YAML is written by people: "social_welfare" or "18-20" name the value as the flags do.
      auto value = find_enum_value(*field.enum_type(), text);
      return value ? json(field.enum_type()->FindValueByNumber(*value)->name()) : json(text);
    }
    default: {
      // Numbers: the JSON mapping also accepts them quoted, so a malformed one reaches the
      // parser as text and comes back with the field's name.
      json number = plain_scalar(node);
      return number.is_number() ? number : json(text);
    }
  }
}

json field_json(const YAML::Node& node, const FieldDescriptor& field) {
  if (field.is_map()) {
    if (!node.IsMap()) return untyped(node);
    const FieldDescriptor& value_field = *field.message_type()->map_value();
    json object = json::object();
    for (const auto& entry : node) object[entry.first.Scalar()] = value_json(entry.second, value_field);
    return object;
  }
  if (field.is_repeated()) {
    json array = json::array();
    if (node.IsSequence()) {
      for (const auto& item : node) array.push_back(value_json(item, field));
    } else if (!node.IsNull()) {
      array.push_back(value_json(node, field));  // `languages: ar` means a list of one
    }
    return array;
  }
  return value_json(node, field);
}

json message_json(const YAML::Node& node, const Descriptor& type) {
  // Well-known types written as scalars (a Timestamp "2026-03-01T14:05:00Z") pass through.
  if (!node.IsMap()) return untyped(node);
  json object = json::object();
  for (const auto& entry : node) {
    const std::string key = entry.first.Scalar();
    const FieldDescriptor* field = field_named(type, key);
    // An unknown key is passed on as it is, for the JSON parser to report by name.
    object[key] = field != nullptr ? field_json(entry.second, *field) : untyped(entry.second);
  }
  return object;
}

json load_json(const std::string& path, const std::string& text) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    throw InputError(path + ": not valid JSON: " + e.what());
  }
}

YAML::Node load_yaml(const std::string& path, const std::string& text) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw InputError(path + ":" + std::to_string(e.mark.line + 1) + ": not valid YAML: " + e.msg);
  }
}

}  // namespace

std::string read_file_text(const std::string& path) {
  if (path == "-") return std::string{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
  std::ifstream file(path, std::ios::binary);
  if (!file) throw InputError(path + ": cannot be opened for reading");
  std::ostringstream text;
  text << file.rdbuf();
  if (file.bad()) throw InputError(path + ": cannot be read");
  return text.str();
}

DocumentFormat document_format(const std::string& path, const std::string& format_flag) {
  const std::string format = lower(format_flag);
  if (format == "json") return DocumentFormat::json;
  if (format == "yaml" || format == "yml") return DocumentFormat::yaml;
  if (!format.empty()) throw UsageError("--format '" + format_flag + "' is not one of: json, yaml");
  const std::string name = lower(path);
  if (ends_with(name, ".json")) return DocumentFormat::json;
  if (ends_with(name, ".yaml") || ends_with(name, ".yml")) return DocumentFormat::yaml;
  throw InputError(path + ": say --format json or --format yaml (the name does not end in .json, .yaml or .yml)");
}

void read_message_file(const std::string& path, DocumentFormat format, google::protobuf::Message& out,
                       std::string_view nested_field) {
  const Descriptor& type = *out.GetDescriptor();
  const FieldDescriptor* nested = nested_field.empty() ? nullptr : type.FindFieldByName(std::string(nested_field));
  const std::string text = read_file_text(path);
  json document;
  if (format == DocumentFormat::json) {
    document = load_json(path, text);
    const bool bare = nested != nullptr && document.is_object() && !document.contains(nested->name()) &&
                      !document.contains(nested->json_name());
    if (bare) document = json{{nested->name(), document}};
  } else {
    const YAML::Node root = load_yaml(path, text);
    if (!root.IsMap()) throw InputError(path + ": expected a mapping of field names to values at the top");
    const bool bare = nested != nullptr && !has_key(root, nested->name()) && !has_key(root, nested->json_name());
    document = bare ? json{{nested->name(), message_json(root, *nested->message_type())}} : message_json(root, type);
  }
  if (!document.is_object()) throw InputError(path + ": expected an object at the top");
  std::string text_for_parser;
  try {
    text_for_parser = document.dump();
  } catch (const json::type_error&) {
    throw InputError(path + ": is not valid UTF-8 text");
  }
  auto status = google::protobuf::util::JsonStringToMessage(text_for_parser, &out);
  if (!status.ok()) {
    throw InputError(path + ": does not fit " + type.full_name() + ": " + std::string(status.message()));
  }
}

}  // namespace pactctl
