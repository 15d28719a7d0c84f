#include "ids/ids.h"

#include <unistd.h>

#include <sodium.h>

namespace pact::ids {

std::string IdMinter::case_id(std::string_view hub, std::string_view organisation,
                              std::string_view idempotency_key) const {
  return "case-" + hasher_.digest_base32({"pact.case", hub, organisation, idempotency_key}, 15);
}

std::string content_id(std::string_view prefix, std::initializer_list<std::string_view> parts) {
  crypto::ensure_sodium();
  crypto_generichash_state state;
  unsigned char digest[20];
  crypto_generichash_init(&state, nullptr, 0, sizeof digest);
  for (std::string_view part : parts) {
    unsigned char length[8];
    auto size = static_cast<std::uint64_t>(part.size());
    for (int i = 0; i < 8; ++i) length[i] = static_cast<unsigned char>(size >> (8 * (7 - i)));
    crypto_generichash_update(&state, length, sizeof length);
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(part.data()), part.size());
  }
  crypto_generichash_final(&state, digest, sizeof digest);
  return std::string(prefix) + "-" +
         crypto::base32_lower(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

std::string derive_event_id(std::string_view input_event_id, std::string_view stage, std::uint32_t position) {
  std::string position_text = std::to_string(position);
  return content_id("evt", {input_event_id, stage, position_text});
}

std::string need_id(std::string_view case_id, std::string_view need_type) {
  return std::string(case_id) + "/need/" + std::string(need_type);
}

std::string attempt_id(std::string_view need_id, std::uint32_t attempt_number) {
  return std::string(need_id) + "/attempt/" + std::to_string(attempt_number);
}

std::string instance_id(std::string_view service) {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  unsigned char nonce[4];
  crypto::ensure_sodium();
  randombytes_buf(nonce, sizeof nonce);
  return std::string(service) + "-" + host + "-" + std::to_string(::getpid()) + "-" +
         crypto::to_hex(std::string_view(reinterpret_cast<const char*>(nonce), sizeof nonce));
}

}  // namespace pact::ids
