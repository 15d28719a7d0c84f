#include "log/logger.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include "log/trace_context.h"

namespace pact::log {
namespace {

LogSettings settings() { return {"intake", "wb-rs", Level::debug}; }

TEST(LogLine, IsOneJsonObjectWithTheStandardFields) {
  std::string line = format_line(settings(), Level::info, "case registered", {{"sequence", 3}}, "abc123",
                                 "2026-11-28T12:00:00.000Z");
  auto parsed = nlohmann::json::parse(line);
  EXPECT_EQ(parsed["msg"], "case registered");
  EXPECT_EQ(parsed["level"], "info");
  EXPECT_EQ(parsed["service"], "intake");
  EXPECT_EQ(parsed["hub"], "wb-rs");
  EXPECT_EQ(parsed["trace_id"], "abc123");
  EXPECT_EQ(parsed["sequence"], 3);
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

TEST(LogLine, EscapesQuotesControlCharactersAndNewlines) {
  const std::string nasty = "say \"hi\"\n\t\\ end \x01";
  std::string line = format_line(settings(), Level::warn, nasty, {{"detail", nasty}}, "", "t");
  EXPECT_EQ(line.find('\n'), std::string::npos) << "a line break would split one log record in two";
  auto parsed = nlohmann::json::parse(line);
  EXPECT_EQ(parsed["msg"], nasty);
  EXPECT_EQ(parsed["detail"], nasty);
}

TEST(LogLine, ReplacesInvalidUtf8InsteadOfBreakingTheLine) {
  const std::string broken = std::string("bad \xC3\x28 byte");
  std::string line = format_line(settings(), Level::info, broken, {}, "", "t");
  auto parsed = nlohmann::json::parse(line);  // would throw on invalid UTF-8
  EXPECT_NE(parsed["msg"].get<std::string>().find("bad"), std::string::npos);
}

TEST(LogLine, KeepsCyrillicAndArabicReadable) {
  std::string line = format_line(settings(), Level::info, "Ниш / حلب", {}, "", "t");
  EXPECT_EQ(nlohmann::json::parse(line)["msg"], "Ниш / حلب");
}

TEST(LogLine, FieldsCannotOverwriteStandardFields) {
  std::string line = format_line(settings(), Level::info, "m", {{"service", "spoofed"}}, "", "t");
  EXPECT_EQ(nlohmann::json::parse(line)["service"], "intake");
}

TEST(Logger, WritesTheCurrentTraceIdOnEveryLine) {
  std::ostringstream out;
  auto logger = std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::ostream_sink_mt>(out));
  init_with_logger(settings(), logger);
  {
    ScopedTraceId trace("4bf92f3577b34da6a3ce929d0e0e4736");
    info("inside");
  }
  info("outside");
  logger->flush();
  std::istringstream lines(out.str());
  std::string first;
  std::string second;
  std::getline(lines, first);
  std::getline(lines, second);
  EXPECT_EQ(nlohmann::json::parse(first)["trace_id"], "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(nlohmann::json::parse(second)["trace_id"], "");
  init(settings());
}

}  // namespace
}  // namespace pact::log
