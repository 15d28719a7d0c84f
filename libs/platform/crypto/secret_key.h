#pragma once

#include <array>
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace pact::crypto {

inline constexpr std::size_t kKeyBytes = 32;

// Initialises libsodium once; every crypto entry point calls it.
void ensure_sodium();

// 32 bytes of key material, wiped when it goes away.
class SecretKey {
 public:
  SecretKey();  // all zero; use generate() or from_*
  ~SecretKey();
  SecretKey(const SecretKey& other);
  SecretKey& operator=(const SecretKey& other);

  static SecretKey generate();
  // Raw 32 bytes; throws std::invalid_argument on a wrong length.
  static SecretKey from_bytes(std::string_view bytes);
  // 64 hex digits or standard base64 of 32 bytes (surrounding white space ignored).
  static SecretKey from_text(std::string_view text);
  // A secret file (a mounted Kubernetes Secret): text as from_text. Never from the repository.
  static SecretKey from_file(const std::filesystem::path& path);

  const unsigned char* data() const { return bytes_.data(); }
  std::string_view view() const { return {reinterpret_cast<const char*>(bytes_.data()), bytes_.size()}; }

 private:
  std::array<unsigned char, kKeyBytes> bytes_{};
};

}  // namespace pact::crypto
