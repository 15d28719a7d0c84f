// The JSON import format. JSON is read with yaml-cpp (JSON is YAML flow syntax), which keeps the
// line of every value, so each error points at the line of the value that is wrong.
#include "directory_import.h"

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <set>
#include <utility>

#include <yaml-cpp/yaml.h>

#include "config/yaml_reader.h"
#include "directory_checks.h"
#include "vocabulary.h"

namespace pact::routing {
namespace {

using config::NameTable;

std::uint32_t line_of(const YAML::Mark& mark) { return static_cast<std::uint32_t>(std::max(mark.line, 0) + 1); }
std::uint32_t line_of(const YAML::Node& node) { return line_of(node.Mark()); }

std::string join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}
std::string at(const std::string& path, std::size_t index) { return path + "[" + std::to_string(index) + "]"; }

// JSON null is the same as leaving the key out.
bool present(const YAML::Node& node) { return node.IsDefined() && !node.IsNull(); }

// The deepest value on `field`'s path that the record has (a missing value is reported at the
// line of the object that should hold it).
std::uint32_t line_of_field(const YAML::Node& record, std::string_view field) {
  YAML::Node current;
  current.reset(record);  // reset, not assignment: assigning a yaml-cpp node rewrites the tree
  while (!field.empty()) {
    const auto end = field.find_first_of(".[");
    const std::string_view name = field.substr(0, end);
    field = end == std::string_view::npos ? std::string_view() : field.substr(end);
    if (!name.empty()) {
      if (!current.IsMap()) break;
      const YAML::Node& map = current;
      YAML::Node next = map[std::string(name)];
      if (!present(next)) break;
      current.reset(next);
    }
    if (field.starts_with('.')) {
      field.remove_prefix(1);
    } else if (field.starts_with('[')) {
      const auto close = field.find(']');
      if (close == std::string_view::npos) break;
      const std::size_t index = std::stoul(std::string(field.substr(1, close - 1)));
      field.remove_prefix(close + 1);
      if (field.starts_with('.')) field.remove_prefix(1);
      if (!current.IsSequence() || index >= current.size()) break;
      const YAML::Node& list = current;
      YAML::Node next = list[index];
      current.reset(next);
    }
  }
  return line_of(current);
}

// Reads values of the shapes the format allows; reports the rest with their lines and paths.
class JsonReader {
 public:
  explicit JsonReader(DirectoryRecords& out) : out_(out) {}

  void error(const YAML::Node& node, std::string path, std::string message) {
    out_.errors.push_back(import_error(line_of(node), std::move(path), std::move(message)));
  }

