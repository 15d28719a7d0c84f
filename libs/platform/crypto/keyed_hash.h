#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "crypto/secret_key.h"

namespace pact::crypto {

// HMAC-SHA256 over length-prefixed parts, so ("ab","c") and ("a","bc") never collide.
// Used for deterministic ids and for blind indexes (duplicate detection without cleartext).
class KeyedHasher {
 public:
  explicit KeyedHasher(SecretKey key) : key_(std::move(key)) {}

  // 32 raw bytes.
  std::string digest(std::initializer_list<std::string_view> parts) const;
  // Lowercase base32 (RFC 4648 alphabet, no padding) of the first `bytes` bytes of the digest.
  std::string digest_base32(std::initializer_list<std::string_view> parts, size_t bytes = 16) const;

 private:
  SecretKey key_;
};

std::string base32_lower(std::string_view bytes);
std::string to_hex(std::string_view bytes);

}  // namespace pact::crypto
