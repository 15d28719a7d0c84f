#pragma once

#include <string>
#include <string_view>

#include <google/protobuf/message.h>

namespace pactctl {

// The whole file ("-" is standard input); InputError when it cannot be read.
std::string read_file_text(const std::string& path);

enum class DocumentFormat { json, yaml };

// From --format when given ("json", "yaml"), else from the extension (.json, .yaml, .yml);
// InputError when neither says.
DocumentFormat document_format(const std::string& path, const std::string& format_flag);

// Reads a message from a JSON file (protobuf's JSON mapping, through JsonStringToMessage) or a
// YAML file (converted to that JSON guided by the message's descriptor, so `site_id: 123` stays
// the string "123" and `exercise: yes` is a bool). Field names may be the proto names or their
// JSON camelCase; enum values the full names ("NEED_TYPE_SHELTER"), and in YAML also the short
// names the flags take ("shelter", "18-20").
//
// When `nested_field` is given and the document has no such top-level key, the document is read
// as that field's message: a bare Encounter is accepted where a RegisterEncounterRequest is read.
// InputError naming the file and what is wrong.
void read_message_file(const std::string& path, DocumentFormat format, google::protobuf::Message& out,
                       std::string_view nested_field = {});

}  // namespace pactctl
