#include "opening_hours.h"

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include <unicode/timezone.h>
#include <unicode/unistr.h>

namespace pact::routing {
namespace {

// Minutes after midnight of "HH:MM", or -1.
int minutes_of(const std::string& text) {
  if (text.size() != 5 || text[2] != ':') return -1;
  for (int i : {0, 1, 3, 4}) {
    if (text[static_cast<std::size_t>(i)] < '0' || text[static_cast<std::size_t>(i)] > '9') return -1;
  }
  const int hours = (text[0] - '0') * 10 + (text[1] - '0');
  const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (hours > 23 || minutes > 59) return -1;
  return hours * 60 + minutes;
}

// Loading a zone from ICU's data costs more than the rest of a routing decision, and converting
// an instant costs more than comparing hours; zones never change while a process runs, and one
// decision asks many services about the same minute. So each thread keeps the zones it has used,
// with the last minute it converted.
struct LocalMinute {
  int weekday = 0;        // ISO, 1 = Monday
  int minute_of_day = 0;  // 0 .. 1439
};

struct CachedZone {
  std::unique_ptr<icu::TimeZone> zone;
  long long utc_minute = -1;
  LocalMinute local;
};

std::optional<LocalMinute> local_minute(const std::string& name, long long utc_ms) {
  thread_local std::unordered_map<std::string, CachedZone> zones;
  auto found = zones.find(name);
  if (found == zones.end()) {
    CachedZone cached;
    cached.zone.reset(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(name)));
    if (cached.zone && *cached.zone == icu::TimeZone::getUnknown()) cached.zone.reset();
    found = zones.emplace(name, std::move(cached)).first;
  }
  CachedZone& cached = found->second;
  if (!cached.zone) return std::nullopt;
  const long long utc_minute = utc_ms / 60000;
  if (cached.utc_minute != utc_minute) {
    UErrorCode status = U_ZERO_ERROR;
    int32_t raw = 0;
    int32_t dst = 0;
    cached.zone->getOffset(static_cast<UDate>(utc_ms), false, raw, dst, status);
    if (U_FAILURE(status)) return std::nullopt;
    const long long local_ms = utc_ms + raw + dst;
    const long long day = local_ms >= 0 ? local_ms / 86400000 : (local_ms - 86399999) / 86400000;
    cached.local.minute_of_day = static_cast<int>((local_ms - day * 86400000) / 60000);
    cached.local.weekday = static_cast<int>(((day % 7) + 7 + 3) % 7) + 1;  // 1970-01-01 was a Thursday (ISO 4)
    cached.utc_minute = utc_minute;
  }
  return cached.local;
}

}  // namespace

bool open_at(const v1::Schedule& schedule, std::chrono::system_clock::time_point now) {
  if (schedule.open_24_7()) return true;
  if (schedule.hours().empty()) return false;
  const auto utc_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const std::optional<LocalMinute> local = local_minute(schedule.time_zone(), utc_ms);
  if (!local) return false;
  const int weekday = local->weekday;
  const int minute_of_day = local->minute_of_day;
  const int yesterday = weekday == 1 ? 7 : weekday - 1;
  for (const auto& hours : schedule.hours()) {
    const int opens = minutes_of(hours.opens_at());
    const int closes = minutes_of(hours.closes_at());
    if (opens < 0 || closes < 0) continue;
    if (opens < closes) {
      if (static_cast<int>(hours.weekday()) == weekday && minute_of_day >= opens && minute_of_day < closes) return true;
    } else {  // past midnight: the evening of its day and the early hours of the next
      if (static_cast<int>(hours.weekday()) == weekday && minute_of_day >= opens) return true;
      if (static_cast<int>(hours.weekday()) == yesterday && minute_of_day < closes) return true;
    }
  }
  return false;
}

}  // namespace pact::routing
