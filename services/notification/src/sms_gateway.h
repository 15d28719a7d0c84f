#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "transfer_engine.h"

namespace pact::notification {

// How to ask one HTTP SMS gateway to send a text. Templates may use {{to}}, {{text}}, {{sender}}
// and {{idempotency_key}}. Each value is encoded for where it lands: percent-encoded in the URL,
// JSON-string-escaped (without the quotes, which the template supplies) in a body whose
// Content-Type header is JSON, percent-encoded in any other (form) body, verbatim in headers.
struct SmsGatewayConfig {
  std::string url_template;  // http(s)://…
  std::string method = "POST";  // GET or POST
  std::vector<std::string> header_templates;  // "Name: value", e.g. "Authorization: Bearer …"
  std::string body_template;
};

// `+` followed by 8 to 15 digits.
bool is_e164(std::string_view number);

// What is wrong with a configuration, in words for an operator; empty when it can be used.
std::vector<std::string> sms_config_problems(const SmsGatewayConfig& config);

// The gateway call for one text. Throws std::invalid_argument when `to` is not E.164, the
// configuration has problems, or a value would put a line break into a header.
TransferRequest sms_request(const SmsGatewayConfig& config, std::string_view to, std::string_view text,
                            std::string_view sender, std::string_view idempotency_key);

}  // namespace pact::notification
