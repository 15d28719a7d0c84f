#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "crypto/keyed_hash.h"

namespace pact::notification {

// Acknowledgement tokens: "<delivery id>.<MAC>", the MAC keyed with notification's ack key. Nothing
// is stored per token, so a token survives restarts, is the same on every attempt and resend, and
// cannot be forged or moved to another delivery. A bearer secret: never logged.
class AckTokens {
 public:
  explicit AckTokens(crypto::SecretKey key) : hasher_(std::move(key)) {}

  std::string token_for(std::string_view delivery_id) const;
  // The delivery a genuine token names; nullopt for anything else.
  std::optional<std::string> delivery_of(std::string_view token) const;

 private:
  crypto::KeyedHasher hasher_;
};

}  // namespace pact::notification
