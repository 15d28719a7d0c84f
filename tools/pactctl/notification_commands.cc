// notifications ack and deliveries list: whether providers were reached, and acknowledging.
#include <iostream>
#include <string>

#include <grpcpp/grpcpp.h>

#include "cli_options.h"
#include "commands.h"
#include "list_flags.h"
#include "output.h"
#include "pact/notification/v1/notification.grpc.pb.h"
#include "proto_text.h"
#include "table.h"

namespace pactctl {
namespace {

namespace notification = pact::notification::v1;

int acknowledge(const Arguments& args) {
  allow_session_flags_and(args, {});
  args.at_most_words(2);
  std::string token = args.word(1, "TOKEN (or - to read it from standard input)");
  // The token is a bearer secret: from standard input it stays out of shell history and ps.
  if (token == "-") token = read_standard_input("TOKEN -");
  const Session session = Session::open(args);

  auto stub = notification::NotificationService::NewStub(session.channel(ServiceName::notification));
  notification::AcknowledgeRequest request;
  request.set_token(token);
  notification::AcknowledgeResponse response;
  auto status = session.call([&](grpc::ClientContext* context) { return stub->Acknowledge(context, request, &response); });
  if (!status.ok()) return report_failure(session.describe(ServiceName::notification, "Acknowledge"), status);
  if (session.json()) {
    print_json(to_json(response));
    return 0;
  }
  std::cout << (response.already_acknowledged() ? "already acknowledged" : "acknowledged") << ": "
            << (response.reference_code().code().empty() ? response.delivery_id() : response.reference_code().code())
            << " at " << format_time(response.acknowledged_at()) << '\n';
  print_fields(std::cout, {{"referral", response.referral_id()}, {"delivery", response.delivery_id()}}, "  ");
  return 0;
}

int list_deliveries(const Arguments& args) {
  allow_session_flags_and(args, join_flags({kPageFlags, {"case", "status"}}));
  args.at_most_words(2);
  notification::ListDeliveriesRequest request;
  if (args.words.size() > 1) request.set_referral_id(args.words[1]);
  request.set_case_id(args.option("case", ""));
  if (request.referral_id().empty() == request.case_id().empty()) {
    throw UsageError("give a REFERRAL_ID or --case CASE_ID (one of them)");
  }
  if (auto statuses = args.find("status")) {
    for (auto status : parse_enum_list<notification::DeliveryStatus>(*statuses, "--status")) request.add_statuses(status);
  }
  const Session session = Session::open(args);

  auto stub = notification::NotificationService::NewStub(session.channel(ServiceName::notification));
  notification::ListDeliveriesResponse response;
  auto status = collect_pages(request, page_choice(args), response, [&](const auto& page_request, auto& page) {
    return session.call([&](grpc::ClientContext* context) { return stub->ListDeliveries(context, page_request, &page); });
  });
  if (!status.ok()) return report_failure(session.describe(ServiceName::notification, "ListDeliveries"), status);
  if (session.json()) {
    print_json(to_json(response));
    return 0;
  }
  Table table({"DELIVERY", "KIND", "RECIPIENT", "CHANNEL", "STATUS", "TRIES", "LAST FAILURE", "DELIVERED", "ACKNOWLEDGED"});
  for (const auto& delivery : response.deliveries()) {
    std::string failure = label(delivery.last_failure());
    if (!delivery.last_error().empty()) failure += (failure.empty() ? "" : ": ") + delivery.last_error();
    std::string state = label(delivery.status());
    if (delivery.status() == notification::DELIVERY_STATUS_RETRYING) state += " " + relative_to_now(delivery.next_attempt_at());
    table.add({delivery.delivery_id(), label(delivery.kind()) + (delivery.exercise() ? " [drill]" : ""),
               delivery.recipient_id(), label(delivery.channel()), state, std::to_string(delivery.attempts()), failure,
               format_time(delivery.delivered_at()),
               format_time(delivery.acknowledged_at()) +
                   (delivery.acknowledgement_method() == notification::ACKNOWLEDGEMENT_METHOD_UNSPECIFIED
                        ? ""
                        : " (" + label(delivery.acknowledgement_method()) + ")")});
  }
  if (table.empty()) {
    std::cout << "no deliveries found\n";
  } else {
    table.print(std::cout);
  }
  hint_more_pages(response.page(), static_cast<std::size_t>(response.deliveries_size()));
  return 0;
}

}  // namespace

int notifications(const Arguments& args) {
  const std::string& action = args.word(0, "what to do: ack TOKEN");
  if (action == "ack" || action == "acknowledge") return acknowledge(args);
  throw UsageError("unknown action '" + action + "' (ack)");
}

int deliveries(const Arguments& args) {
  const std::string& action = args.word(0, "what to do: list REFERRAL_ID");
  if (action == "list") return list_deliveries(args);
  throw UsageError("unknown action '" + action + "' (list)");
}

}  // namespace pactctl
