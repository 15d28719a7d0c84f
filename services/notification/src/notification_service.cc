#include "notification_service.h"

#include <algorithm>
#include <cctype>

#include "log/logger.h"
#include "rpc/status.h"

namespace pact::notification {
namespace {

constexpr std::size_t kDefaultPage = 100;
constexpr std::size_t kMaxPage = 1000;

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

std::string jurisdiction_of(const v1::StoredDelivery& stored) {
  auto found = stored.facts().find("jurisdiction");
  return found == stored.facts().end() ? "" : found->second;
}

// Redis unreachable is an outage the client retries, not an internal error.
template <class Body>
grpc::Status retryable(Body&& body) {
  try {
    return body();
  } catch (const redis::RedisUnavailable&) {
    return rpc::unavailable("notification's store is unavailable; try again", std::chrono::seconds(1));
  }
}

grpc::Status outside_scope() {
  return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                      "the deliveries concern a jurisdiction you do not work in, or need another role");
}

}  // namespace

bool may_see_deliveries(const rpc::Caller& caller, const std::string& jurisdiction) {
  if (caller.kind == rpc::CallerKind::service) return true;
  const bool role = caller.has_role("case_worker") || caller.has_role("coordinator") ||
                    caller.has_role("notification_admin") || caller.has_role("eoc_duty_officer");
  return role && caller.works_in(upper(jurisdiction));
}

grpc::ServerUnaryReactor* NotificationService::Acknowledge(grpc::CallbackServerContext* context,
                                                           const v1::AcknowledgeRequest* request,
                                                           v1::AcknowledgeResponse* response) {
  return gate_.blocking_unary(context, "Acknowledge", [this, request, response](const rpc::Caller& caller) {
    return retryable([&] {
      if (request->token().empty()) return rpc::invalid_argument("the token is missing", {{"token", "required"}});
      return acknowledgements_.acknowledge(request->token(), v1::ACKNOWLEDGEMENT_METHOD_GRPC_TOKEN, caller.subject,
                                           *response);
    });
  });
}

grpc::ServerUnaryReactor* NotificationService::ListDeliveries(grpc::CallbackServerContext* context,
                                                              const v1::ListDeliveriesRequest* request,
                                                              v1::ListDeliveriesResponse* response) {
  return gate_.blocking_unary(context, "ListDeliveries", [this, request, response](const rpc::Caller& caller) {
    return retryable([&] {
      if (request->referral_id().empty() == request->case_id().empty()) {
        return rpc::invalid_argument("give a referral_id or a case_id", {{"referral_id", "set this or case_id"}});
      }
      std::size_t offset = 0;
      if (!request->page().page_token().empty()) {
        try {
          offset = std::stoul(request->page().page_token());
        } catch (const std::exception&) {
          return rpc::invalid_argument("the page token is not one this service gave",
                                       {{"page.page_token", "not valid"}});
        }
      }
      const std::size_t size =
          std::min<std::size_t>(request->page().page_size() == 0 ? kDefaultPage : request->page().page_size(), kMaxPage);
      auto deliveries = request->referral_id().empty() ? store_.list_for_case(request->case_id(), offset, size + 1)
                                                       : store_.list_for_referral(request->referral_id(), offset, size + 1);
      if (!deliveries.empty() && !may_see_deliveries(caller, jurisdiction_of(deliveries.front()))) {
        return outside_scope();
      }
      const bool more = deliveries.size() > size;
      if (more) deliveries.resize(size);
      for (auto& stored : deliveries) {
        const bool wanted = request->statuses().empty() ||
                            std::find(request->statuses().begin(), request->statuses().end(),
                                      stored.delivery().status()) != request->statuses().end();
        if (wanted) *response->add_deliveries() = std::move(*stored.mutable_delivery());
      }
      if (more) response->mutable_page()->set_next_page_token(std::to_string(offset + size));
      return grpc::Status::OK;
    });
  });
}

grpc::Status NotificationService::resend(const rpc::Caller& caller, const v1::ResendRequest& request,
                                         v1::ResendResponse& response) {
  if (request.delivery_id().empty()) return rpc::invalid_argument("the delivery_id is missing", {{"delivery_id", "required"}});
  auto stored = store_.load(request.delivery_id());
  if (!stored) return grpc::Status(grpc::StatusCode::NOT_FOUND, "no delivery " + request.delivery_id());
  if (!may_see_deliveries(caller, jurisdiction_of(*stored))) return outside_scope();
  const auto now = Clock::now();
  if (request.channel() != v1::CHANNEL_UNSPECIFIED && request.channel() != stored->delivery().channel()) {
    auto recipient = directory_.recipient(stored->delivery().recipient_id());
    auto other = recipient ? planner_.on_channel(*stored, *recipient, request.channel(), now) : std::nullopt;
    if (!other) {
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                          "the recipient has no active " + v1::Channel_Name(request.channel()) + " channel");
    }
    store_.create({*other}, now);
    if (new_work_) new_work_();
    *response.mutable_delivery() = store_.load(other->stored.delivery().delivery_id()).value_or(other->stored).delivery();
    log::info("delivery resent on another channel", {{"delivery_id", request.delivery_id()},
                                                      {"new_delivery_id", other->stored.delivery().delivery_id()},
                                                      {"by", caller.subject}});
    return grpc::Status::OK;
  }
  switch (store_.resend(request.delivery_id(), stored->delivery().attempts(), now)) {
    case DeliveryStore::ResendOutcome::cancelled:
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "the delivery was cancelled: its referral ended");
    case DeliveryStore::ResendOutcome::acknowledged:
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                          "the recipient acknowledged it already; send it over another channel if they lost it");
    case DeliveryStore::ResendOutcome::unknown:
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "no delivery " + request.delivery_id());
    case DeliveryStore::ResendOutcome::queued:
    case DeliveryStore::ResendOutcome::already_queued:
      break;
  }
  if (new_work_) new_work_();
  log::info("delivery resent", {{"delivery_id", request.delivery_id()}, {"by", caller.subject}, {"reason", request.reason()}});
  *response.mutable_delivery() = store_.load(request.delivery_id()).value_or(*stored).delivery();
  return grpc::Status::OK;
}

grpc::ServerUnaryReactor* NotificationService::Resend(grpc::CallbackServerContext* context,
                                                      const v1::ResendRequest* request, v1::ResendResponse* response) {
  return gate_.blocking_unary(context, "Resend", [this, request, response](const rpc::Caller& caller) {
    return retryable([&] { return resend(caller, *request, *response); });
  });
}

}  // namespace pact::notification
