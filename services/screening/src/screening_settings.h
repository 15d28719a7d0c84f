#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "catalogue_set.h"
#include "config/config_tree.h"
#include "phrasebook.h"

namespace pact::screening {

// Screening's own configuration. Catalogues and messages are loaded while the configuration is
// read, so `--check-config` reports every problem of every data file (file:line) before a start.
struct ScreeningSettings {
  std::shared_ptr<const CatalogueSet> catalogues;
  std::shared_ptr<const Phrasebook> phrases;
  std::size_t max_follow_up_questions = 12;
  std::string intake_address;                       // where case keys are released
  std::chrono::milliseconds key_release_timeout{2000};
  std::size_t key_cache_cases = 10000;
  bool consume_case_events = true;                  // off for a screening that only serves Screen
  std::size_t redis_connections = 4;
  // Consumers in this process (one group: the case topic's partitions are shared among them). Each
  // assesses one case event at a time and waits for Kafka to store its assessment, so throughput
  // grows with their number up to the partition count.
  std::size_t consumer_threads = 4;
};

ScreeningSettings read_screening_settings(config::ConfigTree& tree);

}  // namespace pact::screening
