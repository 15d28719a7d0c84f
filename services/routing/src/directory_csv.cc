// The CSV import format: one kind of record per file, a header row naming the columns, lists
// inside a cell separated by ';'. Errors name the row (header = 1) and the column.
#include "directory_import.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <span>
#include <utility>

#include "config/yaml_reader.h"
#include "csv_table.h"
#include "directory_checks.h"
#include "vocabulary.h"

namespace pact::routing {
namespace {

using config::NameTable;

struct Column {
  std::string_view name;
  bool required;
};

constexpr Column kOrganizationColumns[] = {{"id", true},       {"name", true},      {"kind", true},
                                           {"jurisdictions", true}, {"website", false}, {"fictional", false},
                                           {"description", false}};

constexpr Column kServiceColumns[] = {
    {"id", true},
    {"organization", true},
    {"name", true},
    {"type", true},
    {"status", false},
    {"description", false},
    {"jurisdictions", true},
    {"municipalities", false},
    {"sites", false},
    {"minimum_age", false},
    {"maximum_age", false},
    {"genders", false},
    {"languages", false},
    {"interpretation_available", false},
    {"open_24_7", false},
    {"time_zone", false},
    {"hours", false},
    {"capacity_available", false},
    {"capacity_maximum", false},
    {"capacity_unit", false},
    {"confidential_location", false},
    {"address", false},
    {"municipality", false},
    {"webhook_url", false},
    {"webhook_secret_id", false},
    {"email", false},
    {"sms", false},
    {"channel_language", false},
    {"coordinates_jurisdictions", false},
    {"fictional", false}};

// The channels a service row can name, in priority order.
struct ChannelColumn {
  std::string_view column;
  notification::v1::Channel channel;
};
constexpr ChannelColumn kChannelColumns[] = {{"webhook_url", notification::v1::CHANNEL_WEBHOOK},
                                             {"email", notification::v1::CHANNEL_EMAIL},
                                             {"sms", notification::v1::CHANNEL_SMS}};

// Validation names fields by their JSON path; these are the ones whose column has another name.
// Any other field's column is the first part of its path ("languages[2]" -> languages).
constexpr std::pair<std::string_view, std::string_view> kServiceFieldColumns[] = {
    {"eligibility.minimum_age", "minimum_age"},  {"eligibility.maximum_age", "maximum_age"},
    {"eligibility.genders", "genders"},          {"area.jurisdictions", "jurisdictions"},
    {"area.municipalities", "municipalities"},   {"area.sites", "sites"},
    {"schedule.time_zone", "time_zone"},         {"schedule.hours", "hours"},
    {"capacity.available", "capacity_available"}, {"capacity.maximum", "capacity_maximum"},
    {"capacity.unit", "capacity_unit"},          {"location.address", "address"},
    {"location.municipality", "municipality"},   {"location.jurisdiction", "jurisdictions"},
    {"channels", "webhook_url"}};

using ColumnIndex = std::map<std::string, std::size_t, std::less<>>;

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

std::string without_indices(std::string_view field) {
  std::string out;
  bool in_index = false;
  for (char c : field) {
    if (c == '[') in_index = true;
    if (!in_index) out += c;
    if (c == ']') in_index = false;
  }
  return out;
}

std::string column_of(std::string_view field, std::span<const std::pair<std::string_view, std::string_view>> renamed) {
  const std::string path = without_indices(field);
  for (const auto& [json, column] : renamed) {
    if (path == json || (path.starts_with(json) && path[json.size()] == '.')) return std::string(column);
  }
  return path.substr(0, path.find('.'));
}

// "channels[1].address" is the cell that made channel 1.
std::string service_column(std::string_view field, const std::vector<std::string_view>& channel_columns) {
  if (field.starts_with("channels[")) {
    const auto close = field.find(']');
    const std::size_t index = std::stoul(std::string(field.substr(9, close - 9)));
    const std::string_view rest = field.substr(close + 1);
    if (rest == ".language") return "channel_language";
    if (rest == ".secret_id") return "webhook_secret_id";
    if (index < channel_columns.size()) return std::string(channel_columns[index]);
  }
  return column_of(field, kServiceFieldColumns);
}

// One data row: its cells by column name, and the errors found in it.
class CsvRow {
 public:
  CsvRow(const CsvRecord& record, const ColumnIndex& columns, DirectoryRecords& out)
      : record_(record), columns_(columns), out_(out) {}

  // Trimmed; empty when the file has no such column.
  std::string cell(std::string_view column) const {
    auto found = columns_.find(column);
    return found == columns_.end() ? std::string() : std::string(trim(record_.cells[found->second]));
  }

