#pragma once

#include <optional>
#include <string_view>

#include <google/protobuf/message.h>

#include "crypto/secret_key.h"
#include "pact/common/v1/common.pb.h"

namespace pact::crypto {

// Personal data of a case travels and rests as an EncryptedSection: the message serialized and
// sealed under the case's data key, with associated data = case id + the message's full name, so
// a section cannot be opened as another case's or as another kind of record.
common::v1::EncryptedSection seal_message(const SecretKey& case_key, std::string_view case_id,
                                          const google::protobuf::Message& message, std::uint32_t key_version = 1);

// Fills `into` (whose type must match the section's record type); false if it does not open.
bool open_message(const SecretKey& case_key, std::string_view case_id, const common::v1::EncryptedSection& section,
                  google::protobuf::Message& into);

}  // namespace pact::crypto
