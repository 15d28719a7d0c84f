#include "kafka/consumer_metrics.h"

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
  std::lock_guard lock(mutex_);
  for (const auto& [consumer, group] : consumers_) {
    const ConsumerStats& stats = consumer->stats();
    records.metric.push_back(counter(group, "applied", static_cast<double>(stats.applied.load())));
    records.metric.push_back(counter(group, "duplicate", static_cast<double>(stats.duplicates.load())));
    records.metric.push_back(counter(group, "dead_lettered", static_cast<double>(stats.dead_lettered.load())));
    rewinds.metric.push_back(counter(group, nullptr, static_cast<double>(stats.rewinds.load())));
    fenced.metric.push_back(counter(group, nullptr, static_cast<double>(stats.fenced.load())));
    retries.metric.push_back(counter(group, nullptr, static_cast<double>(stats.handler_retries.load())));
    prometheus::ClientMetric partitions;
    partitions.label.push_back({"group", group});
    partitions.gauge.value = static_cast<double>(consumer->assigned_partitions());
    assigned.metric.push_back(partitions);
  }
  return {records, rewinds, fenced, retries, assigned};
}

}  // namespace pact::kafka
