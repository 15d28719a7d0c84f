#include "directory_import.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "directory_validation.h"

namespace pact::routing {
namespace {

const char* kGoodJson = R"json({
  "organizations": [
    {
      "id": "rs-test-ngo",
      "name": "Test NGO (fictional)",
      "kind": "ngo",
      "jurisdictions": ["RS"],
      "website": "https://rs-test-ngo.example.org",
      "fictional": true,
      "contacts": [{"name": "Case manager", "email": "cases@example.org", "languages": ["sr", "en"]}]
    },
    {"id": "rs-test-eoc", "name": "Test EOC (fictional)", "kind": "coordination", "jurisdictions": ["RS"]}
  ],
  "services": [
    {
      "id": "rs-test-shelter",
      "organization": "rs-test-ngo",
      "name": "Test shelter (fictional)",
      "type": "safe_accommodation",
      "eligibility": {"minimum_age": 18, "genders": ["female"]},
      "languages": ["sr", "en", "ar"],
      "area": {"jurisdictions": ["RS"], "municipalities": ["Preševo"], "sites": ["rs-presevo-rc"]},
      "schedule": {"time_zone": "Europe/Belgrade", "hours": [{"weekday": 1, "opens": "08:00", "closes": "16:00"}]},
      "capacity": {"tracked": true, "available": 5, "maximum": 10, "unit": "beds"},
      "confidential_location": true,
      "location": {"address": "Withheld", "municipality": "Preševo", "jurisdiction": "RS", "latitude": 42.3, "longitude": 21.6},
      "channels": [
        {"channel": "webhook", "address": "https://hooks.example.org/rs-test-shelter", "secret_id": "sample-webhook", "purpose": "referrals"},
        {"channel": "email", "address": "shelter@example.org", "language": "sr", "priority": 2}
      ],
      "fictional": true
    },
    {
      "id": "rs-test-eoc-duty-desk",
      "organization": "rs-test-eoc",
      "name": "Test EOC duty desk (fictional)",
      "type": "eoc_duty_desk",
      "status": "active",
      "area": {"jurisdictions": ["RS"]},
      "schedule": {"open_24_7": true},
      "channels": [{"channel": "sms", "address": "+381601234567"}],
      "coordinates_jurisdictions": ["RS"]
    }
  ]
})json";

const char* kServiceHeader =
    "id,organization,name,type,status,description,jurisdictions,municipalities,sites,minimum_age,maximum_age,genders,"
    "languages,interpretation_available,open_24_7,time_zone,hours,capacity_available,capacity_maximum,capacity_unit,"
    "confidential_location,address,municipality,webhook_url,webhook_secret_id,email,sms,channel_language,"
    "coordinates_jurisdictions,fictional";

// Organisations a test's directory already holds.
bool known(const std::string& id) { return id == "rs-test-ngo" || id == "rs-test-eoc"; }

