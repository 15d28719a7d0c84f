#include "directory_validation.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string_view>

#include "config/yaml_reader.h"
#include "vocabulary.h"

namespace pact::routing {
namespace {

using config::is_identifier;
using config::is_language_tag;
using config::NameTable;

// Oldest age an eligibility range may name; anything above is a typing error, not a policy.
constexpr std::uint32_t kOldestAge = 130;

class Problems {
 public:
  void add(std::string field, std::string message) { problems_.push_back({std::move(field), std::move(message)}); }
  std::vector<FieldProblem> take() { return std::move(problems_); }

 private:
  std::vector<FieldProblem> problems_;
};

std::string at(std::string_view field, int index) { return std::string(field) + "[" + std::to_string(index) + "]"; }

bool blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
}

void required_text(Problems& out, const std::string& field, std::string_view text) {
  if (blank(text)) out.add(field, "required");
}

void check_id(Problems& out, const std::string& field, std::string_view id) {
  if (id.empty()) {
    out.add(field, "required");
  } else if (!is_identifier(id)) {
    out.add(field, "'" + std::string(id) +
                       "' is not an id: 2 to 64 lower case letters, digits and '-', not starting with '-'");
  }
}

// Protobuf enums are open, and some values (JURISDICTION_OTHER) are valid elsewhere but not in the
// directory: only the values the data files can name are accepted.
template <typename T>
void check_enum(Problems& out, const std::string& field, NameTable<T> table, T value, std::string_view what) {
  if (config::name_of(table, value)) return;
  const int number = static_cast<int>(value);
  if (number == 0) {
    out.add(field, "required (one of: " + config::names_of(table) + ")");
    return;
  }
  const auto* known = google::protobuf::GetEnumDescriptor<T>()->FindValueByNumber(number);
  out.add(field, std::string(what) + " " + (known ? known->name() : std::to_string(number)) +
                     " is not one of: " + config::names_of(table));
}

template <typename T, typename Values>
void check_enums(Problems& out, std::string_view field, NameTable<T> table, const Values& values,
                 std::string_view what) {
  for (int i = 0; i < values.size(); ++i) check_enum(out, at(field, i), table, static_cast<T>(values[i]), what);
}

void check_languages(Problems& out, std::string_view field,
                     const google::protobuf::RepeatedPtrField<std::string>& languages) {
  for (int i = 0; i < languages.size(); ++i) {
    if (!is_language_tag(languages[i])) {
      out.add(at(field, i), "'" + languages[i] + "' is not a BCP 47 language tag such as sr or sr-Latn");
    }
  }
}

bool is_web_address(std::string_view address) {
  for (std::string_view scheme : {"https://", "http://"}) {
    if (address.starts_with(scheme) && address.size() > scheme.size()) return true;
  }
  return false;
}

bool is_email_address(std::string_view address) {
  const auto at_sign = address.find('@');
  if (at_sign == std::string_view::npos || at_sign == 0 || at_sign + 1 == address.size()) return false;
  if (address.find('@', at_sign + 1) != std::string_view::npos) return false;
  return std::none_of(address.begin(), address.end(),
                      [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
}

// E.164: '+', then the country code and number, 8 to 15 digits in all.
bool is_e164(std::string_view number) {
  if (number.size() < 9 || number.size() > 16 || number.front() != '+') return false;
  return std::all_of(number.begin() + 1, number.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "HH:MM", 00:00 to 23:59.
bool is_clock_time(std::string_view time) {
  if (time.size() != 5 || time[2] != ':') return false;
  for (std::size_t i : {0u, 1u, 3u, 4u}) {
    if (time[i] < '0' || time[i] > '9') return false;
  }
  return (time[0] - '0') * 10 + (time[1] - '0') <= 23 && time[3] <= '5';
}

// The shape of an IANA zone name ("Europe/Belgrade", "America/Argentina/Buenos_Aires"); whether
// the zone exists is left to the time zone database of whoever computes opening times.
bool is_time_zone(std::string_view zone) {
  if (zone.find('/') == std::string_view::npos || zone.front() == '/' || zone.back() == '/') return false;
  if (zone.find("//") != std::string_view::npos) return false;
  return std::all_of(zone.begin(), zone.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' || c == '+';
  });
}

void check_jurisdictions(Problems& out, const std::string& field,
                         const google::protobuf::RepeatedField<int>& jurisdictions, std::string_view required) {
  if (jurisdictions.empty() && !required.empty()) out.add(field, std::string(required));
  check_enums(out, field, vocabulary::kJurisdictions, jurisdictions, "jurisdiction");
}

void check_contacts(Problems& out, const google::protobuf::RepeatedPtrField<v1::Contact>& contacts) {
  for (int i = 0; i < contacts.size(); ++i) {
    const v1::Contact& contact = contacts[i];
    const std::string field = at("contacts", i);
    required_text(out, field + ".name", contact.name());
    if (!contact.email().empty() && !is_email_address(contact.email())) {
      out.add(field + ".email", "'" + contact.email() + "' is not an e-mail address");
    }
    check_languages(out, field + ".languages", contact.languages());
  }
}

void check_eligibility(Problems& out, const v1::Eligibility& eligibility) {
  if (eligibility.has_minimum_age() && eligibility.minimum_age() > kOldestAge) {
    out.add("eligibility.minimum_age", "must be at most " + std::to_string(kOldestAge));
  }
  if (eligibility.has_maximum_age() && eligibility.maximum_age() > kOldestAge) {
    out.add("eligibility.maximum_age", "must be at most " + std::to_string(kOldestAge));
  }
  if (eligibility.has_minimum_age() && eligibility.has_maximum_age() &&
      eligibility.minimum_age() > eligibility.maximum_age()) {
    out.add("eligibility.minimum_age", std::to_string(eligibility.minimum_age()) + " is above maximum_age " +
                                           std::to_string(eligibility.maximum_age()));
  }
  check_enums(out, "eligibility.genders", vocabulary::kGenders, eligibility.genders(), "gender");
}

void check_area(Problems& out, const v1::ServiceArea& area) {
  check_jurisdictions(out, "area.jurisdictions", area.jurisdictions(),
                      "at least one jurisdiction (" + config::names_of(vocabulary::kJurisdictions) + ")");
  for (int i = 0; i < area.municipalities_size(); ++i) {
    required_text(out, at("area.municipalities", i), area.municipalities(i));
  }
  for (int i = 0; i < area.site_ids_size(); ++i) check_id(out, at("area.sites", i), area.site_ids(i));
}

void check_schedule(Problems& out, const v1::Schedule& schedule) {
  if (!schedule.time_zone().empty() && !is_time_zone(schedule.time_zone())) {
    out.add("schedule.time_zone",
            "'" + schedule.time_zone() + "' is not an IANA time zone name such as Europe/Belgrade");
  }
  if (schedule.open_24_7()) return;  // hours are ignored then
  if (schedule.hours().empty()) out.add("schedule.hours", "give opening hours or set open_24_7");
  if (schedule.time_zone().empty()) {
    out.add("schedule.time_zone", "required with opening hours (an IANA name such as Europe/Belgrade)");
  }
  for (int i = 0; i < schedule.hours_size(); ++i) {
    const v1::OpeningHours& hours = schedule.hours(i);
    const std::string field = at("schedule.hours", i);
    if (hours.weekday() < 1 || hours.weekday() > 7) out.add(field + ".weekday", "must be 1 (Monday) to 7 (Sunday)");
    const bool opens_ok = is_clock_time(hours.opens_at());
    const bool closes_ok = is_clock_time(hours.closes_at());
    if (!opens_ok) out.add(field + ".opens", "'" + hours.opens_at() + "' is not a time from 00:00 to 23:59");
    if (!closes_ok) out.add(field + ".closes", "'" + hours.closes_at() + "' is not a time from 00:00 to 23:59");
    // A closing time before the opening time means past midnight, so equal times would be ambiguous.
    if (opens_ok && closes_ok && hours.opens_at() == hours.closes_at()) {
      out.add(field + ".closes", "equals the opening time; a service open round the clock sets open_24_7");
    }
  }
}

void check_capacity(Problems& out, const v1::Capacity& capacity) {
  if (!capacity.tracked()) return;
  if (capacity.maximum() < 1) out.add("capacity.maximum", "must be at least 1 when capacity is tracked");
  if (capacity.available() > capacity.maximum()) {
    out.add("capacity.available", std::to_string(capacity.available()) + " is more than the maximum " +
                                      std::to_string(capacity.maximum()));
  }
  required_text(out, "capacity.unit", capacity.unit());
}

void check_location(Problems& out, const v1::ServiceLocation& location) {
  if (location.jurisdiction() != common::JURISDICTION_UNSPECIFIED) {
    check_enum(out, "location.jurisdiction", vocabulary::kJurisdictions, location.jurisdiction(), "jurisdiction");
  }
  if (location.has_latitude() != location.has_longitude()) {
    out.add(location.has_latitude() ? "location.longitude" : "location.latitude", "give both latitude and longitude");
  }
  if (location.has_latitude() && !(location.latitude() >= -90.0 && location.latitude() <= 90.0)) {
    out.add("location.latitude", "must be from -90 to 90");
  }
  if (location.has_longitude() && !(location.longitude() >= -180.0 && location.longitude() <= 180.0)) {
    out.add("location.longitude", "must be from -180 to 180");
  }
}

void check_channel_address(Problems& out, const std::string& field, const v1::ContactChannel& channel) {
  const std::string& address = channel.address();
  if (blank(address)) {
    out.add(field, "required");
    return;
  }
  switch (channel.channel()) {
    case notification::v1::CHANNEL_WEBHOOK:
      if (!is_web_address(address)) out.add(field, "'" + address + "' is not an https:// or http:// URL");
      break;
    case notification::v1::CHANNEL_EMAIL:
      if (!is_email_address(address)) out.add(field, "'" + address + "' is not an e-mail address");
      break;
    case notification::v1::CHANNEL_SMS:
      if (!is_e164(address)) out.add(field, "'" + address + "' is not an E.164 number ('+' and 8 to 15 digits)");
      break;
    default:
      break;  // the channel itself is reported
  }
}

bool serves(const v1::ContactChannel& channel, v1::ContactPurpose purpose) {
  return channel.active() && (channel.purpose() == purpose || channel.purpose() == v1::CONTACT_PURPOSE_ALL ||
                              channel.purpose() == v1::CONTACT_PURPOSE_UNSPECIFIED);
}

bool is_coordination(v1::ServiceType type) {
  return type == v1::SERVICE_TYPE_EOC_DUTY_DESK || type == v1::SERVICE_TYPE_NATIONAL_COORDINATOR;
}

void check_channels(Problems& out, const v1::Service& service) {
  for (int i = 0; i < service.channels_size(); ++i) {
    const v1::ContactChannel& channel = service.channels(i);
    const std::string field = at("channels", i);
    check_enum(out, field + ".channel", vocabulary::kChannels, channel.channel(), "channel");
    check_channel_address(out, field + ".address", channel);
    const bool webhook = channel.channel() == notification::v1::CHANNEL_WEBHOOK;
    if (webhook && blank(channel.secret_id())) {
      out.add(field + ".secret_id",
              "required for a webhook: the id of its signing secret in notification's configuration");
    }
    if (!webhook && !channel.secret_id().empty()) out.add(field + ".secret_id", "only webhooks have a signing secret");
    if (channel.language().empty()) {
      out.add(field + ".language", "required (the template language, e.g. en)");
    } else if (!is_language_tag(channel.language())) {
      out.add(field + ".language", "'" + channel.language() + "' is not a BCP 47 language tag");
    }
    if (channel.purpose() != v1::CONTACT_PURPOSE_UNSPECIFIED) {
      check_enum(out, field + ".purpose", vocabulary::kContactPurposes, channel.purpose(), "purpose");
    }
  }
  if (service.status() != v1::SERVICE_STATUS_ACTIVE) return;
  const auto& channels = service.channels();
  auto any_serves = [&](v1::ContactPurpose purpose) {
    return std::any_of(channels.begin(), channels.end(), [&](const auto& channel) { return serves(channel, purpose); });
  };
  // Without one, referrals to an active service could never be delivered.
  if (!any_serves(v1::CONTACT_PURPOSE_REFERRALS)) {
    out.add("channels", "an active service needs an active channel for referrals (purpose referrals or all)");
  }
  if (is_coordination(service.type()) && !any_serves(v1::CONTACT_PURPOSE_ESCALATIONS)) {
    out.add("channels",
            "an active coordination contact needs an active channel for escalations (purpose escalations or all)");
  }
}

void check_coordination(Problems& out, const v1::Service& service) {
  const bool coordination = is_coordination(service.type());
  if (coordination && service.coordinates_jurisdictions().empty()) {
    out.add("coordinates_jurisdictions",
            "an EOC duty desk or national coordinator names the jurisdictions it coordinates");
  }
  if (!coordination && !service.coordinates_jurisdictions().empty()) {
    out.add("coordinates_jurisdictions", "only EOC duty desks and national coordinators coordinate jurisdictions");
  }
  check_jurisdictions(out, "coordinates_jurisdictions", service.coordinates_jurisdictions(), "");
}

}  // namespace

std::vector<FieldProblem> organization_problems(const v1::Organization& organization) {
  Problems out;
  check_id(out, "id", organization.organization_id());
  required_text(out, "name", organization.name());
  check_enum(out, "kind", vocabulary::kOrganizationKinds, organization.kind(), "organisation kind");
  check_jurisdictions(out, "jurisdictions", organization.jurisdictions(),
                      "at least one jurisdiction (" + config::names_of(vocabulary::kJurisdictions) + ")");
  if (!organization.website().empty() && !is_web_address(organization.website())) {
    out.add("website", "'" + organization.website() + "' is not an https:// or http:// URL");
  }
  check_contacts(out, organization.contacts());
  return out.take();
}

std::vector<FieldProblem> service_problems(const v1::Service& service) {
  Problems out;
  check_id(out, "id", service.service_id());
  check_id(out, "organization", service.organization_id());
  required_text(out, "name", service.name());
  check_enum(out, "type", vocabulary::kServiceTypes, service.type(), "service type");
  check_enum(out, "status", vocabulary::kServiceStatuses, service.status(), "status");
  check_eligibility(out, service.eligibility());
  check_languages(out, "languages", service.languages());
  check_area(out, service.area());
  check_schedule(out, service.schedule());
  check_capacity(out, service.capacity());
  check_location(out, service.location());
  check_channels(out, service);
  check_contacts(out, service.contacts());
  check_coordination(out, service);
  return out.take();
}

}  // namespace pact::routing
