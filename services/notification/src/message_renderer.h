#pragma once

#include <string>

#include "message.h"
#include "message_templates.h"
#include "pact/notification/v1/notification.pb.h"
#include "pact/notification/v1/notification_state.pb.h"

namespace pact::notification {

// Renders one planned message for one recipient and channel, once, when the delivery is created
// (every attempt and resend sends the same bytes):
//   e-mail   subject + plain text;
//   SMS      the short text;
//   webhook  a JSON document (type, ids, exercise flag, all facts, acknowledgement token and URL,
//            and the human-readable subject and text), "application/json".
// The message is written in the language `for_message` picks for `language`; terms fall back to
// English word by word. An exercise delivery says "EXERCISE — not a real case" (the file's
// exercise_banner) before anything else, whatever the template says.
// Throws std::invalid_argument for CHANNEL_UNSPECIFIED.
notification::v1::RenderedMessage render(const MessageTemplates& templates, const PlannedMessage& message,
                                         const DeliveryFacts& delivery, notification::v1::Channel channel,
                                         const std::string& language);

// The language `render` writes a message of `kind` in for a recipient who reads `language`
// (Delivery.language).
std::string rendered_language(const MessageTemplates& templates, notification::v1::MessageKind kind,
                              const std::string& language);

}  // namespace pact::notification