  // Unknown keys, and keys given twice (yaml-cpp would silently use the first).
  void only_keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed, const std::string& path) {
    std::set<std::string> seen;
    for (const auto& entry : map) {
      const std::string key = entry.first.Scalar();
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        error(entry.first, join(path, key), "unknown key '" + key + "'");
      } else if (!seen.insert(key).second) {
        error(entry.first, join(path, key), "'" + key + "' is given twice");
      }
    }
  }

  // The object under `key`, or an undefined node when it is absent or not an object.
  YAML::Node object(const YAML::Node& parent, const char* key, const std::string& path) {
    const YAML::Node node = parent[key];
    if (!present(node)) return YAML::Node(YAML::NodeType::Undefined);  // a missing key's node is unusable
    if (!node.IsMap()) {
      error(node, join(path, key), "must be an object");
      return YAML::Node(YAML::NodeType::Undefined);
    }
    return node;
  }

  std::optional<std::string> text(const YAML::Node& parent, const char* key, const std::string& path) {
    const YAML::Node node = parent[key];
    if (!present(node)) return std::nullopt;
    if (!node.IsScalar()) {
      error(node, join(path, key), "must be a text");
      return std::nullopt;
    }
    return node.Scalar();
  }

  std::optional<bool> boolean(const YAML::Node& parent, const char* key, const std::string& path) {
    const YAML::Node node = parent[key];
    if (!present(node)) return std::nullopt;
    try {
      return node.as<bool>();
    } catch (const YAML::Exception&) {
    }
    error(node, join(path, key), "must be true or false");
    return std::nullopt;
  }

  std::optional<std::uint32_t> number(const YAML::Node& parent, const char* key, const std::string& path) {
    const YAML::Node node = parent[key];
    if (!present(node)) return std::nullopt;
    try {
      const auto value = node.as<long long>();
      if (value >= 0 && value <= std::numeric_limits<std::uint32_t>::max()) return static_cast<std::uint32_t>(value);
    } catch (const YAML::Exception&) {
    }
    error(node, join(path, key),
          "must be a whole number from 0 to " + std::to_string(std::numeric_limits<std::uint32_t>::max()));
    return std::nullopt;
  }

  std::optional<double> decimal(const YAML::Node& parent, const char* key, const std::string& path) {
    const YAML::Node node = parent[key];
    if (!present(node)) return std::nullopt;
    try {
      return node.as<double>();
    } catch (const YAML::Exception&) {
    }
    error(node, join(path, key), "must be a number");
    return std::nullopt;
  }

  template <typename T>
  std::optional<T> name(const YAML::Node& node, NameTable<T> table, const std::string& path, std::string_view what) {
    if (node.IsScalar()) {
      for (const auto& [name, value] : table) {
        if (node.Scalar() == name) return value;
      }
      error(node, path, "unknown " + std::string(what) + " '" + node.Scalar() + "' (expected one of: " +
                            config::names_of(table) + ")");
    } else {
      error(node, path, "must be one of: " + config::names_of(table));
    }
    return std::nullopt;
  }

  template <typename T>
  std::optional<T> name(const YAML::Node& parent, const char* key, NameTable<T> table, const std::string& path,
                        std::string_view what) {
    const YAML::Node node = parent[key];
    if (!present(node)) return std::nullopt;
    return name(node, table, join(path, key), what);
  }

  // The items of the list under `key`, each with its path.
  std::vector<std::pair<YAML::Node, std::string>> list(const YAML::Node& parent, const char* key,
                                                       const std::string& path) {
    const YAML::Node node = parent[key];
    std::vector<std::pair<YAML::Node, std::string>> items;
    if (!present(node)) return items;
    if (!node.IsSequence()) {
      error(node, join(path, key), "must be a list");
      return items;
    }
    for (std::size_t i = 0; i < node.size(); ++i) items.emplace_back(node[i], at(join(path, key), i));
    return items;
  }

  std::vector<std::string> texts(const YAML::Node& parent, const char* key, const std::string& path) {
    std::vector<std::string> out;
    for (const auto& [item, item_path] : list(parent, key, path)) {
      if (present(item) && item.IsScalar()) {
        out.push_back(item.Scalar());
      } else {
        error(item, item_path, "must be a text");
      }
    }
    return out;
  }

  template <typename T>
  std::vector<T> names(const YAML::Node& parent, const char* key, NameTable<T> table, const std::string& path,
                       std::string_view what) {
    std::vector<T> out;
    for (const auto& [item, item_path] : list(parent, key, path)) {
      if (auto value = name(item, table, item_path, what)) out.push_back(*value);
    }
    return out;
  }

  // The objects of the list under `key`; other items are reported and left out.
  std::vector<std::pair<YAML::Node, std::string>> objects(const YAML::Node& parent, const char* key,
                                                          const std::string& path) {
    auto items = list(parent, key, path);
    std::erase_if(items, [&](const auto& item) {
      if (item.first.IsMap()) return false;
      error(item.first, item.second, "must be an object");
      return true;
    });
    return items;
  }

 private:
  DirectoryRecords& out_;
};

