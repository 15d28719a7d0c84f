#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pact::notification {

// What a webhook receiver checks to know a delivery came from us and was not altered:
// "v1=" + lowercase hex HMAC-SHA256(secret, timestamp + "." + body). The timestamp is signed too,
// so a receiver that rejects old timestamps cannot be fed a replayed request.
// Throws std::invalid_argument for an empty secret: nobody could check such a signature.
std::string webhook_signature(std::string_view secret, std::string_view timestamp, std::string_view body);

// Constant-time check of a received X-Pact-Signature value; false for an empty secret.
bool verify_webhook_signature(std::string_view secret, std::string_view timestamp, std::string_view body,
                              std::string_view header_value);

// The headers of one webhook attempt: Content-Type, X-Pact-Timestamp (unix seconds of `now`),
// X-Pact-Signature, Idempotency-Key and X-Pact-Delivery-Id (both the delivery id, the same on every
// attempt so a receiver can drop repeats), X-Pact-Attempt and User-Agent, in that order.
// Throws std::invalid_argument for a delivery id that is empty or not a plain printable token.
std::vector<std::string> webhook_headers(std::string_view secret, std::string_view delivery_id, std::uint32_t attempt,
                                         std::chrono::system_clock::time_point now, std::string_view body);

}  // namespace pact::notification