  void error(std::string_view column, std::string message) {
    out_.errors.push_back(import_error(record_.row, std::string(column), std::move(message)));
    reported_.emplace_back(column);
  }

  // Empty is false; spreadsheets write TRUE and FALSE.
  std::optional<bool> boolean(std::string_view column) {
    std::string value = cell(column);
    std::transform(value.begin(), value.end(), value.begin(),
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    if (value.empty() || value == "false" || value == "no" || value == "0") return false;
    if (value == "true" || value == "yes" || value == "1") return true;
    error(column, "'" + cell(column) + "' is not one of true, false, yes, no, 1, 0");
    return std::nullopt;
  }

  // Empty is absent.
  std::optional<std::uint32_t> number(std::string_view column) {
    const std::string value = cell(column);
    if (value.empty()) return std::nullopt;
    constexpr std::uint64_t kLargest = std::numeric_limits<std::uint32_t>::max();
    const bool digits = value.size() <= 10 && std::all_of(value.begin(), value.end(), [](char c) {
                          return c >= '0' && c <= '9';
                        });
    std::uint64_t total = 0;
    if (digits) {
      for (char c : value) total = total * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (!digits || total > kLargest) {
      error(column, "'" + value + "' is not a whole number from 0 to " + std::to_string(kLargest));
      return std::nullopt;
    }
    return static_cast<std::uint32_t>(total);
  }

  // Empty is absent.
  template <typename T>
  std::optional<T> name(std::string_view column, NameTable<T> table, std::string_view what) {
    const std::string value = cell(column);
    if (value.empty()) return std::nullopt;
    return lookup(column, value, table, what);
  }

  // The items of a ';'-separated cell, trimmed, empty ones left out.
  std::vector<std::string> list(std::string_view column) const {
    std::vector<std::string> items;
    const std::string value = cell(column);
    std::string_view rest = value;
    while (!rest.empty()) {
      const auto end = rest.find(';');
      const std::string_view item = trim(rest.substr(0, end));
      if (!item.empty()) items.emplace_back(item);
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    }
    return items;
  }

  template <typename T>
  std::vector<T> names(std::string_view column, NameTable<T> table, std::string_view what) {
    std::vector<T> out;
    for (const std::string& item : list(column)) {
      if (auto value = lookup(column, item, table, what)) out.push_back(*value);
    }
    return out;
  }

  // For the shared checks; `column_for` maps a validation field to this file's column.
  RecordPlace place(std::function<std::string(std::string_view)> column_for) const {
    RecordPlace place;
    place.locate = [row = record_.row, column_for = std::move(column_for)](std::string_view field) {
      return FieldPlace{row, column_for(field)};
    };
    place.reported = reported_;
    return place;
  }

 private:
  template <typename T>
  std::optional<T> lookup(std::string_view column, const std::string& value, NameTable<T> table, std::string_view what) {
    for (const auto& [name, candidate] : table) {
      if (value == name) return candidate;
    }
    error(column, "unknown " + std::string(what) + " '" + value + "' (expected one of: " + config::names_of(table) + ")");
    return std::nullopt;
  }

  const CsvRecord& record_;
  const ColumnIndex& columns_;
  DirectoryRecords& out_;
  std::vector<std::string> reported_;
};

v1::Organization read_organization(CsvRow& row) {
  v1::Organization organization;
  organization.set_organization_id(row.cell("id"));
  organization.set_name(row.cell("name"));
  organization.set_kind(
      row.name("kind", vocabulary::kOrganizationKinds, "organisation kind").value_or(v1::ORGANIZATION_KIND_UNSPECIFIED));
  for (auto jurisdiction : row.names("jurisdictions", vocabulary::kJurisdictions, "jurisdiction")) {
    organization.add_jurisdictions(jurisdiction);
  }
  organization.set_website(row.cell("website"));
  organization.set_fictional(row.boolean("fictional").value_or(false));
  organization.set_description(row.cell("description"));
  return organization;
}

// One item of the hours cell: "1-5 08:00-16:00" (Monday to Friday) or "6 09:00-13:00" (Saturday).
bool add_hours(std::string_view item, v1::Schedule& schedule) {
  const auto space = item.find(' ');
  if (space == std::string_view::npos) return false;
  const std::string_view days = item.substr(0, space);
  const std::string_view times = trim(item.substr(space + 1));
  auto weekday = [](char c) { return c >= '1' && c <= '7' ? static_cast<std::uint32_t>(c - '0') : 0u; };
  std::uint32_t first = 0;
  std::uint32_t last = 0;
  if (days.size() == 1) {
    first = last = weekday(days[0]);
  } else if (days.size() == 3 && days[1] == '-') {
    first = weekday(days[0]);
    last = weekday(days[2]);
  }
  const auto dash = times.find('-');
  const bool one_dash = dash != std::string_view::npos && times.find('-', dash + 1) == std::string_view::npos;
  if (first == 0 || last < first || !one_dash) return false;
  const std::string_view opens = trim(times.substr(0, dash));
  const std::string_view closes = trim(times.substr(dash + 1));
  for (std::uint32_t day = first; day <= last; ++day) {
    v1::OpeningHours& hours = *schedule.add_hours();
    hours.set_weekday(day);
    hours.set_opens_at(std::string(opens));
    hours.set_closes_at(std::string(closes));
  }
  return true;
}

void read_schedule(CsvRow& row, v1::Schedule& schedule) {
  // A bad value is reported; taking it as round the clock keeps its consequences out of the report.
  schedule.set_open_24_7(row.boolean("open_24_7").value_or(true));
  schedule.set_time_zone(row.cell("time_zone"));
  for (const std::string& item : row.list("hours")) {
    if (!add_hours(item, schedule)) {
      row.error("hours", "'" + item + "' is not like '1-5 08:00-16:00' (weekdays 1 = Monday to 7 = Sunday, a space, "
                                      "then opening and closing time)");
    }
  }
}

// Tracked when capacity_maximum is given.
void read_capacity(CsvRow& row, v1::Capacity& capacity) {
  if (row.cell("capacity_maximum").empty()) {
    for (std::string_view column : {"capacity_available", "capacity_unit"}) {
      if (!row.cell(column).empty()) row.error(column, "only with capacity_maximum (which makes capacity tracked)");
    }
    return;
  }
  capacity.set_tracked(true);
  capacity.set_maximum(row.number("capacity_maximum").value_or(0));
  capacity.set_unit(row.cell("capacity_unit"));
  // Guessing the free places would either hide a free shelter or overfill a full one.
  if (row.cell("capacity_available").empty()) {
    row.error("capacity_available", "required when capacity_maximum is given");
  } else {
    capacity.set_available(row.number("capacity_available").value_or(0));
  }
}

// Each address given becomes an active channel for everything, in the order of kChannelColumns.
void read_channels(CsvRow& row, v1::Service& service, std::vector<std::string_view>& channel_columns) {
  std::string language = row.cell("channel_language");
  if (language.empty()) language = "en";
  std::uint32_t priority = 0;
  for (const auto& [column, kind] : kChannelColumns) {
    ++priority;
    const std::string address = row.cell(column);
    if (address.empty()) continue;
    v1::ContactChannel& channel = *service.add_channels();
    channel.set_channel(kind);
    channel.set_address(address);
    if (kind == notification::v1::CHANNEL_WEBHOOK) channel.set_secret_id(row.cell("webhook_secret_id"));
    channel.set_language(language);
    channel.set_priority(priority);
    channel.set_purpose(v1::CONTACT_PURPOSE_ALL);
    channel.set_active(true);
    channel_columns.push_back(column);
  }
  if (row.cell("webhook_url").empty() && !row.cell("webhook_secret_id").empty()) {
    row.error("webhook_secret_id", "only with webhook_url");
  }
}

v1::Service read_service(CsvRow& row, std::vector<std::string_view>& channel_columns) {
  v1::Service service;
  service.set_service_id(row.cell("id"));
  service.set_organization_id(row.cell("organization"));
  service.set_name(row.cell("name"));
  service.set_type(row.name("type", vocabulary::kServiceTypes, "service type").value_or(v1::SERVICE_TYPE_UNSPECIFIED));
  service.set_status(row.name("status", vocabulary::kServiceStatuses, "status").value_or(v1::SERVICE_STATUS_ACTIVE));
  service.set_description(row.cell("description"));

  v1::ServiceArea& area = *service.mutable_area();
  for (auto jurisdiction : row.names("jurisdictions", vocabulary::kJurisdictions, "jurisdiction")) {
    area.add_jurisdictions(jurisdiction);
  }
  for (auto& municipality : row.list("municipalities")) area.add_municipalities(std::move(municipality));
  for (auto& site : row.list("sites")) area.add_site_ids(std::move(site));

  v1::Eligibility& eligibility = *service.mutable_eligibility();
  if (auto age = row.number("minimum_age")) eligibility.set_minimum_age(*age);
  if (auto age = row.number("maximum_age")) eligibility.set_maximum_age(*age);
  for (auto gender : row.names("genders", vocabulary::kGenders, "gender")) eligibility.add_genders(gender);

  for (auto& language : row.list("languages")) service.add_languages(std::move(language));
  service.set_interpretation_available(row.boolean("interpretation_available").value_or(false));
  read_schedule(row, *service.mutable_schedule());
  read_capacity(row, *service.mutable_capacity());
  service.set_confidential_location(row.boolean("confidential_location").value_or(false));

  // The file has no column for the location's jurisdiction: it is the first one served.
  if (!row.cell("address").empty() || !row.cell("municipality").empty()) {
    v1::ServiceLocation& location = *service.mutable_location();
    location.set_address(row.cell("address"));
    location.set_municipality(row.cell("municipality"));
    if (!area.jurisdictions().empty()) location.set_jurisdiction(area.jurisdictions(0));
  }
  read_channels(row, service, channel_columns);
  for (auto jurisdiction : row.names("coordinates_jurisdictions", vocabulary::kJurisdictions, "jurisdiction")) {
    service.add_coordinates_jurisdictions(jurisdiction);
  }
  service.set_fictional(row.boolean("fictional").value_or(false));
  return service;
}

// The column positions, or nothing when the header is wrong (rows cannot be read then).
std::optional<ColumnIndex> read_header(const CsvRecord& header, std::span<const Column> columns, DirectoryRecords& out) {
  ColumnIndex index;
  const std::size_t before = out.errors.size();
  std::string expected;
  for (const Column& column : columns) expected += (expected.empty() ? "" : ", ") + std::string(column.name);
  for (std::size_t i = 0; i < header.cells.size(); ++i) {
    const std::string name(trim(header.cells[i]));
    const bool known = std::any_of(columns.begin(), columns.end(), [&](const Column& c) { return c.name == name; });
    if (!known) {
      out.errors.push_back(import_error(header.row, name, "unknown column '" + name + "' (expected: " + expected + ")"));
    } else if (!index.emplace(name, i).second) {
      out.errors.push_back(import_error(header.row, name, "column '" + name + "' appears twice"));
    }
  }
  for (const Column& column : columns) {
    if (column.required && !index.contains(column.name)) {
      const std::string name(column.name);
      out.errors.push_back(import_error(header.row, name, "missing required column '" + name + "'"));
    }
  }
  if (out.errors.size() != before) return std::nullopt;
  return index;
}

bool all_blank(const CsvRecord& record) {
  return std::all_of(record.cells.begin(), record.cells.end(),
                     [](const std::string& cell) { return trim(cell).empty(); });
}

}  // namespace

DirectoryRecords parse_directory_csv(std::string_view content, v1::ImportRecords records,
                                     const std::string& /*source_name*/, const OrganizationExists& organization_exists) {
  DirectoryRecords out;
  if (records != v1::IMPORT_RECORDS_ORGANIZATIONS && records != v1::IMPORT_RECORDS_SERVICES) {
    out.errors.push_back(import_error(1, "", "say what the CSV file holds: organizations or services"));
    return out;
  }
  const bool services = records == v1::IMPORT_RECORDS_SERVICES;
  CsvTable table = read_csv(content);
  for (const CsvProblem& problem : table.problems) out.errors.push_back(import_error(problem.row, "", problem.message));
  if (table.records.empty()) {
    out.errors.push_back(import_error(1, "", "the file is empty: expected a header row naming the columns"));
    return out;
  }
  const auto columns = read_header(table.records.front(), services ? std::span<const Column>(kServiceColumns)
                                                                   : std::span<const Column>(kOrganizationColumns),
                                   out);
  if (!columns) return out;

  std::vector<RecordPlace> organization_places;
  std::vector<RecordPlace> service_places;
  for (std::size_t i = 1; i < table.records.size(); ++i) {
    const CsvRecord& record = table.records[i];
    if (all_blank(record)) continue;
    if (record.cells.size() != table.records.front().cells.size()) {
      out.errors.push_back(import_error(record.row, "",
                                        "the row has " + std::to_string(record.cells.size()) + " cells, the header " +
                                            std::to_string(table.records.front().cells.size())));
      continue;
    }
    CsvRow row(record, *columns, out);
    if (services) {
      std::vector<std::string_view> channel_columns;
      out.services.push_back(read_service(row, channel_columns));
      service_places.push_back(row.place([channel_columns](std::string_view field) {
        return service_column(field, channel_columns);
      }));
    } else {
      out.organizations.push_back(read_organization(row));
      organization_places.push_back(row.place([](std::string_view field) { return column_of(field, {}); }));
    }
  }
  check_records(organization_places, service_places, "row", organization_exists, out);
  return out;
}

}  // namespace pact::routing