void read_contacts(JsonReader& reader, const YAML::Node& parent, const std::string& path,
                   google::protobuf::RepeatedPtrField<v1::Contact>& contacts) {
  for (const auto& [node, contact_path] : reader.objects(parent, "contacts", path)) {
    reader.only_keys(node, {"name", "title", "phone", "email", "languages"}, contact_path);
    v1::Contact& contact = *contacts.Add();
    contact.set_name(reader.text(node, "name", contact_path).value_or(""));
    contact.set_title(reader.text(node, "title", contact_path).value_or(""));
    contact.set_phone(reader.text(node, "phone", contact_path).value_or(""));
    contact.set_email(reader.text(node, "email", contact_path).value_or(""));
    for (auto& language : reader.texts(node, "languages", contact_path)) contact.add_languages(std::move(language));
  }
}

v1::Organization read_organization(JsonReader& reader, const YAML::Node& node, const std::string& path) {
  reader.only_keys(node, {"id", "name", "description", "kind", "jurisdictions", "website", "fictional", "contacts"},
                   path);
  v1::Organization organization;
  organization.set_organization_id(reader.text(node, "id", path).value_or(""));
  organization.set_name(reader.text(node, "name", path).value_or(""));
  organization.set_description(reader.text(node, "description", path).value_or(""));
  organization.set_kind(reader.name(node, "kind", vocabulary::kOrganizationKinds, path, "organisation kind")
                            .value_or(v1::ORGANIZATION_KIND_UNSPECIFIED));
  for (auto jurisdiction : reader.names(node, "jurisdictions", vocabulary::kJurisdictions, path, "jurisdiction")) {
    organization.add_jurisdictions(jurisdiction);
  }
  organization.set_website(reader.text(node, "website", path).value_or(""));
  organization.set_fictional(reader.boolean(node, "fictional", path).value_or(false));
  read_contacts(reader, node, path, *organization.mutable_contacts());
  return organization;
}

void read_eligibility(JsonReader& reader, const YAML::Node& parent, const std::string& service_path,
                      v1::Eligibility& eligibility) {
  const YAML::Node node = reader.object(parent, "eligibility", service_path);
  if (!node.IsMap()) return;
  const std::string path = join(service_path, "eligibility");
  reader.only_keys(node, {"minimum_age", "maximum_age", "genders", "description"}, path);
  if (auto age = reader.number(node, "minimum_age", path)) eligibility.set_minimum_age(*age);
  if (auto age = reader.number(node, "maximum_age", path)) eligibility.set_maximum_age(*age);
  for (auto gender : reader.names(node, "genders", vocabulary::kGenders, path, "gender")) eligibility.add_genders(gender);
  eligibility.set_description(reader.text(node, "description", path).value_or(""));
}

void read_area(JsonReader& reader, const YAML::Node& parent, const std::string& service_path, v1::ServiceArea& area) {
  const YAML::Node node = reader.object(parent, "area", service_path);
  if (!node.IsMap()) return;
  const std::string path = join(service_path, "area");
  reader.only_keys(node, {"jurisdictions", "municipalities", "sites"}, path);
  for (auto jurisdiction : reader.names(node, "jurisdictions", vocabulary::kJurisdictions, path, "jurisdiction")) {
    area.add_jurisdictions(jurisdiction);
  }
  for (auto& municipality : reader.texts(node, "municipalities", path)) area.add_municipalities(std::move(municipality));
  for (auto& site : reader.texts(node, "sites", path)) area.add_site_ids(std::move(site));
}

void read_schedule(JsonReader& reader, const YAML::Node& parent, const std::string& service_path,
                   v1::Schedule& schedule) {
  const YAML::Node node = reader.object(parent, "schedule", service_path);
  if (!node.IsMap()) return;
  const std::string path = join(service_path, "schedule");
  reader.only_keys(node, {"open_24_7", "time_zone", "hours"}, path);
  // A bad value is reported; taking it as round the clock keeps its consequences out of the report.
  schedule.set_open_24_7(reader.boolean(node, "open_24_7", path).value_or(present(node["open_24_7"])));
  schedule.set_time_zone(reader.text(node, "time_zone", path).value_or(""));
  for (const auto& [item, item_path] : reader.objects(node, "hours", path)) {
    reader.only_keys(item, {"weekday", "opens", "closes"}, item_path);
    v1::OpeningHours& hours = *schedule.add_hours();
    hours.set_weekday(reader.number(item, "weekday", item_path).value_or(0));
    hours.set_opens_at(reader.text(item, "opens", item_path).value_or(""));
    hours.set_closes_at(reader.text(item, "closes", item_path).value_or(""));
  }
}

