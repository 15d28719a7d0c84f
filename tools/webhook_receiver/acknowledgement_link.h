#pragma once

// Pressing "Confirm receipt" on the page an acknowledgement link opens, as a person at a provider
// does (the notification service's ack page: services/notification/src/ack_page.cc).

#include <chrono>
#include <string>

namespace pact::tools::webhook_receiver {

struct LinkPress {
  enum class Result {
    acknowledged,  // 2xx: recorded (also when it had been acknowledged before)
    refused,       // another 4xx (404 unknown token, 409 not acknowledged) or an unusable URL: final
    unreachable,   // no answer, 429 or 5xx (503: the page is busy): worth trying again
  };
  Result result = Result::unreachable;
  std::string detail;  // "HTTP 409", a transport error; never the URL, which holds the token
};

// POSTs the confirmation form (empty, form-encoded) to `url` — the page's form posts back to the
// link itself. http:// or https://; `timeout` bounds connecting, sending and reading.
LinkPress press_confirm_receipt(const std::string& url, std::chrono::milliseconds timeout);

}  // namespace pact::tools::webhook_receiver
