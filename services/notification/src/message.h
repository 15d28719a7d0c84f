#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pact/notification/v1/notification.pb.h"
#include "pact/notification/v1/notification_state.pb.h"
#include "pact/routing/v1/directory.pb.h"

namespace pact::notification {

// What a message may say, as named display values (the template placeholders): a reference code,
// what the service is asked to do and by when — never the person's name, documents, contact
// details or a confidential location. Built from a referral event's clear fields only.
//
// Values are language-neutral: enum values are kept as their proto names without prefix in
// lower case ("safe_accommodation", "urgent"), times as RFC 3339 UTC; the renderer turns terms
// into the recipient's language.
using MessageFacts = std::map<std::string, std::string>;

// One thing routing asked notification to tell the event's recipients.
struct PlannedMessage {
  notification::v1::MessageKind kind = notification::v1::MESSAGE_KIND_UNSPECIFIED;
  bool acknowledgement_required = false;
  // Which of a recipient's channels are used: referrals or escalations (CONTACT_PURPOSE_ALL
  // channels serve both).
  routing::v1::ContactPurpose purpose = routing::v1::CONTACT_PURPOSE_REFERRALS;
  std::string referral_id;  // the referral attempt it concerns; empty for notices without one
  std::string reference_code;
  MessageFacts facts;
};

// What only the delivery knows, added to the facts when a message is rendered for one recipient.
struct DeliveryFacts {
  std::string delivery_id;
  std::string recipient_name;
  std::string ack_token;  // empty when no acknowledgement is required
  std::string ack_link;   // empty when no acknowledgement is required
  bool exercise = false;
};

}  // namespace pact::notification