std::string replaced(std::string text, std::string_view from, std::string_view to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "the test text has no '" << from << "'";
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// The 1-based line of the `occurrence`-th appearance of `needle`.
std::uint32_t line_of(std::string_view text, std::string_view needle, int occurrence = 1) {
  std::size_t at = std::string_view::npos;
  for (int i = 0; i < occurrence; ++i) at = text.find(needle, at == std::string_view::npos ? 0 : at + 1);
  EXPECT_NE(at, std::string_view::npos) << "the test text has no '" << needle << "'";
  if (at == std::string_view::npos) return 0;
  return static_cast<std::uint32_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n') + 1);
}

std::string describe(const std::vector<v1::ImportError>& errors) {
  std::string out;
  for (const auto& error : errors) {
    out += std::to_string(error.row()) + ": " + error.field() + ": " + error.message() + "\n";
  }
  return out.empty() ? "no errors\n" : out;
}

bool has_error(const DirectoryRecords& records, std::uint32_t row, std::string_view field, std::string_view text) {
  return std::any_of(records.errors.begin(), records.errors.end(), [&](const v1::ImportError& error) {
    return error.row() == row && error.field() == field && error.message().find(text) != std::string::npos;
  });
}

// Quoted as RFC 4180 wants when it holds a comma, a quote or a line break.
std::string csv_cell(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// A services CSV line with every column of kServiceHeader: a valid legal aid service, changed by `cells`.
std::string service_row(std::map<std::string, std::string> cells) {
  std::map<std::string, std::string> row = {{"id", "rs-csv-legal-aid"},
                                            {"organization", "rs-test-ngo"},
                                            {"name", "CSV legal aid (fictional)"},
                                            {"type", "legal_aid"},
                                            {"jurisdictions", "RS"},
                                            {"open_24_7", "true"},
                                            {"webhook_url", "https://hooks.example.org/rs-csv-legal-aid"},
                                            {"webhook_secret_id", "sample-webhook"},
                                            {"fictional", "true"}};
  for (auto& [column, value] : cells) row[column] = value;
  std::string line;
  std::stringstream header(kServiceHeader);
  for (std::string column; std::getline(header, column, ',');) {
    line += (line.empty() ? "" : ",") + csv_cell(row[column]);
  }
  return line + "\r\n";
}

std::string services_csv(const std::vector<std::string>& rows) {
  std::string csv = std::string(kServiceHeader) + "\r\n";
  for (const auto& row : rows) csv += row;
  return csv;
}

DirectoryRecords read_services_csv(const std::string& csv) {
  return parse_directory_csv(csv, v1::IMPORT_RECORDS_SERVICES, "services.csv", known);
}

std::string file_content(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot read " << path;
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

TEST(DirectoryImport, ReadsGoodJsonWithItsDefaults) {
  auto records = parse_directory_json(kGoodJson, "good.json", {});
  ASSERT_TRUE(records.errors.empty()) << describe(records.errors);
  ASSERT_EQ(records.organizations.size(), 2u);
  ASSERT_EQ(records.services.size(), 2u);

  const v1::Organization& ngo = records.organizations[0];
  EXPECT_EQ(ngo.organization_id(), "rs-test-ngo");
  EXPECT_EQ(ngo.kind(), v1::ORGANIZATION_KIND_NGO);
  EXPECT_TRUE(ngo.fictional());
  ASSERT_EQ(ngo.contacts_size(), 1);
  EXPECT_EQ(ngo.contacts(0).languages_size(), 2);

  const v1::Service& shelter = records.services[0];
  EXPECT_EQ(shelter.type(), v1::SERVICE_TYPE_SAFE_ACCOMMODATION);
  EXPECT_EQ(shelter.status(), v1::SERVICE_STATUS_ACTIVE);  // absent means active
  EXPECT_EQ(shelter.eligibility().minimum_age(), 18u);
  EXPECT_FALSE(shelter.eligibility().has_maximum_age());
  EXPECT_EQ(shelter.eligibility().genders(0), common::GENDER_FEMALE);
  EXPECT_EQ(shelter.area().municipalities(0), "Preševo");
  EXPECT_EQ(shelter.area().site_ids(0), "rs-presevo-rc");
  EXPECT_EQ(shelter.schedule().hours(0).opens_at(), "08:00");
  EXPECT_TRUE(shelter.capacity().tracked());
  EXPECT_EQ(shelter.capacity().available(), 5u);
  EXPECT_EQ(shelter.capacity().maximum(), 10u);
  EXPECT_TRUE(shelter.confidential_location());
  EXPECT_DOUBLE_EQ(shelter.location().latitude(), 42.3);
  ASSERT_EQ(shelter.channels_size(), 2);
  EXPECT_EQ(shelter.channels(0).purpose(), v1::CONTACT_PURPOSE_REFERRALS);
  EXPECT_EQ(shelter.channels(0).language(), "en");  // default
  EXPECT_TRUE(shelter.channels(0).active());        // default
  EXPECT_EQ(shelter.channels(1).purpose(), v1::CONTACT_PURPOSE_ALL);  // default
  EXPECT_EQ(shelter.channels(1).priority(), 2u);

  const v1::Service& desk = records.services[1];
  EXPECT_FALSE(desk.capacity().tracked());  // no capacity: untracked
  EXPECT_TRUE(desk.schedule().open_24_7());
  EXPECT_EQ(desk.channels(0).channel(), notification::v1::CHANNEL_SMS);
  ASSERT_EQ(desk.coordinates_jurisdictions_size(), 1);
  EXPECT_EQ(desk.coordinates_jurisdictions(0), common::JURISDICTION_RS);
}

TEST(DirectoryImport, ReadsGoodOrganizationsCsvWithQuotedCommasAndCrlf) {
  const std::string csv =
      "id,name,kind,jurisdictions,website,fictional,description\r\n"
      "rs-test-ngo,\"Test NGO, Preševo (fictional)\",ngo,RS; MK,https://rs-test-ngo.example.org,TRUE,"
      "\"Says \"\"hello\"\", in two languages\"\r\n"
      "\r\n"
      "rs-test-eoc,Test EOC (fictional),coordination,RS,,no,\r\n";
  auto records = parse_directory_csv(csv, v1::IMPORT_RECORDS_ORGANIZATIONS, "organizations.csv", {});
  ASSERT_TRUE(records.errors.empty()) << describe(records.errors);
  ASSERT_EQ(records.organizations.size(), 2u);
  const v1::Organization& ngo = records.organizations[0];
  EXPECT_EQ(ngo.name(), "Test NGO, Preševo (fictional)");
  EXPECT_EQ(ngo.description(), "Says \"hello\", in two languages");
  ASSERT_EQ(ngo.jurisdictions_size(), 2);
  EXPECT_EQ(ngo.jurisdictions(1), common::JURISDICTION_MK);
  EXPECT_TRUE(ngo.fictional());
  EXPECT_EQ(records.organizations[1].kind(), v1::ORGANIZATION_KIND_COORDINATION);
  EXPECT_FALSE(records.organizations[1].fictional());
}

TEST(DirectoryImport, ReadsGoodServicesCsvWithQuotedCellsHoursCapacityAndChannels) {
  const std::string csv = services_csv(
      {service_row({{"id", "rs-csv-shelter"},
                    {"name", "Shelter, Preševo (fictional)"},
                    {"type", "safe_accommodation"},
                    {"description", "Beds for women, with their children\r\nSecond line with \"quotes\""},
                    {"municipalities", "Preševo;Bujanovac;"},
                    {"sites", "rs-presevo-rc"},
                    {"minimum_age", "18"},
                    {"genders", "female"},
                    {"languages", "sr;en"},
                    {"interpretation_available", "YES"},
                    {"open_24_7", ""},
                    {"time_zone", "Europe/Belgrade"},
                    {"hours", "1-5 08:00-16:00;6 09:00-13:00"},
                    {"capacity_available", "3"},
                    {"capacity_maximum", "8"},
                    {"capacity_unit", "beds"},
                    {"confidential_location", "1"},
                    {"municipality", "Preševo"},
                    {"email", "shelter@example.org"},
                    {"sms", "+381601234567"},
                    {"channel_language", "sr"}}),
       service_row({})});
  auto records = read_services_csv(csv);
  ASSERT_TRUE(records.errors.empty()) << describe(records.errors);
  ASSERT_EQ(records.services.size(), 2u);

  const v1::Service& shelter = records.services[0];
  EXPECT_EQ(shelter.name(), "Shelter, Preševo (fictional)");
  EXPECT_EQ(shelter.description(), "Beds for women, with their children\nSecond line with \"quotes\"");
  EXPECT_EQ(shelter.status(), v1::SERVICE_STATUS_ACTIVE);
  EXPECT_EQ(shelter.area().municipalities_size(), 2);
  EXPECT_TRUE(shelter.interpretation_available());
  EXPECT_FALSE(shelter.schedule().open_24_7());
  ASSERT_EQ(shelter.schedule().hours_size(), 6);  // Monday to Friday, then Saturday
  EXPECT_EQ(shelter.schedule().hours(4).weekday(), 5u);
  EXPECT_EQ(shelter.schedule().hours(5).weekday(), 6u);
  EXPECT_EQ(shelter.schedule().hours(5).closes_at(), "13:00");
  EXPECT_TRUE(shelter.capacity().tracked());
  EXPECT_EQ(shelter.capacity().available(), 3u);
  EXPECT_TRUE(shelter.confidential_location());
  EXPECT_EQ(shelter.location().municipality(), "Preševo");
  EXPECT_EQ(shelter.location().jurisdiction(), common::JURISDICTION_RS);
  ASSERT_EQ(shelter.channels_size(), 3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(shelter.channels(i).priority(), static_cast<std::uint32_t>(i + 1));
    EXPECT_EQ(shelter.channels(i).purpose(), v1::CONTACT_PURPOSE_ALL);
    EXPECT_EQ(shelter.channels(i).language(), "sr");
    EXPECT_TRUE(shelter.channels(i).active());
  }
  EXPECT_EQ(shelter.channels(0).channel(), notification::v1::CHANNEL_WEBHOOK);
  EXPECT_EQ(shelter.channels(0).secret_id(), "sample-webhook");
  EXPECT_EQ(shelter.channels(2).channel(), notification::v1::CHANNEL_SMS);

  const v1::Service& legal_aid = records.services[1];
  EXPECT_FALSE(legal_aid.capacity().tracked());  // no capacity_maximum
  EXPECT_EQ(legal_aid.channels(0).language(), "en");  // default
}

TEST(DirectoryImport, UnknownServiceTypeIsReportedOnceAtItsLine) {
  const std::string json = replaced(kGoodJson, "\"safe_accommodation\"", "\"shelterr\"");
  auto records = parse_directory_json(json, "bad.json", known);
  EXPECT_TRUE(has_error(records, line_of(json, "shelterr"), "services[0].type", "unknown service type 'shelterr'"))
      << describe(records.errors);
  EXPECT_EQ(records.errors.size(), 1u) << describe(records.errors);
}

TEST(DirectoryImport, UnknownKeysAreErrors) {
  const std::string json = replaced(kGoodJson, "\"confidential_location\": true,", "\"confidential\": true,");
  auto records = parse_directory_json(json, "bad.json", known);
  EXPECT_TRUE(has_error(records, line_of(json, "\"confidential\""), "services[0].confidential", "unknown key"))
      << describe(records.errors);

  auto csv = parse_directory_csv("id,name,kind,jurisdictions,colour\r\nrs-test-ngo,Test NGO,ngo,RS,blue\r\n",
                                 v1::IMPORT_RECORDS_ORGANIZATIONS, "organizations.csv", {});
  EXPECT_TRUE(has_error(csv, 1, "colour", "unknown column 'colour'")) << describe(csv.errors);
  EXPECT_TRUE(csv.organizations.empty());
}

TEST(DirectoryImport, AvailableAboveMaximumIsReportedAtTheCapacityValue) {
  const std::string json = replaced(kGoodJson, "\"available\": 5", "\"available\": 12");
  auto records = parse_directory_json(json, "bad.json", known);
  EXPECT_TRUE(has_error(records, line_of(json, "\"available\": 12"), "services[0].capacity.available",
                        "12 is more than the maximum 10"))
      << describe(records.errors);

  auto csv = read_services_csv(services_csv(
      {service_row({{"capacity_available", "9"}, {"capacity_maximum", "4"}, {"capacity_unit", "beds"}})}));
  EXPECT_TRUE(has_error(csv, 2, "capacity_available", "more than the maximum")) << describe(csv.errors);
}

TEST(DirectoryImport, BadEmailAddressIsReportedAtItsLineAndRow) {
  const std::string json = replaced(kGoodJson, "shelter@example.org", "shelter.example.org");
  auto records = parse_directory_json(json, "bad.json", known);
  EXPECT_TRUE(has_error(records, line_of(json, "shelter.example.org"), "services[0].channels[1].address",
                        "not an e-mail address"))
      << describe(records.errors);

  // The first row's description spans two lines: rows count records, not lines.
  auto csv = read_services_csv(services_csv({service_row({{"description", "two\nlines"}}),
                                             service_row({{"id", "rs-csv-other"}, {"email", "nobody"}})}));
  EXPECT_TRUE(has_error(csv, 3, "email", "'nobody' is not an e-mail address")) << describe(csv.errors);
}

TEST(DirectoryImport, MissingRequiredColumnIsReportedAtTheHeader) {
  const std::string csv = "id,organization,name,jurisdictions\r\nrs-csv-legal-aid,rs-test-ngo,Legal aid,RS\r\n";
  auto records = read_services_csv(csv);
  EXPECT_TRUE(has_error(records, 1, "type", "missing required column 'type'")) << describe(records.errors);
  EXPECT_EQ(records.errors.size(), 1u) << describe(records.errors);
}

TEST(DirectoryImport, SyntaxErrorIsOneErrorAtItsLine) {
  const std::string json = replaced(kGoodJson, "\"name\": \"Test shelter (fictional)\",", "\"name\": \"Test shelter (fictional)\"");
  auto records = parse_directory_json(json, "bad.json", known);
  ASSERT_EQ(records.errors.size(), 1u) << describe(records.errors);
  EXPECT_EQ(records.errors[0].row(), line_of(json, "\"type\": \"safe_accommodation\"")) << describe(records.errors);
  EXPECT_NE(records.errors[0].message().find("not valid JSON"), std::string::npos);

  auto csv = read_services_csv(services_csv({service_row({}), "rs-csv-x,rs-test-ngo,\"unclosed,legal_aid\r\n"}));
  EXPECT_TRUE(has_error(csv, 3, "", "not closed")) << describe(csv.errors);
}

TEST(DirectoryImport, DuplicateIdsPointAtTheFirstDefinition) {
  const std::string json = replaced(kGoodJson, "\"id\": \"rs-test-eoc-duty-desk\"", "\"id\": \"rs-test-shelter\"");
  auto records = parse_directory_json(json, "bad.json", known);
  const std::string first = std::to_string(line_of(json, "\"id\": \"rs-test-shelter\""));
  EXPECT_TRUE(has_error(records, line_of(json, "\"id\": \"rs-test-shelter\"", 2), "services[1].id",
                        "duplicate service id 'rs-test-shelter' (first defined at line " + first + ")"))
      << describe(records.errors);

  auto csv = read_services_csv(services_csv({service_row({}), service_row({})}));
  EXPECT_TRUE(has_error(csv, 3, "id", "first defined at row 2")) << describe(csv.errors);
}

TEST(DirectoryImport, UnknownOrganisationIsAskedOfTheDirectoryOnce) {
  std::string json = replaced(kGoodJson, "\"organization\": \"rs-test-ngo\"", "\"organization\": \"rs-known-elsewhere\"");
  json = replaced(json, "\"organization\": \"rs-test-eoc\"", "\"organization\": \"rs-nowhere\"");
  std::multiset<std::string> asked;
  auto records = parse_directory_json(json, "bad.json", [&](const std::string& id) {
    asked.insert(id);
    return id == "rs-known-elsewhere";
  });
  EXPECT_TRUE(has_error(records, line_of(json, "rs-nowhere"), "services[1].organization", "unknown organisation 'rs-nowhere'"))
      << describe(records.errors);
  EXPECT_EQ(records.errors.size(), 1u) << describe(records.errors);
  EXPECT_EQ(asked, (std::multiset<std::string>{"rs-known-elsewhere", "rs-nowhere"}));  // not the file's own

  auto csv = read_services_csv(services_csv({service_row({{"organization", "rs-nowhere"}}),
                                             service_row({{"id", "rs-csv-2"}, {"organization", "rs-nowhere"}})}));
  EXPECT_TRUE(has_error(csv, 2, "organization", "unknown organisation")) << describe(csv.errors);
  EXPECT_TRUE(has_error(csv, 3, "organization", "unknown organisation")) << describe(csv.errors);
}

TEST(DirectoryImport, CoordinationServicesAndOnlyThemNameCoordinatedJurisdictions) {
  const std::string json = replaced(kGoodJson, ",\n      \"coordinates_jurisdictions\": [\"RS\"]", "");
  auto records = parse_directory_json(json, "bad.json", known);
  const std::uint32_t record_line = line_of(json, "\"id\": \"rs-test-eoc-duty-desk\"") - 1;
  EXPECT_TRUE(has_error(records, record_line, "services[1].coordinates_jurisdictions", "EOC duty desk"))
      << describe(records.errors);

  auto csv = read_services_csv(services_csv({service_row({{"type", "eoc_duty_desk"}}),
                                             service_row({{"id", "rs-csv-2"}, {"coordinates_jurisdictions", "RS"}})}));
  EXPECT_TRUE(has_error(csv, 2, "coordinates_jurisdictions", "names the jurisdictions")) << describe(csv.errors);
  EXPECT_TRUE(has_error(csv, 3, "coordinates_jurisdictions", "only EOC duty desks")) << describe(csv.errors);
}

TEST(DirectoryImport, ValidationRulesNameTheField) {
  v1::Service service = parse_directory_json(kGoodJson, "good.json", {}).services.at(0);
  service.mutable_eligibility()->set_maximum_age(17);
  service.mutable_schedule()->set_time_zone("Belgrade");
  service.mutable_schedule()->mutable_hours(0)->set_weekday(8);
  service.mutable_schedule()->mutable_hours(0)->set_closes_at("24:00");
  service.mutable_channels(0)->set_address("ftp://hooks.example.org");
  service.mutable_channels(1)->set_channel(notification::v1::CHANNEL_SMS);
  service.mutable_channels(1)->set_address("+3816");
  service.mutable_channels(1)->set_language("EN");
  service.add_languages("english");
  auto problems = service_problems(service);
  std::set<std::string> fields;
  for (const auto& problem : problems) fields.insert(problem.field);
  EXPECT_EQ(fields, (std::set<std::string>{"eligibility.minimum_age", "schedule.time_zone", "schedule.hours[0].weekday",
                                           "schedule.hours[0].closes", "channels[0].address", "channels[1].address",
                                           "channels[1].language", "languages[3]"}));

  // An active service nobody can send referrals to is useless; escalations alone do not count.
  service = parse_directory_json(kGoodJson, "good.json", {}).services.at(0);
  service.mutable_channels(0)->set_active(false);
  service.mutable_channels(1)->set_purpose(v1::CONTACT_PURPOSE_ESCALATIONS);
  problems = service_problems(service);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "channels");
  service.set_status(v1::SERVICE_STATUS_TEMPORARILY_CLOSED);
  EXPECT_TRUE(service_problems(service).empty());

  v1::Organization organization;
  organization.set_organization_id("RS-Upper");
  organization.add_jurisdictions(common::JURISDICTION_OTHER);
  fields.clear();
  for (const auto& problem : organization_problems(organization)) fields.insert(problem.field);
  EXPECT_EQ(fields, (std::set<std::string>{"id", "name", "kind", "jurisdictions[0]"}));
}

TEST(DirectoryImport, SampleDirectoryImportsCleanly) {
  const std::string json = file_content(std::string(PACT_REFERENCE_DIR) + "/routing/directory/sample-directory.json");
  auto records = parse_directory_json(json, "sample-directory.json", {});
  ASSERT_TRUE(records.errors.empty()) << describe(records.errors);

  std::map<common::Jurisdiction, std::set<v1::ServiceType>> types;
  for (const auto& service : records.services) {
    EXPECT_TRUE(service.fictional()) << service.service_id();
    EXPECT_NE(service.name().find("(fictional)"), std::string::npos) << service.service_id();
    for (auto jurisdiction : service.area().jurisdictions()) {
      types[static_cast<common::Jurisdiction>(jurisdiction)].insert(service.type());
    }
  }
  for (const auto& organization : records.organizations) EXPECT_TRUE(organization.fictional());
  ASSERT_EQ(types.size(), 6u);
  for (const auto& [jurisdiction, offered] : types) {
    for (auto type : {v1::SERVICE_TYPE_FORMAL_IDENTIFICATION_AUTHORITY, v1::SERVICE_TYPE_EOC_DUTY_DESK,
                      v1::SERVICE_TYPE_NATIONAL_COORDINATOR, v1::SERVICE_TYPE_EMERGENCY_MEDICAL_CARE,
                      v1::SERVICE_TYPE_CHILD_PROTECTION, v1::SERVICE_TYPE_GUARDIANSHIP,
                      v1::SERVICE_TYPE_SAFE_ACCOMMODATION, v1::SERVICE_TYPE_INTERPRETATION}) {
      EXPECT_TRUE(offered.contains(type)) << common::Jurisdiction_Name(jurisdiction) << " lacks "
                                          << v1::ServiceType_Name(type);
    }
  }
}

TEST(DirectoryImport, SampleCsvFilesImportCleanly) {
  const std::string directory = std::string(PACT_REFERENCE_DIR) + "/routing/directory/";
  auto organizations = parse_directory_csv(file_content(directory + "sample-organizations.csv"),
                                           v1::IMPORT_RECORDS_ORGANIZATIONS, "sample-organizations.csv", {});
  ASSERT_TRUE(organizations.errors.empty()) << describe(organizations.errors);
  std::set<std::string> ids;
  for (const auto& organization : organizations.organizations) ids.insert(organization.organization_id());

  auto services = parse_directory_csv(file_content(directory + "sample-services.csv"), v1::IMPORT_RECORDS_SERVICES,
                                      "sample-services.csv", [&](const std::string& id) { return ids.contains(id); });
  EXPECT_TRUE(services.errors.empty()) << describe(services.errors);
  EXPECT_GE(services.services.size(), 5u);
}

}  // namespace
}  // namespace pact::routing
