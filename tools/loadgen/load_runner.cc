#include "load_runner.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <thread>

namespace pactload {

double LoadReport::percentile(double q) const {
  if (latencies_ms.empty()) return 0;
  const auto rank = static_cast<size_t>(std::ceil(q * static_cast<double>(latencies_ms.size())));
  return latencies_ms[std::min(rank == 0 ? 0 : rank - 1, latencies_ms.size() - 1)];
}

LoadRunner::LoadRunner(LoadOptions options, CallStarter start_call)
    : options_(options), start_call_(std::move(start_call)) {}

bool LoadRunner::may_issue() const {
  return options_.max_calls == 0 || sequence_.load() < options_.max_calls;
}

void LoadRunner::issue() {
  ++in_flight_;
  auto started = std::chrono::steady_clock::now();
  start_call_(sequence_++, [this, started](bool ok) { finished(started, ok); });
}

void LoadRunner::finished(std::chrono::steady_clock::time_point started, bool ok) {
  auto now = std::chrono::steady_clock::now();
  if (started >= measure_from_ && now <= deadline_) {
    std::lock_guard lock(mutex_);
    if (ok) {
      ++report_.ok;
      report_.latencies_ms.push_back(std::chrono::duration<double, std::milli>(now - started).count());
    } else {
      ++report_.errors;
    }
  }
  // Closed loop: an answered call starts the next one until the deadline.
  // (The next call is counted in flight before this one leaves, so run() never sees zero early.)
  const bool closed_loop = options_.rate <= 0;
  if (closed_loop && now < deadline_ && may_issue()) issue();
  --in_flight_;
}

LoadReport LoadRunner::run() {
  auto begin = std::chrono::steady_clock::now();
  measure_from_ = begin + options_.warmup;
  deadline_ = measure_from_ + options_.duration;
  if (options_.rate <= 0) {
    for (int i = 0; i < options_.concurrency && may_issue(); ++i) issue();
  } else {
    const auto interval = std::chrono::duration<double>(1.0 / options_.rate);
    auto next = begin;
    while (next < deadline_ && may_issue()) {
      std::this_thread::sleep_until(next);
      if (in_flight_.load() < options_.concurrency) {
        issue();
      } else if (next >= measure_from_) {
        std::lock_guard lock(mutex_);
        ++report_.not_sent;
      }
      next += std::chrono::duration_cast<std::chrono::steady_clock::duration>(interval);
    }
  }
  if (options_.max_calls == 0) std::this_thread::sleep_until(deadline_);
  while (in_flight_.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::lock_guard lock(mutex_);
  // A counted run ends when its last call is answered; a timed one at its deadline.
  report_.seconds = options_.max_calls > 0
                        ? std::chrono::duration<double>(std::chrono::steady_clock::now() - measure_from_).count()
                        : std::chrono::duration<double>(options_.duration).count();
  std::sort(report_.latencies_ms.begin(), report_.latencies_ms.end());
  return report_;
}

std::string format_report(const std::string& label, const LoadReport& report) {
  char line[512];
  std::snprintf(line, sizeof line,
                "%-12s ok %8llu  errors %6llu  not-sent %6llu  %8.0f calls/s  p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms",
                label.c_str(), static_cast<unsigned long long>(report.ok),
                static_cast<unsigned long long>(report.errors), static_cast<unsigned long long>(report.not_sent),
                report.throughput(), report.percentile(0.50), report.percentile(0.99),
                report.latencies_ms.empty() ? 0.0 : report.latencies_ms.back());
  return line;
}

}  // namespace pactload
