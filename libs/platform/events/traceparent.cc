#include "events/traceparent.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstdio>

namespace pact::events {
namespace {

bool is_lower_hex(std::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool all_zero(std::string_view text) { return text.find_first_not_of('0') == std::string_view::npos; }

std::string random_hex(size_t bytes) {
  static const bool ready = sodium_init() >= 0;
  (void)ready;
  std::array<unsigned char, 16> buffer{};
  do {
    randombytes_buf(buffer.data(), bytes);
  } while (std::all_of(buffer.begin(), buffer.begin() + static_cast<long>(bytes), [](unsigned char b) { return b == 0; }));
  std::string hex(bytes * 2, '0');
  sodium_bin2hex(hex.data(), hex.size() + 1, buffer.data(), bytes);
  return hex;
}

}  // namespace

TraceParent TraceParent::new_root() { return TraceParent{random_hex(16), random_hex(8), 1}; }

TraceParent TraceParent::child() const { return TraceParent{trace_id, random_hex(8), flags}; }

std::optional<TraceParent> TraceParent::parse(std::string_view header) {
  // version(2) - trace id(32) - parent id(16) - flags(2) = 55 characters; later versions may append.
  if (header.size() < 55) return std::nullopt;
  std::string_view version = header.substr(0, 2);
  if (!is_lower_hex(version) || version == "ff") return std::nullopt;
  if (version == "00" && header.size() != 55) return std::nullopt;
  if (header.size() > 55 && header[55] != '-') return std::nullopt;
  if (header[2] != '-' || header[35] != '-' || header[52] != '-') return std::nullopt;
  std::string_view trace_id = header.substr(3, 32);
  std::string_view parent_id = header.substr(36, 16);
  std::string_view flags = header.substr(53, 2);
  if (!is_lower_hex(trace_id) || !is_lower_hex(parent_id) || !is_lower_hex(flags)) return std::nullopt;
  if (all_zero(trace_id) || all_zero(parent_id)) return std::nullopt;
  return TraceParent{std::string(trace_id), std::string(parent_id),
                     static_cast<unsigned>(std::stoul(std::string(flags), nullptr, 16))};
}

std::string TraceParent::to_header() const {
  char flags_hex[3];
  std::snprintf(flags_hex, sizeof flags_hex, "%02x", flags & 0xffU);
  return "00-" + trace_id + "-" + parent_id + "-" + flags_hex;
}

}  // namespace pact::events
