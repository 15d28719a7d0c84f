#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "crypto/secret_key.h"

namespace pact::crypto {

// XChaCha20-Poly1305 (libsodium IETF AEAD) envelopes: version byte, 24-byte random nonce, then
// ciphertext and tag. The associated data binds an envelope to where it belongs (case id and record
// type), so a ciphertext copied onto another case or field does not open.
std::string seal(const SecretKey& key, std::string_view plaintext, std::string_view associated_data);

// nullopt when the key is wrong, the data was changed, or the associated data does not match.
std::optional<std::string> open(const SecretKey& key, std::string_view envelope, std::string_view associated_data);

// Associated data for personal data of a case: "<case id>\0<record type>".
std::string case_associated_data(std::string_view case_id, std::string_view record_type);

}  // namespace pact::crypto
