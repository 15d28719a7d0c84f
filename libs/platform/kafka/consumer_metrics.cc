#include "kafka/consumer_metrics.h"

#include <map>

#include <prometheus/client_metric.h>
#include <prometheus/metric_family.h>
#include <prometheus/metric_type.h>

namespace pact::kafka {

void ConsumerMetrics::watch(const Consumer& consumer, std::string group) {
  std::lock_guard lock(mutex_);
  consumers_.emplace_back(&consumer, std::move(group));
}

std::vector<prometheus::MetricFamily> ConsumerMetrics::Collect() const {
  prometheus::MetricFamily records{"pact_consumer_records_total", "Records settled by consumers, by outcome",
                                   prometheus::MetricType::Counter, {}};
  prometheus::MetricFamily rewinds{"pact_consumer_rewinds_total",
                                   "Partitions rewound because Redis no longer held the consumer's position",
                                   prometheus::MetricType::Counter, {}};
  prometheus::MetricFamily fenced{"pact_consumer_fenced_total", "Writes refused because another consumer owns the partition",
                                  prometheus::MetricType::Counter, {}};
  prometheus::MetricFamily retries{"pact_consumer_handler_retries_total", "Record handling attempts that failed and were retried",
                                   prometheus::MetricType::Counter, {}};
  prometheus::MetricFamily assigned{"pact_consumer_assigned_partitions", "Partitions currently assigned",
                                    prometheus::MetricType::Gauge, {}};
  auto counter = [](const std::string& group, const char* outcome, double value) {
    prometheus::ClientMetric metric;
    metric.label.push_back({"group", group});
    if (outcome != nullptr) metric.label.push_back({"outcome", outcome});
    metric.counter.value = value;
    return metric;
  };
  // Several consumers of one group in a process (one per thread) are one series per group.
  struct Totals {
    double applied = 0, duplicates = 0, dead_lettered = 0, rewinds = 0, fenced = 0, retries = 0, partitions = 0;
  };
  std::map<std::string, Totals> groups;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [consumer, group] : consumers_) {
      const ConsumerStats& stats = consumer->stats();
      Totals& totals = groups[group];
      totals.applied += static_cast<double>(stats.applied.load());
      totals.duplicates += static_cast<double>(stats.duplicates.load());
      totals.dead_lettered += static_cast<double>(stats.dead_lettered.load());
      totals.rewinds += static_cast<double>(stats.rewinds.load());
      totals.fenced += static_cast<double>(stats.fenced.load());
      totals.retries += static_cast<double>(stats.handler_retries.load());
      totals.partitions += static_cast<double>(consumer->assigned_partitions());
    }
  }
  for (const auto& [group, totals] : groups) {
    records.metric.push_back(counter(group, "applied", totals.applied));
    records.metric.push_back(counter(group, "duplicate", totals.duplicates));
    records.metric.push_back(counter(group, "dead_lettered", totals.dead_lettered));
    rewinds.metric.push_back(counter(group, nullptr, totals.rewinds));
    fenced.metric.push_back(counter(group, nullptr, totals.fenced));
    retries.metric.push_back(counter(group, nullptr, totals.retries));
    prometheus::ClientMetric partitions;
    partitions.label.push_back({"group", group});
    partitions.gauge.value = totals.partitions;
    assigned.metric.push_back(partitions);
  }
  return {records, rewinds, fenced, retries, assigned};
}

}  // namespace pact::kafka