// Absent capacity is untracked; "tracked" defaults to whether a maximum is given, as in CSV.
void read_capacity(JsonReader& reader, const YAML::Node& parent, const std::string& service_path,
                   v1::Capacity& capacity) {
  const YAML::Node node = reader.object(parent, "capacity", service_path);
  if (!node.IsMap()) return;
  const std::string path = join(service_path, "capacity");
  reader.only_keys(node, {"tracked", "available", "maximum", "unit"}, path);
  const auto available = reader.number(node, "available", path);
  const auto maximum = reader.number(node, "maximum", path);
  capacity.set_tracked(reader.boolean(node, "tracked", path).value_or(present(node["maximum"])));
  capacity.set_unit(reader.text(node, "unit", path).value_or(""));
  if (!capacity.tracked()) {
    const std::string why = present(node["tracked"]) ? "only for tracked capacity (tracked is false)"
                                                     : "only with a maximum, which makes capacity tracked";
    for (const char* key : {"available", "maximum", "unit"}) {
      if (present(node[key])) reader.error(node[key], join(path, key), why);
    }
    return;
  }
  // Guessing the free places would either hide a free shelter or overfill a full one.
  if (!present(node["available"])) reader.error(node, join(path, "available"), "required when capacity is tracked");
  capacity.set_available(available.value_or(0));
  capacity.set_maximum(maximum.value_or(0));
}

void read_location(JsonReader& reader, const YAML::Node& parent, const std::string& service_path,
                   v1::ServiceLocation& location) {
  const YAML::Node node = reader.object(parent, "location", service_path);
  if (!node.IsMap()) return;
  const std::string path = join(service_path, "location");
  reader.only_keys(node, {"address", "municipality", "jurisdiction", "latitude", "longitude"}, path);
  location.set_address(reader.text(node, "address", path).value_or(""));
  location.set_municipality(reader.text(node, "municipality", path).value_or(""));
  location.set_jurisdiction(reader.name(node, "jurisdiction", vocabulary::kJurisdictions, path, "jurisdiction")
                                .value_or(common::JURISDICTION_UNSPECIFIED));
  if (auto latitude = reader.decimal(node, "latitude", path)) location.set_latitude(*latitude);
  if (auto longitude = reader.decimal(node, "longitude", path)) location.set_longitude(*longitude);
}

// Defaults: language "en", priority 1, purpose all, active.
void read_channels(JsonReader& reader, const YAML::Node& parent, const std::string& path, v1::Service& service) {
  for (const auto& [node, channel_path] : reader.objects(parent, "channels", path)) {
    reader.only_keys(node, {"channel", "address", "secret_id", "language", "priority", "purpose", "active"},
                     channel_path);
    v1::ContactChannel& channel = *service.add_channels();
    channel.set_channel(reader.name(node, "channel", vocabulary::kChannels, channel_path, "channel")
                            .value_or(notification::v1::CHANNEL_UNSPECIFIED));
    channel.set_address(reader.text(node, "address", channel_path).value_or(""));
    channel.set_secret_id(reader.text(node, "secret_id", channel_path).value_or(""));
    channel.set_language(reader.text(node, "language", channel_path).value_or("en"));
    channel.set_priority(reader.number(node, "priority", channel_path).value_or(1));
    channel.set_purpose(reader.name(node, "purpose", vocabulary::kContactPurposes, channel_path, "purpose")
                            .value_or(v1::CONTACT_PURPOSE_ALL));
    channel.set_active(reader.boolean(node, "active", channel_path).value_or(true));
  }
}

