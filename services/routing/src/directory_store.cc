#include "directory_store.h"

#include <google/protobuf/util/time_util.h>

#include "redis/lua_script.h"

namespace pact::routing {
namespace {

using google::protobuf::util::TimeUtil;

// KEYS: record hash, id set, directory version. ARGV: id, expected version (-1: create), data.
const redis::LuaScript kPut(R"lua(
local current = redis.call('HGET', KEYS[1], 'version')
local expected = tonumber(ARGV[2])
if expected < 0 then
  if current then return 'already_exists' end
else
  if not current then return 'not_found' end
  if tonumber(current) ~= expected then return 'version_mismatch' end
end
redis.call('HSET', KEYS[1], 'version', (tonumber(current) or 0) + 1, 'data', ARGV[3])
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('INCR', KEYS[3])
return 'ok'
)lua");

// KEYS: capacity hash. ARGV: available, maximum ('' keeps), unit ('' keeps), expected version (0: any), now ms.
const redis::LuaScript kSetCapacity(R"lua(
local version = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if tonumber(ARGV[4]) ~= 0 and version ~= tonumber(ARGV[4]) then return {'version_mismatch'} end
local maximum = ARGV[2] ~= '' and tonumber(ARGV[2]) or tonumber(redis.call('HGET', KEYS[1], 'maximum') or '0')
if tonumber(ARGV[1]) > maximum then return {'above_maximum'} end
redis.call('HSET', KEYS[1], 'tracked', 1, 'available', ARGV[1], 'maximum', maximum, 'updated_ms', ARGV[5])
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'unit', ARGV[3]) end
redis.call('HINCRBY', KEYS[1], 'version', 1)
return {'ok'}
)lua");

DirectoryWrite outcome_of(const std::string& text) {
  if (text == "already_exists") return DirectoryWrite::already_exists;
  if (text == "not_found") return DirectoryWrite::not_found;
  if (text == "version_mismatch") return DirectoryWrite::version_mismatch;
  if (text == "above_maximum") return DirectoryWrite::above_maximum;
  return DirectoryWrite::ok;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

v1::Capacity capacity_from(const redis::RedisValue& reply) {
  v1::Capacity capacity;
  // HMGET tracked available maximum unit version updated_ms
  if (reply.elements.size() < 6 || reply.elements[0].is_nil()) return capacity;
  capacity.set_tracked(reply.elements[0].text == "1");
  capacity.set_available(static_cast<std::uint32_t>(std::max(0LL, reply.elements[1].as_integer())));
  capacity.set_maximum(static_cast<std::uint32_t>(std::max(0LL, reply.elements[2].as_integer())));
  capacity.set_unit(reply.elements[3].as_text().value_or(""));
  capacity.set_version(static_cast<std::uint64_t>(reply.elements[4].is_nil() ? 0 : reply.elements[4].as_integer()));
  if (!reply.elements[5].is_nil()) *capacity.mutable_updated_at() = TimeUtil::MillisecondsToTimestamp(reply.elements[5].as_integer());
  return capacity;
}

}  // namespace

std::string DirectoryStore::key(std::string_view part, std::string_view id) const {
  if (id.empty()) return hub_.redis_key({"routing", "dir", part});
  return hub_.redis_key({"routing", "dir", part, id});
}

DirectoryWrite DirectoryStore::put(std::string_view kind, const std::string& id, google::protobuf::Message& record,
                                   std::uint64_t expected_version, bool create) const {
  auto reply = redis_.eval(kPut, {key(kind, id), key(std::string(kind) + "s"), key("version")},
                           {id, create ? "-1" : std::to_string(expected_version), record.SerializeAsString()});
  return outcome_of(reply.text);
}

DirectoryWrite DirectoryStore::add_organization(v1::Organization& organization) const {
  organization.set_version(1);
  *organization.mutable_updated_at() = TimeUtil::MillisecondsToTimestamp(now_ms());
  return put("org", organization.organization_id(), organization, 0, true);
}

DirectoryWrite DirectoryStore::update_organization(v1::Organization& organization) const {
  const std::uint64_t expected = organization.version();
  organization.set_version(expected + 1);
  *organization.mutable_updated_at() = TimeUtil::MillisecondsToTimestamp(now_ms());
  return put("org", organization.organization_id(), organization, expected, false);
}

bool DirectoryStore::organization_exists(const std::string& organization_id) const {
  return redis_.command({"EXISTS", key("org", organization_id)}).as_integer() == 1;
}

DirectoryWrite DirectoryStore::add_service(v1::Service& service) const {
  if (!organization_exists(service.organization_id())) return DirectoryWrite::unknown_organization;
  const v1::Capacity capacity = service.capacity();
  service.clear_capacity();
  service.set_version(1);
  *service.mutable_updated_at() = TimeUtil::MillisecondsToTimestamp(now_ms());
  const DirectoryWrite outcome = put("svc", service.service_id(), service, 0, true);
  if (outcome == DirectoryWrite::ok) write_capacity(service.service_id(), capacity);
  *service.mutable_capacity() = this->capacity(service.service_id()).value_or(capacity);
  return outcome;
}

DirectoryWrite DirectoryStore::update_service(v1::Service& service) const {
  if (!organization_exists(service.organization_id())) return DirectoryWrite::unknown_organization;
  const std::uint64_t expected = service.version();
  service.clear_capacity();
  service.set_version(expected + 1);
  *service.mutable_updated_at() = TimeUtil::MillisecondsToTimestamp(now_ms());
  const DirectoryWrite outcome = put("svc", service.service_id(), service, expected, false);
  if (auto capacity = this->capacity(service.service_id())) *service.mutable_capacity() = *capacity;
  return outcome;
}

void DirectoryStore::write_capacity(const std::string& service_id, const v1::Capacity& capacity) const {
  redis_.command({"HSET", key("cap", service_id), "tracked", capacity.tracked() ? "1" : "0", "available",
                  std::to_string(capacity.available()), "maximum", std::to_string(capacity.maximum()), "unit",
                  capacity.unit(), "updated_ms", std::to_string(now_ms())});
  redis_.command({"HINCRBY", key("cap", service_id), "version", "1"});
}

void DirectoryStore::upsert(const std::vector<v1::Organization>& organizations, const std::vector<v1::Service>& services) const {
  for (v1::Organization organization : organizations) {
    auto current = redis_.command({"HGET", key("org", organization.organization_id()), "version"});
    organization.set_version(current.is_nil() ? 1 : static_cast<std::uint64_t>(current.as_integer()) + 1);
    *organization.mutable_updated_at() = TimeUtil::MillisecondsToTimestamp(now_ms());
    put("org", organization.organization_id(), organization, current.is_nil() ? 0 : static_cast<std::uint64_t>(current.as_integer()),
        current.is_nil());
  }
  for (v1::Service service : services) {
    auto current = redis_.command({"HGET", key("svc", service.service_id()), "version"});
    const v1::Capacity capacity = service.capacity();
    service.clear_capacity();
    service.set_version(current.is_nil() ? 1 : static_cast<std::uint64_t>(current.as_integer()) + 1);
    *service.mutable_updated_at() = TimeUtil::MillisecondsToTimestamp(now_ms());
    put("svc", service.service_id(), service, current.is_nil() ? 0 : static_cast<std::uint64_t>(current.as_integer()),
        current.is_nil());
    // A re-import must not hand back places routing has reserved: only new services take the file's figure.
    if (current.is_nil() || !this->capacity(service.service_id())) write_capacity(service.service_id(), capacity);
  }
}

CapacityWrite DirectoryStore::set_capacity(const std::string& service_id, std::uint32_t available,
                                           std::optional<std::uint32_t> maximum, const std::string& unit,
                                           std::uint64_t expected_version) const {
  CapacityWrite result;
  if (redis_.command({"EXISTS", key("svc", service_id)}).as_integer() == 0) {
    result.outcome = DirectoryWrite::not_found;
    return result;
  }
  auto reply = redis_.eval(kSetCapacity, {key("cap", service_id)},
                           {std::to_string(available), maximum ? std::to_string(*maximum) : "", unit,
                            std::to_string(expected_version), std::to_string(now_ms())});
  result.outcome = outcome_of(reply.elements.empty() ? "" : reply.elements[0].text);
  if (result.outcome == DirectoryWrite::ok) result.capacity = capacity(service_id).value_or(v1::Capacity{});
  return result;
}

std::optional<v1::Capacity> DirectoryStore::capacity(const std::string& service_id) const {
  auto reply = redis_.command({"HMGET", key("cap", service_id), "tracked", "available", "maximum", "unit", "version", "updated_ms"});
  if (reply.elements.empty() || reply.elements[0].is_nil()) return std::nullopt;
  return capacity_from(reply);
}

std::shared_ptr<const Directory> DirectoryStore::read() const {
  std::vector<v1::Organization> organizations;
  std::vector<v1::Service> services;
  const auto organization_ids = redis_.command({"SMEMBERS", key("orgs")});
  std::vector<redis::Command> reads;
  for (const auto& id : organization_ids.elements) reads.push_back({"HGET", key("org", id.text), "data"});
  for (const auto& reply : redis_.pipeline(reads)) {
    v1::Organization organization;
    if (!reply.is_nil() && organization.ParseFromString(reply.text)) organizations.push_back(std::move(organization));
  }
  const auto service_ids = redis_.command({"SMEMBERS", key("svcs")});
  reads.clear();
  for (const auto& id : service_ids.elements) {
    reads.push_back({"HGET", key("svc", id.text), "data"});
    reads.push_back({"HMGET", key("cap", id.text), "tracked", "available", "maximum", "unit", "version", "updated_ms"});
  }
  const auto replies = redis_.pipeline(reads);
  for (std::size_t i = 0; i + 1 < replies.size(); i += 2) {
    v1::Service service;
    if (replies[i].is_nil() || !service.ParseFromString(replies[i].text)) continue;
    *service.mutable_capacity() = capacity_from(replies[i + 1]);
    services.push_back(std::move(service));
  }
  return std::make_shared<const Directory>(std::move(organizations), std::move(services));
}

std::shared_ptr<const Directory> DirectoryCache::current() {
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (!directory_ || now - read_at_ >= max_age_) {
    directory_ = store_.read();
    read_at_ = now;
  }
  return directory_;
}

void DirectoryCache::invalidate() {
  std::lock_guard lock(mutex_);
  directory_.reset();
}

}  // namespace pact::routing
