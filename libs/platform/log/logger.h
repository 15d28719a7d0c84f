#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace spdlog {
class logger;
}

namespace pact::log {

enum class Level { trace, debug, info, warn, error };

// Structured fields of a log line. Never put personal data here: use redacted_json() for messages.
using Fields = nlohmann::json;

struct LogSettings {
  std::string service;
  std::string hub;
  Level level = Level::info;
};

// Sets up the process-wide JSON logger on standard error (one JSON object per line).
void init(const LogSettings& settings);
// Same, but writes to the given spdlog sink-backed logger (tests capture lines this way).
void init_with_logger(const LogSettings& settings, std::shared_ptr<spdlog::logger> logger);
Level parse_level(std::string_view name);

// One line: {"time","level","service","hub","trace_id","msg", ...fields}. Invalid UTF-8 in any
// string is replaced, never passed through, so a line is always valid JSON.
std::string format_line(const LogSettings& settings, Level level, std::string_view message, const Fields& fields,
                        std::string_view trace_id, std::string_view time);

void write(Level level, std::string_view message, const Fields& fields = Fields::object());
inline void trace(std::string_view message, const Fields& fields = Fields::object()) { write(Level::trace, message, fields); }
inline void debug(std::string_view message, const Fields& fields = Fields::object()) { write(Level::debug, message, fields); }
inline void info(std::string_view message, const Fields& fields = Fields::object()) { write(Level::info, message, fields); }
inline void warn(std::string_view message, const Fields& fields = Fields::object()) { write(Level::warn, message, fields); }
inline void error(std::string_view message, const Fields& fields = Fields::object()) { write(Level::error, message, fields); }

}  // namespace pact::log
