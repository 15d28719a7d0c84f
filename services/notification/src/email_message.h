#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace pact::notification {

struct EmailParts {
  std::string from;     // "address" or "Display Name <address>"; the name may be non-ASCII
  std::string to;       // same forms
  std::string subject;  // UTF-8
  std::string text;     // UTF-8 plain text, any line endings
  std::string message_id_domain;
  std::string idempotency_key;  // the same on every attempt of one delivery
  std::chrono::system_clock::time_point date;
};

// The complete RFC 5322 message handed to the relay: Date, From, To, Subject, Message-ID,
// MIME-Version, Content-Type, Content-Transfer-Encoding, then the base64 body; CRLF throughout.
// Message-ID is <idempotency_key@domain>, so a retry after an unclear SMTP failure is recognised
// as the same message by mail systems that de-duplicate.
// Throws std::invalid_argument for a line break or other control character in from, to or
// subject (header injection), a non-ASCII address, or a key or domain that cannot form a Message-ID.
std::string format_email(const EmailParts& parts);

// The bare address of "address" or "Display Name <address>", for the SMTP envelope (MAIL FROM and
// RCPT TO take only the address; curl would send a display name along and the relay refuse it).
// Throws std::invalid_argument as format_email does for from and to.
std::string envelope_address(std::string_view mailbox);

}  // namespace pact::notification
