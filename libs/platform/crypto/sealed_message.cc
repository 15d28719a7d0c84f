#include "crypto/sealed_message.h"

#include "crypto/aead.h"

namespace pact::crypto {

common::v1::EncryptedSection seal_message(const SecretKey& case_key, std::string_view case_id,
                                          const google::protobuf::Message& message, std::uint32_t key_version) {
  common::v1::EncryptedSection section;
  const std::string& type = message.GetDescriptor()->full_name();
  section.set_record_type(type);
  section.set_key_version(key_version);
  std::string plaintext;
  message.SerializeToString(&plaintext);
  section.set_ciphertext(seal(case_key, plaintext, case_associated_data(case_id, type)));
  return section;
}

bool open_message(const SecretKey& case_key, std::string_view case_id, const common::v1::EncryptedSection& section,
                  google::protobuf::Message& into) {
  if (section.record_type() != into.GetDescriptor()->full_name()) return false;
  auto plaintext = open(case_key, section.ciphertext(), case_associated_data(case_id, section.record_type()));
  return plaintext && into.ParseFromString(*plaintext);
}

}  // namespace pact::crypto
