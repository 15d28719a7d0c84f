#include "proto_text.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/time_util.h>

namespace pactctl {
namespace {

using google::protobuf::EnumDescriptor;
using google::protobuf::util::TimeUtil;

// The contracts name every zero value PREFIX_UNSPECIFIED; PREFIX_ is what people leave out.
std::string prefix_of(const EnumDescriptor& type) {
  const std::string& zero = type.value_count() > 0 ? type.value(0)->name() : std::string();
  const std::string suffix = "UNSPECIFIED";
  if (zero.size() > suffix.size() && zero.compare(zero.size() - suffix.size(), suffix.size(), suffix) == 0) {
    return zero.substr(0, zero.size() - suffix.size());
  }
  return "";
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// What people type, in the form of a value's short name: lower case, '-' and ' ' as '_', "48+" as
// "48_plus", and British "organisation" as the contracts' "organization".
std::string normalised(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '-' || c == ' ') {
      out += '_';
    } else if (c == '+') {
      out += "_plus";
    } else {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  for (std::size_t at = out.find("organis"); at != std::string::npos; at = out.find("organis", at)) out[at + 6] = 'z';
  return out;
}

bool allowed(const std::vector<int>& only, int value) {
  return only.empty() || std::find(only.begin(), only.end(), value) != only.end();
}

std::string compact_duration(std::chrono::seconds span) {
  const long long minutes = span.count() / 60;
  if (minutes < 1) return std::to_string(span.count()) + "s";
  if (minutes < 60) return std::to_string(minutes) + "m";
  const long long hours = minutes / 60;
  if (hours < 48) return std::to_string(hours) + "h" + (minutes % 60 ? std::to_string(minutes % 60) + "m" : "");
  return std::to_string(hours / 24) + "d";
}

bool is_set(const google::protobuf::Timestamp& time) { return time.seconds() != 0 || time.nanos() != 0; }

}  // namespace

std::string enum_label(const EnumDescriptor& type, int value) {
  if (value == 0) return "";
  const auto* described = type.FindValueByNumber(value);
  if (described == nullptr) return std::to_string(value);  // a newer service's value
  const std::string prefix = prefix_of(type);
  const std::string& name = described->name();
  return lower(name.rfind(prefix, 0) == 0 ? name.substr(prefix.size()) : name);
}

std::string enum_choices(const EnumDescriptor& type, const std::vector<int>& only) {
  std::string out;
  for (int i = 0; i < type.value_count(); ++i) {
    const int value = type.value(i)->number();
    if (value == 0 || !allowed(only, value)) continue;
    out += (out.empty() ? "" : ", ") + enum_label(type, value);
  }
  return out;
}

std::optional<int> find_enum_value(const EnumDescriptor& type, std::string_view text) {
  const std::string wanted = normalised(text);
  const std::string full_prefix = lower(prefix_of(type));
  for (int i = 0; i < type.value_count(); ++i) {
    const int value = type.value(i)->number();
    if (value == 0) continue;
    const std::string short_name = enum_label(type, value);
    if (wanted == short_name || wanted == full_prefix + short_name) return value;
  }
  return std::nullopt;
}

int parse_enum(const EnumDescriptor& type, std::string_view text, std::string_view flag, const std::vector<int>& only) {
  if (auto value = find_enum_value(type, text); value && allowed(only, *value)) return *value;
  throw UsageError(std::string(flag) + " '" + std::string(text) + "' is not one of: " + enum_choices(type, only));
}

std::string format_time(const google::protobuf::Timestamp& time) {
  if (!is_set(time)) return "";
  const std::time_t seconds = static_cast<std::time_t>(time.seconds());
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%MZ", &utc);
  return text;
}

std::string relative_to_now(const google::protobuf::Timestamp& time) {
  if (!is_set(time)) return "";
  const auto now_seconds = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::system_clock::now().time_since_epoch());
  const std::chrono::seconds at(time.seconds());
  return at >= now_seconds ? "in " + compact_duration(at - now_seconds) : compact_duration(now_seconds - at) + " ago";
}

google::protobuf::Timestamp parse_time(std::string_view text, std::string_view flag) {
  if (text == "now") return now();
  google::protobuf::Timestamp time;
  if (!TimeUtil::FromString(std::string(text), &time)) {
    throw UsageError(std::string(flag) + " '" + std::string(text) +
                     "' is not an RFC 3339 time such as 2026-03-01T14:05:00Z (or now)");
  }
  return time;
}

google::protobuf::Timestamp now() { return TimeUtil::GetCurrentTime(); }

}  // namespace pactctl
