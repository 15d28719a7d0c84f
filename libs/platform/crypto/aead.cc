#include "crypto/aead.h"

#include <sodium.h>

namespace pact::crypto {
namespace {
constexpr unsigned char kEnvelopeVersion = 1;
constexpr size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
}  // namespace

std::string seal(const SecretKey& key, std::string_view plaintext, std::string_view associated_data) {
  ensure_sodium();
  std::string envelope(1 + kNonceBytes + plaintext.size() + kTagBytes, '\0');
  auto* out = reinterpret_cast<unsigned char*>(envelope.data());
  out[0] = kEnvelopeVersion;
  randombytes_buf(out + 1, kNonceBytes);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      out + 1 + kNonceBytes, &written, reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
      reinterpret_cast<const unsigned char*>(associated_data.data()), associated_data.size(), nullptr, out + 1,
      key.data());
  envelope.resize(1 + kNonceBytes + written);
  return envelope;
}

std::optional<std::string> open(const SecretKey& key, std::string_view envelope, std::string_view associated_data) {
  ensure_sodium();
  if (envelope.size() < 1 + kNonceBytes + kTagBytes) return std::nullopt;
  const auto* in = reinterpret_cast<const unsigned char*>(envelope.data());
  if (in[0] != kEnvelopeVersion) return std::nullopt;
  std::string plaintext(envelope.size() - 1 - kNonceBytes - kTagBytes, '\0');
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plaintext.data()), &written, nullptr, in + 1 + kNonceBytes,
          envelope.size() - 1 - kNonceBytes, reinterpret_cast<const unsigned char*>(associated_data.data()),
          associated_data.size(), in + 1, key.data()) != 0) {
    return std::nullopt;
  }
  plaintext.resize(written);
  return plaintext;
}

std::string case_associated_data(std::string_view case_id, std::string_view record_type) {
  std::string ad(case_id);
  ad.push_back('\0');
  ad.append(record_type);
  return ad;
}

}  // namespace pact::crypto
