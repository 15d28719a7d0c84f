#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pact::events {

// W3C Trace Context "traceparent": 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>.
struct TraceParent {
  std::string trace_id;   // 32 lowercase hex digits, not all zero
  std::string parent_id;  // 16 lowercase hex digits, not all zero
  unsigned flags = 1;     // bit 0: sampled

  static TraceParent new_root();
  // A child span of the same trace (new parent id, same trace id and flags).
  TraceParent child() const;
  // Accepts version 00 and, as the spec asks, later versions' leading fields. nullopt if invalid.
  static std::optional<TraceParent> parse(std::string_view header);
  std::string to_header() const;
};

}  // namespace pact::events
