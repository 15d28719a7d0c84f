#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "console_auth.h"
#include "live_situation.h"
#include "situation_settings.h"

namespace httplib {
class Server;
}

namespace pact::situation {

// The EOC console over HTTP: the web page (static files of the Vite build), the situation as JSON,
// a live push of it as server-sent events, the CAP alerts, and sign-in. Every /api request is
// authenticated like the gRPC API (bearer token or session cookie, EOC roles); nothing it serves
// holds personal data, because the read model holds none.
//   GET    /api/situation?exercise=true|false         the picture (JSON)
//   GET    /api/situation/stream?exercise=true|false  event: situation, data: <picture> per change
//   GET    /api/alerts?exercise=..&include_cleared=..  {"alerts": [...]}
//   GET    /api/alerts/<identifier>.xml                the CAP 1.2 document
//   POST   /api/session {"token": "..."}               sign in (sets the HttpOnly cookie)
//   DELETE /api/session                                sign out
class ConsoleHttp {
 public:
  struct Options {
    std::string listen;
    std::string static_dir;  // empty: no page, the API only
    std::size_t max_streams = 64;
    bool secure_cookie = true;
    // HTTPS with these (PEM files); empty: plain HTTP (loopback, or TLS at an ingress).
    std::string certificate_file;
    std::string private_key_file;
    std::chrono::milliseconds push_interval{1000};
    std::chrono::milliseconds idle_push_interval{5000};
  };

  ConsoleHttp(LiveSituation& live, const ConsoleAuthenticator& auth, Options options);
  ~ConsoleHttp();
  ConsoleHttp(const ConsoleHttp&) = delete;
  ConsoleHttp& operator=(const ConsoleHttp&) = delete;

  // Binds and serves on a thread of its own; throws std::runtime_error when the address cannot be bound.
  void start();
  // Ends the live streams and stops serving. Idempotent.
  void stop();
  int port() const { return port_; }
  std::size_t open_streams() const { return open_streams_.load(); }

 private:
  void routes();

  LiveSituation& live_;
  const ConsoleAuthenticator& auth_;
  Options options_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<std::size_t> open_streams_{0};
  std::atomic<bool> stopping_{false};
};

}  // namespace pact::situation
