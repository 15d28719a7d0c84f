// pact-webhook-receiver: a local webhook endpoint that verifies the notification service's signed
// deliveries, records them and answers as scripted (see receiver.h for the contract and the
// /_receiver/ control API). With --routing it also stands in for the providers (NGOs) of the local
// run: it acknowledges and accepts or rejects some referral requests and leaves the rest
// unanswered (see referral_answerer.h; the hub must run in development mode).
//
//   pact-webhook-receiver (--secret-file PATH | --secret VALUE)... [--listen 127.0.0.1:0]
//                         [--threads 8] [--tolerance-seconds 300] [--keep-alive-seconds 5]
//                         [--routing HOST:PORT [--answers accept=50,reject=25] [--answer-after 300ms]
//                          [--subject ngo-desk]]
//
//   e.g. pact-webhook-receiver --secret-file .run/local-secrets/webhooks/sample-webhook
//          --routing "$ROUTING_GRPC_ADDRESS" --answers accept=60,reject=20 --answer-after 2s
//   then GET /_receiver/stats: "answers" counts what was accepted, rejected and left unanswered.
//
// Prints exactly one line, "listening on HOST:PORT", once the socket is bound; stops on SIGTERM or
// SIGINT.
#include <pthread.h>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "answer_mix.h"
#include "receiver.h"
#include "referral_answerer.h"

namespace {

namespace receiver = pact::tools::webhook_receiver;

constexpr const char* kUsage =
    "usage: pact-webhook-receiver (--secret-file PATH | --secret VALUE)... [--listen HOST:PORT]\n"
    "                             [--threads N] [--tolerance-seconds N] [--keep-alive-seconds N]\n"
    "                             [--routing HOST:PORT [--answers accept=N,reject=N] [--answer-after D]\n"
    "                              [--subject NAME]]\n"
    "  --listen             address to bind, port 0 picks a free one (default 127.0.0.1:0)\n"
    "  --secret-file        file holding the signing secret (trailing newline stripped); repeatable\n"
    "  --secret             the signing secret itself; repeatable (any listed secret verifies)\n"
    "  --threads            HTTP worker threads, one per open connection (default 8)\n"
    "  --tolerance-seconds  accepted distance of X-Pact-Timestamp from now (default 300)\n"
    "  --keep-alive-seconds idle keep-alive connection lifetime (default 5)\n"
    "  --routing            routing's gRPC address: answer referral requests as their provider would\n"
    "                       (acknowledge, then accept or reject); off without it\n"
    "  --answers            percent of referral requests accepted and rejected, by a hash of the\n"
    "                       referral id; the rest go unanswered (default accept=50,reject=25)\n"
    "  --answer-after       delay from a request to its answer, e.g. 300ms, 2s (default 300ms)\n"
    "  --subject            who answers, within the referral's organisation (default ngo-desk)\n";

[[noreturn]] void fail(const std::string& message) {
  std::cerr << "pact-webhook-receiver: " << message << "\n" << kUsage;
  std::exit(2);
}

std::optional<std::string> read_secret_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  std::string secret = text.str();
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  return secret;
}

int parse_number(const std::string& flag, const std::string& value, int minimum) {
  try {
    std::size_t used = 0;
    const int number = std::stoi(value, &used);
    if (used == value.size() && number >= minimum) return number;
  } catch (const std::exception&) {
  }
  fail(flag + " needs an integer >= " + std::to_string(minimum) + ", got \"" + value + "\"");
}

// "300ms", "2s", "0": how long a person takes to answer (at most 10 minutes).
std::chrono::milliseconds parse_delay(const std::string& flag, const std::string& value) {
  const bool in_ms = value.size() > 2 && value.compare(value.size() - 2, 2, "ms") == 0;
  const bool in_s = !in_ms && value.size() > 1 && value.back() == 's';
  const std::string digits = in_ms ? value.substr(0, value.size() - 2) : in_s ? value.substr(0, value.size() - 1) : value;
  if (!in_ms && !in_s && value != "0") fail(flag + " needs a duration such as 300ms or 2s, got \"" + value + "\"");
  const auto amount = std::chrono::milliseconds(parse_number(flag, digits, 0)) * (in_s ? 1000 : 1);
  if (amount > std::chrono::minutes(10)) fail(flag + " is at most 10 minutes");
  return amount;
}

