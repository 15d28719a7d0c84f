#include "alert_ledger.h"

#include <set>

#include <google/protobuf/util/time_util.h>

#include "log/logger.h"

namespace pact::situation {
namespace {

using google::protobuf::util::TimeUtil;
using Clock = std::chrono::system_clock;

std::int64_t millis(Clock::time_point at) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
}

Clock::time_point time_of(const google::protobuf::Timestamp& at) {
  return Clock::time_point(std::chrono::milliseconds(TimeUtil::TimestampToMilliseconds(at)));
}

// CAP identifiers may not hold spaces, commas, '<' or '&': a condition naming a provider is
// reduced to letters, digits and "-._".
std::string identifier_part(const std::string& text) {
  std::string part;
  for (char c : text) {
    const bool plain = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.' || c == '_';
    part += plain ? c : '-';
  }
  return part;
}

std::string record_key(bool exercise, const std::string& condition) {
  return std::string(exercise ? "x/" : "r/") + condition;
}

std::string_view severity_text(CapSeverity severity) { return to_string(severity); }

}  // namespace

AlertLedger::AlertLedger(AlertThresholds thresholds, std::string hub)
    : thresholds_(std::move(thresholds)), hub_(std::move(hub)) {}

void AlertLedger::issue(v1::AlertRecord& record, bool exercise, CapMsgType type, const CapInfo& info,
                        const std::string& condition, const std::vector<std::string>& jurisdictions,
                        Clock::time_point now) const {
  // CAP times are whole seconds; a reference must repeat the sent time exactly as published.
  const auto sent = std::chrono::floor<std::chrono::seconds>(now);
  const std::int64_t raised_ms =
      type == CapMsgType::Alert ? millis(sent) : TimeUtil::TimestampToMilliseconds(record.alert().raised());
  CapMessage message;
  message.sender = thresholds_.sender;
  message.sent = sent;
  message.status = exercise ? CapStatus::Exercise : CapStatus::Actual;
  message.msg_type = type;
  message.restriction = "EOC duty officers and coordinators of hub " + hub_ +
                        " and partner EOCs. Aggregate figures only; no personal data, no confidential locations.";
  if (exercise) message.note = "Exercise: figures from a drill, not from real cases.";
  if (type != CapMsgType::Alert) {
    message.references.push_back(
        CapReference{thresholds_.sender, record.alert().identifier(), time_of(record.alert().sent())});
  }
  // Unique for this sender for good: the incident's start second and the message's number, so a
  // rebuilt read model (whose counts start again) never reuses an identifier the topic holds.
  const std::uint32_t number = record.messages() + 1;
  message.identifier = identifier_part(hub_) + ".situation." + (exercise ? "x." : "r.") + identifier_part(condition) +
                       "." + std::to_string(raised_ms / 1000) + "." + std::to_string(number);
  message.info = info;
  message.info.sender_name = thresholds_.sender_name;
  std::string xml = render_cap_xml(message);  // throws before anything is stored

  v1::Alert alert = record.alert();
  alert.set_identifier(message.identifier);
  alert.set_condition(condition);
  alert.set_msg_type(std::string(to_string(type)));
  alert.set_active(type != CapMsgType::Cancel);
  alert.set_exercise(exercise);
  *alert.mutable_sent() = TimeUtil::MillisecondsToTimestamp(millis(sent));
  *alert.mutable_raised() = TimeUtil::MillisecondsToTimestamp(raised_ms);
  alert.set_event(info.event);
  alert.set_headline(info.headline);
  alert.set_severity(std::string(severity_text(info.severity)));
  std::string area_desc;
  for (const auto& area : info.areas) area_desc += (area_desc.empty() ? "" : "; ") + area.area_desc;
  alert.set_area_desc(area_desc);
  if (type != CapMsgType::Cancel) {  // a Cancel keeps the jurisdictions of what it clears
    alert.clear_jurisdictions();
    for (const auto& code : jurisdictions) alert.add_jurisdictions(code);
  }
  alert.set_cap_xml(std::move(xml));
  *record.mutable_alert() = std::move(alert);
  record.set_messages(number);
  record.set_unpublished(true);
  log::info("situation alert issued", {{"identifier", message.identifier}, {"msg_type", std::string(to_string(type))}});
}

int AlertLedger::reconcile(v1::SituationState& state, bool exercise, const std::vector<AlertCondition>& holding,
                           Clock::time_point now) const {
  int issued = 0;
  // One condition CAP refuses (odd text in a provider's name) must not stop the others.
  auto try_issue = [&](v1::AlertRecord& record, CapMsgType type, const CapInfo& info, const std::string& condition,
                       const std::vector<std::string>& jurisdictions) {
    try {
      issue(record, exercise, type, info, condition, jurisdictions, now);
      ++issued;
      return true;
    } catch (const std::invalid_argument& e) {
      log::error("situation alert not issued: CAP refuses it", {{"condition", condition}, {"error", e.what()}});
      return false;
    }
  };
  std::set<std::string> held;
  for (const auto& condition : holding) {
    const std::string key = record_key(exercise, condition.condition);
    held.insert(key);
    v1::AlertRecord& record = (*state.mutable_alerts())[key];
    record.set_last_held_ms(millis(now));
    // The previous message first reaches the topic: a consumer never gets an Update or a Cancel
    // of a message it did not see.
    if (record.unpublished()) continue;
    if (!record.alert().active()) {
      // A new incident, even where an earlier one of the same condition was cancelled: a fresh
      // Alert, not an Update of a closed one.
      if (try_issue(record, CapMsgType::Alert, condition.info, condition.condition, condition.jurisdictions)) {
        record.set_figures(condition.figures);
      }
    } else if (record.figures() != condition.figures) {
      if (try_issue(record, CapMsgType::Update, condition.info, condition.condition, condition.jurisdictions)) {
        record.set_figures(condition.figures);
      }
    }
  }
  const auto clear_after_ms = thresholds_.clear_after.count();
  for (auto& [key, record] : *state.mutable_alerts()) {
    if (record.alert().exercise() != exercise || !record.alert().active() || held.count(key) != 0) continue;
    if (record.unpublished() || millis(now) - record.last_held_ms() < clear_after_ms) continue;
    CapInfo info;
    info.event = record.alert().event();
    info.categories = {CapCategory::Rescue, CapCategory::Health};
    info.urgency = CapUrgency::Past;
    info.severity = CapSeverity::Minor;
    info.certainty = CapCertainty::Observed;
    info.response_types = {CapResponseType::AllClear};
    info.headline = "Cleared: " + record.alert().headline();
    info.description = "The condition no longer holds.";
    info.areas.push_back(CapArea{.area_desc = record.alert().area_desc().empty() ? "Area served by this hub"
                                                                                 : record.alert().area_desc(),
                                 .geocodes = {}});
    try_issue(record, CapMsgType::Cancel, info, record.alert().condition(), {});
  }
  return issued;
}

std::vector<std::string> AlertLedger::unpublished(const v1::SituationState& state) {
  std::vector<std::string> keys;
  for (const auto& [key, record] : state.alerts()) {
    if (record.unpublished()) keys.push_back(key);
  }
  return keys;
}

}  // namespace pact::situation
