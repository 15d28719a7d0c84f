#pragma once

#include <memory>
#include <string>
#include <thread>

#include "acknowledgements.h"

namespace httplib {
class Server;
}

namespace pact::notification {

// The ack link a message carries: GET shows what is being acknowledged and a button, and changes
// nothing (mail scanners and link previews follow links); POST acknowledges. Plain HTML, no
// scripts, nothing from elsewhere, never cached, never framed; the token stays out of logs.
class AckPage {
 public:
  AckPage(const Acknowledgements& acknowledgements, std::string listen);
  ~AckPage();
  AckPage(const AckPage&) = delete;
  AckPage& operator=(const AckPage&) = delete;

  // The port it listens on (the configured one, or the one picked for port 0).
  int port() const { return port_; }
  void stop();

 private:
  const Acknowledgements& acknowledgements_;
  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
  std::thread thread_;
};

// The HTML pages, kept apart from the server so they can be tested as text.
std::string confirmation_page(const v1::StoredDelivery& stored, const std::string& token);
std::string acknowledged_page(const v1::AcknowledgeResponse& response);
std::string message_page(const std::string& title, const std::string& text);

}  // namespace pact::notification