// "127.0.0.1:0", "localhost:8080", "[::1]:0"
void parse_listen(const std::string& value, receiver::ServerOptions& options) {
  const std::size_t colon = value.rfind(':');
  if (colon == std::string::npos || colon == 0) fail("--listen needs HOST:PORT, got \"" + value + "\"");
  std::string host = value.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  options.host = host;
  options.port = parse_number("--listen port", value.substr(colon + 1), 0);
  if (options.port > 65535) fail("--listen port out of range");
}

}  // namespace

int main(int argc, char** argv) {
  receiver::ServerOptions options;
  std::string listen_text = "127.0.0.1:0";
  std::string routing_address;  // empty: referrals are not answered
  receiver::AnswererOptions answering;
  bool answering_flag_given = false;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::cout << kUsage;
      return 0;
    }
    std::string value;
    if (const std::size_t equals = flag.find('='); flag.rfind("--", 0) == 0 && equals != std::string::npos) {
      value = flag.substr(equals + 1);
      flag = flag.substr(0, equals);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      fail("missing value for " + flag);
    }
    if (flag == "--listen") {
      listen_text = value;
    } else if (flag == "--secret-file") {
      auto secret = read_secret_file(value);
      if (!secret) fail("cannot read --secret-file " + value);
      if (secret->empty()) fail("--secret-file " + value + " is empty");
      options.secrets.push_back(std::move(*secret));
    } else if (flag == "--secret") {
      if (value.empty()) fail("--secret is empty");
      options.secrets.push_back(value);
    } else if (flag == "--threads") {
      options.threads = parse_number(flag, value, 1);
    } else if (flag == "--tolerance-seconds") {
      options.tolerance = std::chrono::seconds(parse_number(flag, value, 0));
    } else if (flag == "--keep-alive-seconds") {
      options.keep_alive_timeout_seconds = parse_number(flag, value, 1);
    } else if (flag == "--routing") {
      if (value.empty()) fail("--routing is empty");
      routing_address = value;
    } else if (flag == "--answers") {
      std::string error;
      auto mix = receiver::parse_answer_mix(value, error);
      if (!mix) fail("--answers: " + error);
      answering.mix = *mix;
      answering_flag_given = true;
    } else if (flag == "--answer-after") {
      answering.answer_after = parse_delay(flag, value);
      answering_flag_given = true;
    } else if (flag == "--subject") {
      if (value.empty()) fail("--subject is empty");
      answering.subject = value;
      answering_flag_given = true;
    } else {
      fail("unknown flag " + flag);
    }
  }
  parse_listen(listen_text, options);
  if (options.secrets.empty()) fail("a signing secret is required (--secret-file or --secret)");
  if (answering_flag_given && routing_address.empty()) fail("--answers, --answer-after and --subject need --routing");

  // Signals go to one waiting thread (blocked everywhere else, inherited by httplib's workers).
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  const std::string host = options.host;
  // Declared before the server, so it is destroyed after it: the server's state points to it.
  std::unique_ptr<receiver::ReferralAnswerer> answerer;
  receiver::ReceiverServer server(std::move(options));
  const int port = server.bind();
  if (port < 0) {
    std::cerr << "pact-webhook-receiver: cannot listen on " << listen_text << "\n";
    return 1;
  }

  // After the signal mask: the worker thread and gRPC's threads inherit it.
  if (!routing_address.empty()) {
    answerer = std::make_unique<receiver::ReferralAnswerer>(
        std::move(answering),
        std::make_shared<const pact::security::ToolIdentity>(pact::security::ToolIdentity::environment_settings()),
        routing_address);
    server.state().set_listener(answerer.get());
  }

  std::thread signal_thread([&server, signals] {
    int signal_number = 0;
    sigwait(&signals, &signal_number);
    server.stop();
  });

  const bool bracket = host.find(':') != std::string::npos;  // IPv6
  std::cout << "listening on " << (bracket ? "[" + host + "]" : host) << ":" << port << std::endl;
  const bool ok = server.run();

  // Served until stopped by a signal, or listening failed: wake the signal thread either way.
  pthread_kill(signal_thread.native_handle(), SIGTERM);
  signal_thread.join();
  if (answerer) answerer->stop();  // answers not yet given are dropped
  return ok ? 0 : 1;
}
