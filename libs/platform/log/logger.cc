#include "log/logger.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <mutex>

#include "events/cloud_event.h"
#include "log/trace_context.h"

namespace pact::log {
namespace {

struct State {
  std::mutex mutex;
  LogSettings settings;
  std::shared_ptr<spdlog::logger> logger;
};

State& state() {
  static State instance;
  return instance;
}

spdlog::level::level_enum to_spdlog(Level level) {
  switch (level) {
    case Level::trace: return spdlog::level::trace;
    case Level::debug: return spdlog::level::debug;
    case Level::info: return spdlog::level::info;
    case Level::warn: return spdlog::level::warn;
    case Level::error: return spdlog::level::err;
  }
  return spdlog::level::info;
}

const char* level_name(Level level) {
  switch (level) {
    case Level::trace: return "trace";
    case Level::debug: return "debug";
    case Level::info: return "info";
    case Level::warn: return "warn";
    case Level::error: return "error";
  }
  return "info";
}

}  // namespace

Level parse_level(std::string_view name) {
  if (name == "trace") return Level::trace;
  if (name == "debug") return Level::debug;
  if (name == "warn") return Level::warn;
  if (name == "error") return Level::error;
  return Level::info;
}

void init_with_logger(const LogSettings& settings, std::shared_ptr<spdlog::logger> logger) {
  // The line is complete JSON already; spdlog only adds the newline.
  logger->set_pattern("%v");
  logger->set_level(to_spdlog(settings.level));
  logger->flush_on(spdlog::level::warn);
  auto& s = state();
  std::lock_guard lock(s.mutex);
  s.settings = settings;
  s.logger = std::move(logger);
}

void init(const LogSettings& settings) {
  auto logger = std::make_shared<spdlog::logger>("pact", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  init_with_logger(settings, std::move(logger));
}

std::string format_line(const LogSettings& settings, Level level, std::string_view message, const Fields& fields,
                        std::string_view trace_id, std::string_view time) {
  nlohmann::json line = nlohmann::json::object();
  line["time"] = time;
  line["level"] = level_name(level);
  line["service"] = settings.service;
  line["hub"] = settings.hub;
  line["trace_id"] = trace_id;
  line["msg"] = message;
  if (fields.is_object()) {
    for (const auto& [key, value] : fields.items()) {
      if (!line.contains(key)) line[key] = value;
    }
  }
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void write(Level level, std::string_view message, const Fields& fields) {
  auto& s = state();
  std::shared_ptr<spdlog::logger> logger;
  LogSettings settings;
  {
    std::lock_guard lock(s.mutex);
    if (!s.logger) {
      s.logger = std::make_shared<spdlog::logger>("pact", std::make_shared<spdlog::sinks::stderr_sink_mt>());
      s.logger->set_pattern("%v");
    }
    logger = s.logger;
    settings = s.settings;
  }
  if (!logger->should_log(to_spdlog(level))) return;
  const std::string line = format_line(settings, level, message, fields, current_trace_id(), events::rfc3339_now());
  logger->log(to_spdlog(level), spdlog::string_view_t(line.data(), line.size()));
}

}  // namespace pact::log
