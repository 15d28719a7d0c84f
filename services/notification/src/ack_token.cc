#include "ack_token.h"

#include <sodium.h>

namespace pact::notification {

namespace {
constexpr std::size_t kMacBytes = 20;  // 160 bits, base32: 32 characters
}

std::string AckTokens::token_for(std::string_view delivery_id) const {
  return std::string(delivery_id) + "." + hasher_.digest_base32({"pact-ack-token", delivery_id}, kMacBytes);
}

std::optional<std::string> AckTokens::delivery_of(std::string_view token) const {
  const auto dot = token.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || token.size() > 512) return std::nullopt;
  const std::string_view delivery_id = token.substr(0, dot);
  const std::string expected = token_for(delivery_id);
  if (expected.size() != token.size() || sodium_memcmp(expected.data(), token.data(), token.size()) != 0) {
    return std::nullopt;
  }
  return std::string(delivery_id);
}

}  // namespace pact::notification
