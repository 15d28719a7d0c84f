#include "log/trace_context.h"

namespace pact::log {
namespace {
thread_local std::string t_trace_id;
}

const std::string& current_trace_id() { return t_trace_id; }

ScopedTraceId::ScopedTraceId(std::string trace_id) : previous_(std::move(t_trace_id)) {
  t_trace_id = std::move(trace_id);
}

ScopedTraceId::~ScopedTraceId() { t_trace_id = std::move(previous_); }

}  // namespace pact::log
