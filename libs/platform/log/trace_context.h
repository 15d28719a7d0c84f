#pragma once

#include <string>

namespace pact::log {

// The trace id of the work the current thread is doing, so every log line can carry it.
const std::string& current_trace_id();

// Sets the current thread's trace id for the lifetime of the scope and restores the previous one.
class ScopedTraceId {
 public:
  explicit ScopedTraceId(std::string trace_id);
  ~ScopedTraceId();
  ScopedTraceId(const ScopedTraceId&) = delete;
  ScopedTraceId& operator=(const ScopedTraceId&) = delete;

 private:
  std::string previous_;
};

}  // namespace pact::log
