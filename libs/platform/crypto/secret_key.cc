#include "crypto/secret_key.h"

#include <sodium.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace pact::crypto {

void ensure_sodium() {
  static const bool ready = [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
    return true;
  }();
  (void)ready;
}

SecretKey::SecretKey() = default;

SecretKey::~SecretKey() { sodium_memzero(bytes_.data(), bytes_.size()); }

SecretKey::SecretKey(const SecretKey& other) = default;

SecretKey& SecretKey::operator=(const SecretKey& other) = default;

SecretKey SecretKey::generate() {
  ensure_sodium();
  SecretKey key;
  randombytes_buf(key.bytes_.data(), key.bytes_.size());
  return key;
}

SecretKey SecretKey::from_bytes(std::string_view bytes) {
  if (bytes.size() != kKeyBytes) {
    throw std::invalid_argument("a key must be 32 bytes, got " + std::to_string(bytes.size()));
  }
  SecretKey key;
  std::copy(bytes.begin(), bytes.end(), key.bytes_.begin());
  return key;
}

SecretKey SecretKey::from_text(std::string_view text) {
  ensure_sodium();
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  SecretKey key;
  size_t length = 0;
  if (text.size() == 2 * kKeyBytes &&
      sodium_hex2bin(key.bytes_.data(), key.bytes_.size(), text.data(), text.size(), nullptr, &length, nullptr) == 0 &&
      length == kKeyBytes) {
    return key;
  }
  if (sodium_base642bin(key.bytes_.data(), key.bytes_.size(), text.data(), text.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) == 0 &&
      length == kKeyBytes) {
    return key;
  }
  throw std::invalid_argument("a key must be 64 hex digits or base64 of 32 bytes");
}

SecretKey SecretKey::from_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::invalid_argument("secret file " + path.string() + " cannot be read");
  std::stringstream content;
  content << in.rdbuf();
  try {
    return from_text(content.str());
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument("secret file " + path.string() + ": " + e.what());
  }
}

}  // namespace pact::crypto
