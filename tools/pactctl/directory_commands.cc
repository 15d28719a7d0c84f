// directory import, list and capacity: the provider directory routing owns.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <iostream>
#include <limits>
#include <string>

#include <grpcpp/grpcpp.h>

#include "case_views.h"
#include "cli_options.h"
#include "commands.h"
#include "list_flags.h"
#include "message_files.h"
#include "output.h"
#include "pact/routing/v1/directory.grpc.pb.h"
#include "proto_text.h"
#include "table.h"

namespace pactctl {
namespace {

namespace common = pact::common::v1;
namespace routing = pact::routing::v1;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string jurisdictions_text(const google::protobuf::RepeatedField<int>& jurisdictions) {
  std::string out = labels<common::Jurisdiction>(jurisdictions);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

std::string capacity_text(const routing::Capacity& capacity) {
  if (!capacity.tracked()) return "untracked";
  std::string out = std::to_string(capacity.available()) + "/" + std::to_string(capacity.maximum());
  return capacity.unit().empty() ? out : out + " " + capacity.unit();
}

routing::ImportFormat import_format(const std::string& path, const std::string& flag) {
  if (!flag.empty()) {
    return parse_enum_as<routing::ImportFormat>(flag, "--format");
  }
  const std::string name = lower(path);
  if (name.ends_with(".json")) return routing::IMPORT_FORMAT_JSON;
  if (name.ends_with(".csv")) return routing::IMPORT_FORMAT_CSV;
  throw InputError(path + ": say --format json or --format csv (the name does not end in .json or .csv)");
}

// A CSV file holds one kind of record; the header tells which: services name their organisation,
// organisations their kind.
routing::ImportRecords csv_records(const std::string& path, const std::string& content) {
  std::string header = content.substr(0, content.find('\n'));
  if (header.rfind("\xEF\xBB\xBF", 0) == 0) header.erase(0, 3);  // a byte order mark from spreadsheets
  std::vector<std::string> columns;
  for (auto column : split_list(header)) {
    column.erase(std::remove(column.begin(), column.end(), '"'), column.end());
    column.erase(std::remove(column.begin(), column.end(), '\r'), column.end());
    columns.push_back(lower(column));
  }
  auto has = [&](const std::string& name) { return std::find(columns.begin(), columns.end(), name) != columns.end(); };
  if (has("organization")) return routing::IMPORT_RECORDS_SERVICES;
  if (has("kind")) return routing::IMPORT_RECORDS_ORGANIZATIONS;
  throw InputError(path + ": cannot tell from the header whether it holds organisations or services; give --records");
}

int import_directory(const Arguments& args) {
  allow_session_flags_and(args, {"format", "records", "dry-run"});
  args.at_most_words(2);
  const std::string path = args.word(1, "FILE");
  routing::ImportDirectoryRequest request;
  request.set_format(import_format(path, args.option("format", "")));
  const std::string content = read_file_text(path);
  if (content.empty()) throw InputError(path + ": is empty");
  if (request.format() == routing::IMPORT_FORMAT_CSV) {
    auto records = args.find("records");
    request.set_records(records ? parse_enum_as<routing::ImportRecords>(*records, "--records") : csv_records(path, content));
  } else if (args.has("records")) {
    throw UsageError("--records is for CSV files; a JSON file holds organisations and services");
  }
  request.set_content(content);
  // Routing names the rows of its errors after this ("sample-services.csv:12: ...").
  request.set_source_name(path == "-" ? "stdin" : std::filesystem::path(path).filename().string());
  request.set_dry_run(args.on("dry-run"));
  const Session session = Session::open(args);

  auto stub = routing::DirectoryService::NewStub(session.channel(ServiceName::routing));
  routing::ImportDirectoryResponse response;
  auto status = session.call([&](grpc::ClientContext* context) { return stub->ImportDirectory(context, request, &response); });
  if (!status.ok()) {
    report_failure(session.describe(ServiceName::routing, "ImportDirectory"), status);
    std::cerr << "  nothing was imported (an import is all or nothing)\n";
    return 1;
  }
  if (session.json()) {
    print_json(to_json(response));
    return 0;
  }
  std::cout << (request.dry_run() ? "dry run of " : "imported ") << request.source_name() << ": organisations "
            << response.organizations_added() << " added, " << response.organizations_updated() << " updated; services "
            << response.services_added() << " added, " << response.services_updated() << " updated"
            << (request.dry_run() ? " (nothing was written)" : "") << '\n';
  for (const auto& error : response.errors()) {
    std::cout << "  " << request.source_name() << ":" << error.row() << ": " << error.field() << ": " << error.message()
              << '\n';
  }
  return response.errors().empty() ? 0 : 1;
}

int list_services(const Arguments& args, const Session& session) {
  routing::ListServicesRequest request;
  if (auto type = args.find("type")) request.set_type(parse_enum_as<routing::ServiceType>(*type, "--type"));
  if (auto jurisdiction = args.find("jurisdiction")) {
    request.set_jurisdiction(parse_enum_as<common::Jurisdiction>(*jurisdiction, "--jurisdiction"));
  }
  request.set_site_id(args.option("site", ""));
  request.set_organization_id(args.option("provider", ""));
  if (auto statuses = args.find("status")) {
    for (auto status : parse_enum_list<routing::ServiceStatus>(*statuses, "--status")) request.add_statuses(status);
  }
  request.set_with_capacity_only(args.on("with-capacity"));

  auto stub = routing::DirectoryService::NewStub(session.channel(ServiceName::routing));
  routing::ListServicesResponse response;
  auto status = collect_pages(request, page_choice(args), response, [&](const auto& page_request, auto& page) {
    return session.call([&](grpc::ClientContext* context) { return stub->ListServices(context, page_request, &page); });
  });
  if (!status.ok()) return report_failure(session.describe(ServiceName::routing, "ListServices"), status);
  if (session.json()) {
    print_json(to_json(response));
    return 0;
  }
  Table table({"SERVICE", "ORGANISATION", "TYPE", "STATUS", "CAPACITY", "AREA", "HOURS", "LANGUAGES", "NOTE"});
  for (const auto& service : response.services()) {
    std::string note;
    if (service.confidential_location()) note = "confidential location";
    if (service.fictional()) note += (note.empty() ? "" : ", ") + std::string("fictional");
    table.add({service.service_id(), service.organization_id(), label(service.type()), label(service.status()),
               capacity_text(service.capacity()), jurisdictions_text(service.area().jurisdictions()),
               service.schedule().open_24_7() ? "24/7" : (service.schedule().hours().empty() ? "" : "set hours"),
               joined(service.languages()), note});
  }
  if (table.empty()) {
    std::cout << "no services match\n";
  } else {
    table.print(std::cout);
  }
  hint_more_pages(response.page(), static_cast<std::size_t>(response.services_size()));
  return 0;
}

int list_organisations(const Arguments& args, const Session& session) {
  routing::ListOrganizationsRequest request;
  if (auto jurisdiction = args.find("jurisdiction")) {
    request.set_jurisdiction(parse_enum_as<common::Jurisdiction>(*jurisdiction, "--jurisdiction"));
  }
  if (auto kind = args.find("kind")) request.set_kind(parse_enum_as<routing::OrganizationKind>(*kind, "--kind"));

  auto stub = routing::DirectoryService::NewStub(session.channel(ServiceName::routing));
  routing::ListOrganizationsResponse response;
  auto status = collect_pages(request, page_choice(args), response, [&](const auto& page_request, auto& page) {
    return session.call([&](grpc::ClientContext* context) { return stub->ListOrganizations(context, page_request, &page); });
  });
  if (!status.ok()) return report_failure(session.describe(ServiceName::routing, "ListOrganizations"), status);
  if (session.json()) {
    print_json(to_json(response));
    return 0;
  }
  Table table({"ORGANISATION", "KIND", "JURISDICTIONS", "NAME"});
  for (const auto& organization : response.organizations()) {
    table.add({organization.organization_id(), label(organization.kind()), jurisdictions_text(organization.jurisdictions()),
               organization.name() + (organization.fictional() ? " [fictional]" : "")});
  }
  if (table.empty()) {
    std::cout << "no organisations match\n";
  } else {
    table.print(std::cout);
  }
  hint_more_pages(response.page(), static_cast<std::size_t>(response.organizations_size()));
  return 0;
}

int list_directory(const Arguments& args) {
  args.at_most_words(2);
  const std::string what = lower(args.words.size() > 1 ? args.words[1] : "services");
  const bool organisations = what == "organisations" || what == "organizations";
  if (!organisations && what != "services") throw UsageError("list services or organisations, not '" + what + "'");
  if (organisations) {
    allow_session_flags_and(args, join_flags({kPageFlags, {"jurisdiction", "kind"}}));
  } else {
    allow_session_flags_and(args,
                            join_flags({kPageFlags, {"type", "jurisdiction", "site", "provider", "status", "with-capacity"}}));
  }
  const Session session = Session::open(args);
  return organisations ? list_organisations(args, session) : list_services(args, session);
}

int set_capacity(const Arguments& args) {
  allow_session_flags_and(args, {"available", "maximum", "unit", "expected-version"});
  args.at_most_words(2);
  routing::SetCapacityRequest request;
  request.set_service_id(args.word(1, "SERVICE_ID"));
  auto available = number_option(args, "available", 0, 1'000'000);
  if (!available) throw UsageError("--available is required: the places free now, as you count them");
  request.set_available(static_cast<std::uint32_t>(*available));
  if (auto maximum = number_option(args, "maximum", 0, 1'000'000)) request.set_maximum(static_cast<std::uint32_t>(*maximum));
  request.set_unit(args.option("unit", ""));
  if (auto version = number_option(args, "expected-version", 1, std::numeric_limits<long long>::max())) {
    request.set_expected_version(static_cast<std::uint64_t>(*version));
  }
  const Session session = Session::open(args);

  auto stub = routing::DirectoryService::NewStub(session.channel(ServiceName::routing));
  routing::SetCapacityResponse response;
  auto status = session.call([&](grpc::ClientContext* context) { return stub->SetCapacity(context, request, &response); });
  if (!status.ok()) return report_failure(session.describe(ServiceName::routing, "SetCapacity"), status);
  if (session.json()) {
    print_json(to_json(response));
    return 0;
  }
  std::cout << "capacity of " << request.service_id() << ": " << capacity_text(response.capacity()) << " free (version "
            << response.capacity().version() << ", " << format_time(response.capacity().updated_at()) << ")\n";
  return 0;
}

}  // namespace

int directory(const Arguments& args) {
  const std::string& action = args.word(0, "what to do: import, list or capacity");
  if (action == "import") return import_directory(args);
  if (action == "list") return list_directory(args);
  if (action == "capacity") return set_capacity(args);
  throw UsageError("unknown action '" + action + "' (import, list or capacity)");
}

}  // namespace pactctl
