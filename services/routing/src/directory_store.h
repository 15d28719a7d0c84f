#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config/hub.h"
#include "directory.h"
#include "redis/redis_client.h"

namespace pact::routing {

// Why a directory write was refused.
enum class DirectoryWrite { ok, already_exists, not_found, version_mismatch, above_maximum, unknown_organization };

struct CapacityWrite {
  DirectoryWrite outcome = DirectoryWrite::ok;
  v1::Capacity capacity;
};

// The provider directory in Redis (routing owns it):
//   <hub>:routing:dir:org:<id>   hash {version, data (Organization)}      <hub>:routing:dir:orgs  set of ids
//   <hub>:routing:dir:svc:<id>   hash {version, data (Service, no capacity)} <hub>:routing:dir:svcs set of ids
//   <hub>:routing:dir:cap:<id>   hash {tracked, available, maximum, unit, version, updated_ms}
//   <hub>:routing:dir:version    incremented by every change of details, so readers know to reload
// Capacity has its own hash because routing reserves from it atomically (RoutingStore::commit).
class DirectoryStore {
 public:
  DirectoryStore(const config::Hub& hub, redis::RedisClient& redis) : hub_(hub), redis_(redis) {}

  DirectoryWrite add_organization(v1::Organization& organization) const;
  DirectoryWrite update_organization(v1::Organization& organization) const;
  // Adds a service with its initial capacity.
  DirectoryWrite add_service(v1::Service& service) const;
  // Replaces a service's details; its capacity is left alone.
  DirectoryWrite update_service(v1::Service& service) const;
  // Import: adds or replaces (capacity set only for new services, or when the import gives one).
  void upsert(const std::vector<v1::Organization>& organizations, const std::vector<v1::Service>& services) const;

  CapacityWrite set_capacity(const std::string& service_id, std::uint32_t available, std::optional<std::uint32_t> maximum,
                             const std::string& unit, std::uint64_t expected_version) const;
  std::optional<v1::Capacity> capacity(const std::string& service_id) const;
  bool organization_exists(const std::string& organization_id) const;

  // The whole directory with capacity, read now.
  std::shared_ptr<const Directory> read() const;

 private:
  std::string key(std::string_view part, std::string_view id = {}) const;
  DirectoryWrite put(std::string_view kind, const std::string& id, google::protobuf::Message& record,
                     std::uint64_t expected_version, bool create) const;
  void write_capacity(const std::string& service_id, const v1::Capacity& capacity) const;

  const config::Hub& hub_;
  redis::RedisClient& redis_;
};

// A Directory read from the store, re-read when it changed or when `max_age` passed (capacity
// moves without a details change). Shared by the routing workers of one process.
class DirectoryCache {
 public:
  DirectoryCache(const DirectoryStore& store, std::chrono::milliseconds max_age) : store_(store), max_age_(max_age) {}
  std::shared_ptr<const Directory> current();
  void invalidate();

 private:
  const DirectoryStore& store_;
  std::chrono::milliseconds max_age_;
  std::mutex mutex_;
  std::shared_ptr<const Directory> directory_;
  std::chrono::steady_clock::time_point read_at_;
};

}  // namespace pact::routing
