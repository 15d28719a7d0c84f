#include "channel_requests.h"

#include "email_message.h"
#include "sms_gateway.h"
#include "webhook_signature.h"

namespace pact::notification {

void ChannelRequests::apply_policy(TransferRequest& request) const {
  request.timeout = settings_.delivery.request_timeout;
  request.connect_timeout = settings_.delivery.connect_timeout;
  request.ca_file = settings_.tls.ca_file;
  request.verify_peer = settings_.tls.verify_peer;
}

std::variant<TransferRequest, CannotSend> ChannelRequests::webhook(const v1::StoredDelivery& stored,
                                                                   std::uint32_t attempt,
                                                                   std::chrono::system_clock::time_point now) const {
  const auto& delivery = stored.delivery();
  auto secret = secrets_.secret(stored.secret_id());
  if (!secret) {
    return CannotSend{v1::FAILURE_REASON_SECRET_MISSING,
                      "no signing secret '" + stored.secret_id() + "' in notification's secret configuration"};
  }
  TransferRequest request;
  request.protocol = TransferRequest::Protocol::http;
  request.url = delivery.address();
  request.method = "POST";
  request.body = stored.message().body();
  try {
    request.headers = webhook_headers(*secret, delivery.delivery_id(), attempt, now, request.body);
  } catch (const std::invalid_argument& e) {
    return CannotSend{v1::FAILURE_REASON_REJECTED, e.what()};
  }
  apply_policy(request);
  return request;
}

std::variant<TransferRequest, CannotSend> ChannelRequests::email(const v1::StoredDelivery& stored,
                                                                 std::chrono::system_clock::time_point now) const {
  const auto& settings = settings_.email;
  if (settings.smtp_url.empty()) return CannotSend{v1::FAILURE_REASON_NO_CHANNEL, "no SMTP relay is configured"};
  const auto& delivery = stored.delivery();
  TransferRequest request;
  request.protocol = TransferRequest::Protocol::smtp;
  request.url = settings.smtp_url;
  request.mail_from = envelope_address(settings.from);  // "Name <a@b>" in the header, a@b in MAIL FROM
  request.recipients = {envelope_address(delivery.address())};
  request.require_starttls = settings.starttls;
  request.username = settings.username;
  request.password = settings.password;
  try {
    request.body = format_email(EmailParts{.from = settings.from,
                                           .to = delivery.address(),
                                           .subject = stored.message().subject(),
                                           .text = stored.message().body(),
                                           .message_id_domain = settings.message_id_domain,
                                           .idempotency_key = delivery.idempotency_key(),
                                           .date = now});
  } catch (const std::invalid_argument& e) {
    return CannotSend{v1::FAILURE_REASON_REJECTED, e.what()};
  }
  apply_policy(request);
  return request;
}

std::variant<TransferRequest, CannotSend> ChannelRequests::sms(const v1::StoredDelivery& stored) const {
  if (settings_.sms.url_template.empty()) return CannotSend{v1::FAILURE_REASON_NO_CHANNEL, "no SMS gateway is configured"};
  const auto& delivery = stored.delivery();
  if (!is_e164(delivery.address())) {
    return CannotSend{v1::FAILURE_REASON_REJECTED, "the phone number is not in E.164 form"};
  }
  try {
    TransferRequest request = sms_request(settings_.sms, delivery.address(), stored.message().body(),
                                          settings_.sms_sender, delivery.idempotency_key());
    apply_policy(request);
    return request;
  } catch (const std::invalid_argument& e) {
    return CannotSend{v1::FAILURE_REASON_REJECTED, e.what()};
  }
}

std::variant<TransferRequest, CannotSend> ChannelRequests::request_for(const v1::StoredDelivery& stored,
                                                                       std::uint32_t attempt,
                                                                       std::chrono::system_clock::time_point now) const {
  switch (stored.delivery().channel()) {
    case v1::CHANNEL_WEBHOOK:
      return webhook(stored, attempt, now);
    case v1::CHANNEL_EMAIL:
      return email(stored, now);
    case v1::CHANNEL_SMS:
      return sms(stored);
    default:
      return CannotSend{v1::FAILURE_REASON_NO_CHANNEL, "the delivery has no channel"};
  }
}

}  // namespace pact::notification