v1::Service read_service(JsonReader& reader, const YAML::Node& node, const std::string& path) {
  reader.only_keys(node,
                   {"id", "organization", "name", "description", "type", "status", "eligibility", "languages",
                    "interpretation_available", "area", "schedule", "capacity", "confidential_location", "location",
                    "channels", "contacts", "coordinates_jurisdictions", "fictional"},
                   path);
  v1::Service service;
  service.set_service_id(reader.text(node, "id", path).value_or(""));
  service.set_organization_id(reader.text(node, "organization", path).value_or(""));
  service.set_name(reader.text(node, "name", path).value_or(""));
  service.set_description(reader.text(node, "description", path).value_or(""));
  service.set_type(reader.name(node, "type", vocabulary::kServiceTypes, path, "service type")
                       .value_or(v1::SERVICE_TYPE_UNSPECIFIED));
  service.set_status(reader.name(node, "status", vocabulary::kServiceStatuses, path, "status")
                         .value_or(v1::SERVICE_STATUS_ACTIVE));
  read_eligibility(reader, node, path, *service.mutable_eligibility());
  for (auto& language : reader.texts(node, "languages", path)) service.add_languages(std::move(language));
  service.set_interpretation_available(reader.boolean(node, "interpretation_available", path).value_or(false));
  read_area(reader, node, path, *service.mutable_area());
  read_schedule(reader, node, path, *service.mutable_schedule());
  read_capacity(reader, node, path, *service.mutable_capacity());
  service.set_confidential_location(reader.boolean(node, "confidential_location", path).value_or(false));
  read_location(reader, node, path, *service.mutable_location());
  read_channels(reader, node, path, service);
  read_contacts(reader, node, path, *service.mutable_contacts());
  for (auto jurisdiction :
       reader.names(node, "coordinates_jurisdictions", vocabulary::kJurisdictions, path, "jurisdiction")) {
    service.add_coordinates_jurisdictions(jurisdiction);
  }
  service.set_fictional(reader.boolean(node, "fictional", path).value_or(false));
  return service;
}

// Where a record is, for the shared checks: the fields of errors the reader added since `first`.
RecordPlace place_of(const YAML::Node& record, const std::string& path, const DirectoryRecords& out,
                     std::size_t first) {
  RecordPlace place;
  place.locate = [record, path](std::string_view field) {
    return FieldPlace{line_of_field(record, field), join(path, field)};
  };
  for (std::size_t i = first; i < out.errors.size(); ++i) place.reported.push_back(out.errors[i].field());
  return place;
}

}  // namespace

DirectoryRecords parse_directory_json(std::string_view content, const std::string& /*source_name*/,
                                      const OrganizationExists& organization_exists) {
  DirectoryRecords out;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(content));
  } catch (const YAML::Exception& e) {
    out.errors.push_back(import_error(line_of(e.mark), "", "not valid JSON: " + e.msg));
    return out;
  }
  if (!root.IsMap()) {
    out.errors.push_back(import_error(present(root) ? line_of(root) : 1, "",
                                      "expected an object with \"organizations\" and \"services\" lists"));
    return out;
  }

  JsonReader reader(out);
  reader.only_keys(root, {"organizations", "services"}, "");
  std::vector<RecordPlace> organization_places;
  for (const auto& [node, path] : reader.objects(root, "organizations", "")) {
    const std::size_t first = out.errors.size();
    out.organizations.push_back(read_organization(reader, node, path));
    organization_places.push_back(place_of(node, path, out, first));
  }
  std::vector<RecordPlace> service_places;
  for (const auto& [node, path] : reader.objects(root, "services", "")) {
    const std::size_t first = out.errors.size();
    out.services.push_back(read_service(reader, node, path));
    service_places.push_back(place_of(node, path, out, first));
  }
  check_records(organization_places, service_places, "line", organization_exists, out);
  return out;
}

}  // namespace pact::routing
