#include "events/cloud_event.h"

#include <charconv>
#include <chrono>
#include <ctime>

namespace pact::events {
namespace {

constexpr std::string_view kSpecVersion = "1.0";

const std::string* find_header(const Headers& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (key == name) return &value;
  }
  return nullptr;
}

bool looks_like_rfc3339(std::string_view time) {
  // 2026-11-28T12:00:00Z at least; fractional seconds and offsets allowed.
  if (time.size() < 20) return false;
  return time[4] == '-' && time[7] == '-' && (time[10] == 'T' || time[10] == 't') && time[13] == ':' &&
         time[16] == ':';
}

}  // namespace

Headers to_kafka_headers(const CloudEvent& event) {
  Headers headers = {
      {"ce_specversion", std::string(kSpecVersion)},
      {"ce_id", event.id},
      {"ce_source", event.source},
      {"ce_type", event.type},
      {"ce_time", event.time},
      {"content-type", event.content_type},
      {"traceparent", event.traceparent.to_header()},
  };
  if (!event.subject.empty()) headers.emplace_back("ce_subject", event.subject);
  if (event.sequence) headers.emplace_back("ce_sequence", std::to_string(*event.sequence));
  return headers;
}

std::variant<CloudEvent, HeaderProblem> from_kafka_headers(const Headers& headers) {
  auto required = [&](std::string_view name) -> const std::string* {
    const std::string* value = find_header(headers, name);
    return (value != nullptr && !value->empty()) ? value : nullptr;
  };
  const std::string* spec = required("ce_specversion");
  if (spec == nullptr) return HeaderProblem{"missing header ce_specversion"};
  if (*spec != kSpecVersion) return HeaderProblem{"unsupported ce_specversion '" + *spec + "'"};
  CloudEvent event;
  for (auto [name, target] : {std::pair{"ce_id", &event.id}, std::pair{"ce_source", &event.source},
                              std::pair{"ce_type", &event.type}}) {
    const std::string* value = required(name);
    if (value == nullptr) return HeaderProblem{std::string("missing header ") + name};
    *target = *value;
  }
  if (const std::string* time = find_header(headers, "ce_time")) {
    if (!looks_like_rfc3339(*time)) return HeaderProblem{"ce_time is not RFC 3339: '" + *time + "'"};
    event.time = *time;
  }
  if (const std::string* subject = find_header(headers, "ce_subject")) event.subject = *subject;
  if (const std::string* type = find_header(headers, "content-type")) event.content_type = *type;
  if (const std::string* sequence = find_header(headers, "ce_sequence")) {
    std::uint64_t value = 0;
    auto [end, error] = std::from_chars(sequence->data(), sequence->data() + sequence->size(), value);
    if (error != std::errc() || end != sequence->data() + sequence->size() || value == 0) {
      return HeaderProblem{"ce_sequence is not a positive number: '" + *sequence + "'"};
    }
    event.sequence = value;
  }
  const std::string* traceparent = find_header(headers, "traceparent");
  auto parsed = traceparent != nullptr ? TraceParent::parse(*traceparent) : std::nullopt;
  // A missing or broken traceparent starts a new trace rather than rejecting the event.
  event.traceparent = parsed ? *parsed : TraceParent::new_root();
  return event;
}

std::string rfc3339_now() {
  auto now = std::chrono::system_clock::now();
  auto seconds = std::chrono::system_clock::to_time_t(now);
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[128];  // roomy enough that no field width can truncate
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(millis));
  return buffer;
}

}  // namespace pact::events
