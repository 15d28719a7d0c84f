#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <prometheus/collectable.h>

#include "kafka/consumer.h"

namespace pact::kafka {

// Exposes consumers' counters to Prometheus, read at scrape time: records applied, skipped as
// duplicates and dead-lettered, rewinds after Redis lost writes, fenced writes, handler retries,
// assigned partitions. Labelled by consumer group only.
class ConsumerMetrics : public prometheus::Collectable {
 public:
  // The consumer must outlive this collector's registration.
  void watch(const Consumer& consumer, std::string group);
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  mutable std::mutex mutex_;
  std::vector<std::pair<const Consumer*, std::string>> consumers_;
};

}  // namespace pact::kafka
