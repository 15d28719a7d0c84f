#include "crypto/keyed_hash.h"

#include <sodium.h>

#include <algorithm>

namespace pact::crypto {

std::string KeyedHasher::digest(std::initializer_list<std::string_view> parts) const {
  ensure_sodium();
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, key_.data(), kKeyBytes);
  for (auto part : parts) {
    unsigned char length[8];
    auto size = static_cast<std::uint64_t>(part.size());
    for (int i = 0; i < 8; ++i) length[i] = static_cast<unsigned char>(size >> (8 * (7 - i)));
    crypto_auth_hmacsha256_update(&state, length, sizeof length);
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(part.data()), part.size());
  }
  std::string out(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char*>(out.data()));
  sodium_memzero(&state, sizeof state);
  return out;
}

std::string KeyedHasher::digest_base32(std::initializer_list<std::string_view> parts, size_t bytes) const {
  std::string raw = digest(parts);
  return base32_lower(std::string_view(raw).substr(0, std::min(bytes, raw.size())));
}

std::string base32_lower(std::string_view bytes) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (unsigned char byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out.push_back(kAlphabet[(buffer >> (bits - 5)) & 31U]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (5 - bits)) & 31U]);
  return out;
}

std::string to_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char byte : bytes) {
    out.push_back(kDigits[byte >> 4]);
    out.push_back(kDigits[byte & 15U]);
  }
  return out;
}

}  // namespace pact::crypto
