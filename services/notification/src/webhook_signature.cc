#include "webhook_signature.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <algorithm>
#include <array>
#include <memory>
#include <stdexcept>

namespace pact::notification {
namespace {

constexpr std::string_view kVersion = "v1=";

// Fetching the algorithm is the costly part of an HMAC in OpenSSL 3, so it is done once; the
// fetched object may be shared by threads, a context may not.
EVP_MAC* hmac_algorithm() {
  static const std::unique_ptr<EVP_MAC, decltype(&EVP_MAC_free)> algorithm(EVP_MAC_fetch(nullptr, "HMAC", nullptr),
                                                                           &EVP_MAC_free);
  if (!algorithm) throw std::runtime_error("OpenSSL offers no HMAC");
  return algorithm.get();
}

const unsigned char* bytes_of(std::string_view text) { return reinterpret_cast<const unsigned char*>(text.data()); }

std::string hex(const unsigned char* data, std::size_t size) {
  constexpr std::string_view kDigits = "0123456789abcdef";
  std::string text;
  text.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    text.push_back(kDigits[data[i] >> 4]);
    text.push_back(kDigits[data[i] & 0x0f]);
  }
  return text;
}

std::string signature_of(std::string_view secret, std::string_view timestamp, std::string_view body) {
  std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> context(EVP_MAC_CTX_new(hmac_algorithm()), &EVP_MAC_CTX_free);
  char digest_name[] = "SHA256";
  const std::array<OSSL_PARAM, 2> parameters = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0), OSSL_PARAM_construct_end()};
  // Timestamp, dot and body are fed one after the other: the body is never copied.
  constexpr std::string_view kDot = ".";
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  std::size_t mac_size = 0;
  if (!context || EVP_MAC_init(context.get(), bytes_of(secret), secret.size(), parameters.data()) != 1 ||
      EVP_MAC_update(context.get(), bytes_of(timestamp), timestamp.size()) != 1 ||
      EVP_MAC_update(context.get(), bytes_of(kDot), kDot.size()) != 1 ||
      EVP_MAC_update(context.get(), bytes_of(body), body.size()) != 1 ||
      EVP_MAC_final(context.get(), mac.data(), &mac_size, mac.size()) != 1) {
    throw std::runtime_error("OpenSSL could not compute an HMAC");
  }
  return std::string(kVersion) + hex(mac.data(), mac_size);
}

bool plain_token(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c > ' ' && c < '\x7f'; });
}

}  // namespace

std::string webhook_signature(std::string_view secret, std::string_view timestamp, std::string_view body) {
  if (secret.empty()) throw std::invalid_argument("a webhook secret must not be empty");
  return signature_of(secret, timestamp, body);
}

bool verify_webhook_signature(std::string_view secret, std::string_view timestamp, std::string_view body,
                              std::string_view header_value) {
  if (secret.empty()) return false;
  while (!header_value.empty() && (header_value.front() == ' ' || header_value.front() == '\t')) header_value.remove_prefix(1);
  while (!header_value.empty() && (header_value.back() == ' ' || header_value.back() == '\t')) header_value.remove_suffix(1);
  const std::string expected = signature_of(secret, timestamp, body);
  // The length is no secret (every v1 signature has the same); the contents are compared in
  // constant time so a forger learns nothing from how long a rejection took.
  return header_value.size() == expected.size() && CRYPTO_memcmp(header_value.data(), expected.data(), expected.size()) == 0;
}

std::vector<std::string> webhook_headers(std::string_view secret, std::string_view delivery_id, std::uint32_t attempt,
                                         std::chrono::system_clock::time_point now, std::string_view body) {
  // The id goes into header lines verbatim: a line break in it would forge headers.
  if (!plain_token(delivery_id)) throw std::invalid_argument("a delivery id must be a non-empty printable token");
  const std::string timestamp = std::to_string(std::chrono::floor<std::chrono::seconds>(now.time_since_epoch()).count());
  const std::string id(delivery_id);
  return {
      "Content-Type: application/json",
      "X-Pact-Timestamp: " + timestamp,
      "X-Pact-Signature: " + webhook_signature(secret, timestamp, body),
      "Idempotency-Key: " + id,
      "X-Pact-Delivery-Id: " + id,
      "X-Pact-Attempt: " + std::to_string(attempt),
      "User-Agent: pact-notification/1",
  };
}

}  // namespace pact::notification
