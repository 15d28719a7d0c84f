#include "acknowledgement_link.h"

// Read with the options Debian's split libcpp-httplib was built with (see receiver.cc).
#ifndef CPPHTTPLIB_OPENSSL_SUPPORT
#error "compile with `pkg-config --cflags cpp-httplib` (Debian's libcpp-httplib is built with OpenSSL support)"
#endif
#include <httplib.h>

#include <ctime>

namespace pact::tools::webhook_receiver {

LinkPress press_confirm_receipt(const std::string& url, std::chrono::milliseconds timeout) {
  // httplib's client takes scheme://host:port and the path apart.
  const std::size_t scheme_end = url.find("://");
  const std::string scheme = scheme_end == std::string::npos ? "" : url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return {LinkPress::Result::refused, "not an http(s) link"};
  const std::size_t path_start = url.find('/', scheme_end + 3);
  const std::string origin = url.substr(0, path_start);
  const std::string path = path_start == std::string::npos ? "/" : url.substr(path_start);

  httplib::Client client(origin);
  if (!client.is_valid()) return {LinkPress::Result::refused, "unusable link"};
  const auto seconds = static_cast<std::time_t>(timeout.count() / 1000);
  const auto microseconds = static_cast<std::time_t>((timeout.count() % 1000) * 1000);
  client.set_connection_timeout(seconds, microseconds);
  client.set_read_timeout(seconds, microseconds);
  client.set_write_timeout(seconds, microseconds);
  // A browser's empty form: httplib sends "Content-Length: 0", without which the page's httplib
  // server answers 400.
  const httplib::Result response = client.Post(path, std::string(), "application/x-www-form-urlencoded");
  if (!response) return {LinkPress::Result::unreachable, httplib::to_string(response.error())};
  const int status = response->status;
  const std::string detail = "HTTP " + std::to_string(status);
  if (status >= 200 && status < 300) return {LinkPress::Result::acknowledged, detail};
  if (status == 429 || status >= 500) return {LinkPress::Result::unreachable, detail};
  return {LinkPress::Result::refused, detail};
}

}  // namespace pact::tools::webhook_receiver
