#include "encounter_validator.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <limits>
#include <ostream>
#include <string>
#include <vector>

namespace pact::intake {
namespace {

namespace common = pact::common::v1;
using Clock = std::chrono::system_clock;
using Registration = v1::RegisterEncounterRequest;
using Amendment = v1::AmendCaseRequest;
using ConsentRecord = v1::RecordConsentRequest;
using Withdrawal = v1::WithdrawConsentRequest;

// 2025-06-15T12:00:00Z.
const Clock::time_point kNow = std::chrono::sys_days{std::chrono::year{2025} / 6 / 15} + std::chrono::hours(12);

google::protobuf::Timestamp timestamp_at(Clock::time_point time) {
  auto seconds = std::chrono::floor<std::chrono::seconds>(time);
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(seconds.time_since_epoch().count());
  timestamp.set_nanos(static_cast<std::int32_t>(std::chrono::nanoseconds(time - seconds).count()));
  return timestamp;
}

std::string repeated(std::string_view text, std::size_t times) {
  std::string result;
  for (std::size_t i = 0; i < times; ++i) result += text;
  return result;
}

// ---------------------------------------------------------------------------------------------
// Valid baselines: every optional part filled, so each table row breaks exactly one thing.
// ---------------------------------------------------------------------------------------------

void fill_reporter(v1::Reporter& reporter, common::Sector sector) {
  reporter.set_sector(sector);
  reporter.set_organization_id("csr-presevo");
  reporter.set_jurisdiction(common::JURISDICTION_RS);
  reporter.mutable_site()->set_site_id("rs-presevo-rc");
  reporter.mutable_site()->set_municipality("Preševo");
  reporter.mutable_site()->set_jurisdiction(common::JURISDICTION_RS);
  reporter.set_display_name("Marko Petrović");
  reporter.set_contact("+381 17 000 000");
}

void fill_person(v1::Person& person) {
  person.set_given_name("Amina");
  person.set_family_name("Haddad");
  person.add_other_names("Amina H.");
  person.set_date_of_birth("2001-04-17");
  person.set_place_of_birth("Aleppo");
  common::Age& age = *person.mutable_age();
  age.set_years(24);
  age.set_certainty(common::AGE_CERTAINTY_STATED);
  age.set_band(common::AGE_BAND_24_26);
  person.set_gender(common::GENDER_FEMALE);
  person.mutable_nationality()->set_status(common::NATIONALITY_STATUS_KNOWN);
  person.mutable_nationality()->set_country_code("SY");
  person.add_languages("ar");
  person.add_languages("en");
  person.set_companion_status(common::COMPANION_STATUS_ACCOMPANIED);
  common::PersonalIdentifier& passport = *person.add_identifiers();
  passport.set_type(common::PERSONAL_IDENTIFIER_TYPE_PASSPORT);
  passport.set_value("N01234567");
  passport.set_issuing_country("SY");
  passport.set_document_seen(true);
  v1::ContactDetail& phone = *person.add_contacts();
  phone.set_type(v1::CONTACT_CHANNEL_TYPE_PHONE);
  phone.set_value("+963 900 000 000");
  phone.set_label("own phone, safe to call");
}

void fill_consent(common::Consent& consent) {
  consent.add_scopes(common::CONSENT_SCOPE_SERVICES);
  consent.add_scopes(common::CONSENT_SCOPE_CROSS_BORDER);
  consent.add_declined_scopes(common::CONSENT_SCOPE_POLICE);
  consent.set_given_by(common::CONSENT_GIVER_PERSON);
  consent.set_method(common::CONSENT_METHOD_VERBAL);
  consent.set_informed_in_language("ar");
  *consent.mutable_given_at() = timestamp_at(kNow - std::chrono::minutes(50));
}

void add_need(v1::Encounter& encounter, common::NeedType type, std::string details) {
  v1::Need& need = *encounter.add_needs();
  need.set_type(type);
  need.set_details(std::move(details));
}

void fill_context(v1::EmergencyContext& context) {
  context.set_emergency_id("2025-presevo-surge");
  context.mutable_site()->set_site_id("rs-presevo-rc");
  common::ExactLocation& location = *context.mutable_exact_location();
  location.set_description("behind the bus station, blue tent");
  location.set_latitude(42.31);
  location.set_longitude(21.65);
}

void fill_next_destination(v1::NextDestination& destination) {
  destination.set_jurisdiction(common::JURISDICTION_OTHER);
  destination.set_country_code("DE");
  destination.set_details("Munich, by bus");
  *destination.mutable_expected_departure_at() = timestamp_at(kNow + std::chrono::hours(48));
}

Registration valid_registration(common::Sector sector = common::SECTOR_POLICE) {
  Registration request;
  request.set_idempotency_key("3f1c2a9e-6b0d-4d43-9a52-2f7a1c9e0b11");
  request.set_language("en");
  v1::Encounter& encounter = *request.mutable_encounter();
  fill_reporter(*encounter.mutable_reporter(), sector);
  fill_person(*encounter.mutable_person());
  encounter.add_observed_indicator_ids("ILO-AL-D1-01");
  encounter.add_observed_indicator_ids("HEALTH-PHY-03");
  add_need(encounter, common::NEED_TYPE_SHELTER, "a room for a mother and child");
  add_need(encounter, common::NEED_TYPE_INTERPRETER, "");
  fill_consent(*encounter.mutable_consent());
  fill_context(*encounter.mutable_context());
  fill_next_destination(*encounter.mutable_next_destination());
  encounter.mutable_reported_flags()->set_language_barrier(true);
  encounter.set_notes("Met at the gate.\n\tTired but calm.");
  *encounter.mutable_encountered_at() = timestamp_at(kNow - std::chrono::hours(1));
  return request;
}

// Only what every sector must give.
Registration minimal_registration(common::Sector sector) {
  Registration request;
  request.set_idempotency_key("minimal-1");
  v1::Reporter& reporter = *request.mutable_encounter()->mutable_reporter();
  reporter.set_sector(sector);
  reporter.set_organization_id("org-1");
  reporter.set_jurisdiction(common::JURISDICTION_MK);
  reporter.mutable_site()->set_site_id("mk-tabanovce-tc");
  request.mutable_encounter()->mutable_person()->mutable_age()->set_certainty(common::AGE_CERTAINTY_UNKNOWN);
  *request.mutable_encounter()->mutable_encountered_at() = timestamp_at(kNow);
  return request;
}

Amendment valid_amendment() {
  Amendment request;
  request.set_case_id("case-abcdefghijklmnopqrstuvwx");
  request.set_idempotency_key("amend-7");
  request.set_expected_sequence(3);
  request.set_language("sr-Latn");
  v1::CaseAmendment& amendment = *request.mutable_amendment();
  amendment.add_added_observed_indicator_ids("ILO-AL-D4-02");
  amendment.add_retracted_observed_indicator_ids("ILO-AL-D1-01");
  v1::Need& need = *amendment.add_added_needs();
  need.set_type(common::NEED_TYPE_LEGAL_AID);
  amendment.add_resolved_needs(common::NEED_TYPE_SHELTER);
  amendment.set_note("Moved to the family room.");
  amendment.set_status(v1::CASE_STATUS_OPEN);
  return request;
}

ConsentRecord valid_consent_record() {
  ConsentRecord request;
  request.set_case_id("case-abcdefghijklmnopqrstuvwx");
  request.set_idempotency_key("consent-2");
  common::Consent& consent = *request.mutable_consent();
  fill_consent(consent);
  consent.set_given_by(common::CONSENT_GIVER_GUARDIAN);
  consent.set_giver_name("Dragana Jovanović");
  consent.set_method(common::CONSENT_METHOD_WRITTEN);
  common::Actor& recorder = *consent.mutable_recorded_by();
  recorder.set_subject("u-1234");
  recorder.set_display_name("Marko Petrović");
  recorder.set_organization_id("csr-presevo");
  recorder.set_role("case_worker");
  return request;
}

Withdrawal valid_withdrawal() {
  Withdrawal request;
  request.set_case_id("case-abcdefghijklmnopqrstuvwx");
  request.set_idempotency_key("withdraw-1");
  request.add_scopes(common::CONSENT_SCOPE_POLICE);
  request.set_withdrawn_by(common::CONSENT_GIVER_PERSON);
  request.set_note("Wants no contact with police for now.");
  return request;
}

std::vector<rpc::FieldViolation> validate(const Registration& request) { return validate_registration(request, kNow); }
std::vector<rpc::FieldViolation> validate(const Amendment& request) { return validate_amendment(request, kNow); }
std::vector<rpc::FieldViolation> validate(const ConsentRecord& request) { return validate_consent(request, kNow); }
std::vector<rpc::FieldViolation> validate(const Withdrawal& request) { return validate_withdrawal(request); }

std::vector<std::string> fields_of(const std::vector<rpc::FieldViolation>& violations) {
  std::vector<std::string> fields;
  for (const auto& violation : violations) fields.push_back(violation.field);
  return fields;
}

// Shortcuts into a registration, so table rows stay one line each.
v1::Encounter& encounter_of(Registration& request) { return *request.mutable_encounter(); }
v1::Reporter& reporter_of(Registration& request) { return *encounter_of(request).mutable_reporter(); }
v1::Person& person_of(Registration& request) { return *encounter_of(request).mutable_person(); }
common::Age& age_of(Registration& request) { return *person_of(request).mutable_age(); }
common::Nationality& nationality_of(Registration& request) { return *person_of(request).mutable_nationality(); }
common::Consent& consent_of(Registration& request) { return *encounter_of(request).mutable_consent(); }

void add_distinct_indicators(Registration& request, int count) {
  for (int i = 0; i < count; ++i) encounter_of(request).add_observed_indicator_ids("X-" + std::to_string(i));
}

// ---------------------------------------------------------------------------------------------
// Table machinery: a row mutates a valid baseline and names the one field that must be reported,
// or no field when the mutated request must still be accepted.
// ---------------------------------------------------------------------------------------------

template <typename Request>
struct Row {
  std::string name;
  std::function<void(Request&)> mutate;
  std::string field;  // empty: accepted
};

template <typename Request>
void PrintTo(const Row<Request>& row, std::ostream* os) {
  *os << row.name;
}

template <typename Request>
std::string row_name(const testing::TestParamInfo<Row<Request>>& info) {
  return info.param.name;
}

template <typename Request>
void expect_outcome(const Row<Request>& row, Request request) {
  row.mutate(request);
  std::vector<rpc::FieldViolation> violations = validate(request);
  if (row.field.empty()) {
    EXPECT_TRUE(violations.empty()) << "unexpected violations of: " << testing::PrintToString(fields_of(violations));
    return;
  }
  EXPECT_EQ(fields_of(violations), std::vector<std::string>{row.field});
  for (const auto& violation : violations) EXPECT_FALSE(violation.description.empty());
}

using RegistrationRow = Row<Registration>;

// The same text put into the given name, to exercise the UTF-8 and control-character rules.
RegistrationRow given_name_row(std::string name, std::string value, bool accepted) {
  return {std::move(name), [value](Registration& r) { person_of(r).set_given_name(value); },
          accepted ? "" : "encounter.person.given_name"};
}

RegistrationRow date_of_birth_row(std::string name, std::string value, bool accepted) {
  return {std::move(name), [value](Registration& r) { person_of(r).set_date_of_birth(value); },
          accepted ? "" : "encounter.person.date_of_birth"};
}

RegistrationRow encountered_at_row(std::string name, Clock::time_point time, bool accepted) {
  return {std::move(name), [time](Registration& r) { *encounter_of(r).mutable_encountered_at() = timestamp_at(time); },
          accepted ? "" : "encounter.encountered_at"};
}

// ---------------------------------------------------------------------------------------------
// Whole requests.
// ---------------------------------------------------------------------------------------------

class EverySector : public testing::TestWithParam<common::Sector> {};

TEST_P(EverySector, FullyFilledRegistrationIsValid) {
  EXPECT_TRUE(validate(valid_registration(GetParam())).empty());
}

INSTANTIATE_TEST_SUITE_P(Sectors, EverySector,
                         testing::Values(common::SECTOR_POLICE, common::SECTOR_SOCIAL_WELFARE, common::SECTOR_HEALTH,
                                         common::SECTOR_PROTECTION_FACILITY, common::SECTOR_EDUCATION,
                                         common::SECTOR_EMPLOYMENT),
                         [](const testing::TestParamInfo<common::Sector>& sector) {
                           return common::Sector_Name(sector.param);
                         });

TEST(Registration, OtherBaselinesAreValid) {
  EXPECT_TRUE(validate(valid_amendment()).empty());
  EXPECT_TRUE(validate(valid_consent_record()).empty());
  EXPECT_TRUE(validate(valid_withdrawal()).empty());
}

TEST(Registration, ReportsEveryBadFieldNotOnlyTheFirst) {
  Registration request = valid_registration();
  request.clear_idempotency_key();
  nationality_of(request).set_country_code("XX");
  encounter_of(request).set_observed_indicator_ids(1, "not-an-id");
  *encounter_of(request).mutable_encountered_at() = timestamp_at(kNow + std::chrono::hours(1));
  EXPECT_EQ(fields_of(validate(request)),
            (std::vector<std::string>{"idempotency_key", "encounter.person.nationality.country_code",
                                      "encounter.observed_indicator_ids[1]", "encounter.encountered_at"}));
}

TEST(Registration, EmptyRequestNamesKeyAndEncounter) {
  EXPECT_EQ(fields_of(validate(Registration())), (std::vector<std::string>{"idempotency_key", "encounter"}));
}

// Values can be personal data: no description may repeat what was submitted, whatever the script.
TEST(Registration, DescriptionsNeverEchoSubmittedValues) {
  const std::string latin = "Zqvx7Marker";
  const std::string cyrillic = "Жзщ7Маркер";
  const std::string arabic = "علامةسرية";
  Registration request = valid_registration();
  request.set_idempotency_key(latin + " key");
  reporter_of(request).set_organization_id(cyrillic);
  v1::Person& person = person_of(request);
  person.set_given_name(latin + "\x07");
  person.set_family_name(cyrillic + "\xC0\xAF");
  person.set_other_names(0, repeated(arabic, 20));
  person.set_date_of_birth(latin);
  person.mutable_nationality()->set_country_code(latin);
  person.set_languages(0, latin);
  person.mutable_identifiers(0)->set_value(arabic + "\n");
  person.mutable_identifiers(0)->set_issuing_country(cyrillic);
  person.mutable_contacts(0)->set_value(latin + "\t");
  encounter_of(request).set_observed_indicator_ids(0, latin);
  encounter_of(request).mutable_needs(0)->set_details(arabic + "\x1B");
  consent_of(request).set_giver_name(latin);
  encounter_of(request).mutable_next_destination()->set_details(cyrillic + "\x7F");
  encounter_of(request).set_notes(cyrillic + "\r");

  std::vector<rpc::FieldViolation> violations = validate(request);
  EXPECT_EQ(violations.size(), 16u) << testing::PrintToString(fields_of(violations));
  for (const auto& violation : violations) {
    for (const std::string& marker : {latin, cyrillic, arabic, std::string("Zqvx"), std::string("Жзщ")}) {
      EXPECT_EQ(violation.description.find(marker), std::string::npos) << violation.field;
      EXPECT_EQ(violation.field.find(marker), std::string::npos);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Required fields per sector.
// ---------------------------------------------------------------------------------------------

TEST(SectorRequirements, HealthNeedsOnlyTheCommonFields) {
  EXPECT_TRUE(validate(minimal_registration(common::SECTOR_HEALTH)).empty());
}

TEST(SectorRequirements, PoliceMustAlsoGiveMunicipalityCompanionAndNationality) {
  EXPECT_EQ(fields_of(validate(minimal_registration(common::SECTOR_POLICE))),
            (std::vector<std::string>{"encounter.reporter.site.municipality", "encounter.person.nationality.status",
                                      "encounter.person.companion_status"}));
}

TEST(SectorRequirements, EveryRegistrationNamesTheCommonFields) {
  Registration request;
  request.set_idempotency_key("k");
  request.mutable_encounter()->mutable_person();
  EXPECT_EQ(fields_of(validate(request)),
            (std::vector<std::string>{"encounter.reporter.sector", "encounter.reporter.organization_id",
                                      "encounter.reporter.jurisdiction", "encounter.reporter.site.site_id",
                                      "encounter.person.age.certainty", "encounter.encountered_at"}));
}

struct SectorRow {
  common::Sector sector;
  bool municipality_required;
  bool companion_status_required;
  bool nationality_status_required;
};

class SectorTable : public testing::TestWithParam<SectorRow> {};

TEST_P(SectorTable, AsksForItsExtraFieldsOnly) {
  const SectorRow& row = GetParam();
  auto fails_without = [&](const std::function<void(Registration&)>& clear, const std::string& field) {
    Registration request = valid_registration(row.sector);
    clear(request);
    return fields_of(validate(request)) == std::vector<std::string>{field};
  };
  auto clear_municipality = [](Registration& r) { reporter_of(r).mutable_site()->clear_municipality(); };
  auto clear_companion = [](Registration& r) { person_of(r).clear_companion_status(); };
  auto clear_nationality = [](Registration& r) { person_of(r).clear_nationality(); };
  EXPECT_EQ(fails_without(clear_municipality, "encounter.reporter.site.municipality"), row.municipality_required);
  EXPECT_EQ(fails_without(clear_companion, "encounter.person.companion_status"), row.companion_status_required);
  EXPECT_EQ(fails_without(clear_nationality, "encounter.person.nationality.status"), row.nationality_status_required);
}

INSTANTIATE_TEST_SUITE_P(Sectors, SectorTable,
                         testing::Values(SectorRow{common::SECTOR_POLICE, true, true, true},
                                         SectorRow{common::SECTOR_SOCIAL_WELFARE, true, true, false},
                                         SectorRow{common::SECTOR_HEALTH, false, false, false},
                                         SectorRow{common::SECTOR_PROTECTION_FACILITY, false, true, true},
                                         SectorRow{common::SECTOR_EDUCATION, false, true, false},
                                         SectorRow{common::SECTOR_EMPLOYMENT, true, false, false}),
                         [](const testing::TestParamInfo<SectorRow>& row) {
                           return common::Sector_Name(row.param.sector);
                         });

// ---------------------------------------------------------------------------------------------
// Registration: one table row per rule.
// ---------------------------------------------------------------------------------------------

class RegistrationRule : public testing::TestWithParam<RegistrationRow> {};

TEST_P(RegistrationRule, ReportsTheFieldOrAccepts) { expect_outcome(GetParam(), valid_registration()); }

INSTANTIATE_TEST_SUITE_P(
    IdempotencyKey, RegistrationRule,
    testing::Values(RegistrationRow{"Empty", [](Registration& r) { r.clear_idempotency_key(); }, "idempotency_key"},
                    RegistrationRow{"TooLong", [](Registration& r) { r.set_idempotency_key(std::string(129, 'k')); },
                                    "idempotency_key"},
                    RegistrationRow{"LongestAccepted",
                                    [](Registration& r) { r.set_idempotency_key(std::string(128, 'k')); }, ""},
                    RegistrationRow{"WithSpace", [](Registration& r) { r.set_idempotency_key("form 17"); },
                                    "idempotency_key"},
                    RegistrationRow{"NotAscii", [](Registration& r) { r.set_idempotency_key("ключ-17"); },
                                    "idempotency_key"}),
    row_name<Registration>);

INSTANTIATE_TEST_SUITE_P(
    Reporter, RegistrationRule,
    testing::Values(
        RegistrationRow{"EncounterMissing", [](Registration& r) { r.clear_encounter(); }, "encounter"},
        RegistrationRow{"SectorUnspecified", [](Registration& r) { reporter_of(r).clear_sector(); },
                        "encounter.reporter.sector"},
        RegistrationRow{"SectorUndefined",
                        [](Registration& r) { reporter_of(r).set_sector(static_cast<common::Sector>(99)); },
                        "encounter.reporter.sector"},
        RegistrationRow{"OrganizationMissing", [](Registration& r) { reporter_of(r).clear_organization_id(); },
                        "encounter.reporter.organization_id"},
        RegistrationRow{"JurisdictionMissing", [](Registration& r) { reporter_of(r).clear_jurisdiction(); },
                        "encounter.reporter.jurisdiction"},
        RegistrationRow{"JurisdictionOther",
                        [](Registration& r) { reporter_of(r).set_jurisdiction(common::JURISDICTION_OTHER); },
                        "encounter.reporter.jurisdiction"},
        RegistrationRow{"JurisdictionKosovo",
                        [](Registration& r) {
                          reporter_of(r).set_jurisdiction(common::JURISDICTION_XK);
                          reporter_of(r).mutable_site()->set_jurisdiction(common::JURISDICTION_XK);
                        },
                        ""},
        RegistrationRow{"SiteIdMissing", [](Registration& r) { reporter_of(r).mutable_site()->clear_site_id(); },
                        "encounter.reporter.site.site_id"},
        RegistrationRow{"SiteJurisdictionUndefined",
                        [](Registration& r) {
                          reporter_of(r).mutable_site()->set_jurisdiction(static_cast<common::Jurisdiction>(42));
                        },
                        "encounter.reporter.site.jurisdiction"},
        RegistrationRow{"DisplayNameTooLong",
                        [](Registration& r) { reporter_of(r).set_display_name(std::string(201, 'm')); },
                        "encounter.reporter.display_name"},
        RegistrationRow{"ContactWithLineBreak", [](Registration& r) { reporter_of(r).set_contact("+381\n17"); },
                        "encounter.reporter.contact"}),
    row_name<Registration>);

INSTANTIATE_TEST_SUITE_P(
    Names, RegistrationRule,
    testing::Values(
        RegistrationRow{"CyrillicAccepted",
                        [](Registration& r) {
                          person_of(r).set_given_name("Јелена");
                          person_of(r).set_family_name("Петровић");
                        },
                        ""},
        RegistrationRow{"ArabicAccepted",
                        [](Registration& r) {
                          person_of(r).set_given_name("فاطمة");
                          person_of(r).set_family_name("الحسن");
                          person_of(r).set_other_names(0, "Fatima al-Hassan");
                        },
                        ""},
        RegistrationRow{"LongestCyrillicAccepted",
                        [](Registration& r) { person_of(r).set_family_name(repeated("ж", 100)); }, ""},
        RegistrationRow{"CyrillicOverLimit", [](Registration& r) { person_of(r).set_family_name(repeated("ж", 101)); },
                        "encounter.person.family_name"},
        RegistrationRow{"TooManyOtherNames",
                        [](Registration& r) {
                          for (int i = 0; i < 20; ++i) person_of(r).add_other_names("alias");
                        },
                        "encounter.person.other_names"},
        RegistrationRow{"EmptyOtherName", [](Registration& r) { person_of(r).add_other_names(""); },
                        "encounter.person.other_names[1]"},
        RegistrationRow{"PlaceOfBirthWithTab", [](Registration& r) { person_of(r).set_place_of_birth("Alep\tpo"); },
                        "encounter.person.place_of_birth"}),
    row_name<Registration>);

// Strict UTF-8: overlongs, surrogates and code points beyond U+10FFFF are refused.
INSTANTIATE_TEST_SUITE_P(
    Utf8, RegistrationRule,
    testing::Values(given_name_row("StrayContinuationByte", "Am\x80ina", false),
                    given_name_row("TruncatedSequence", "Amin\xC3", false),
                    given_name_row("OverlongTwoBytes", "\xC0\xAF", false),
                    given_name_row("OverlongThreeBytes", "\xE0\x80\xAF", false),
                    given_name_row("OverlongFourBytes", "\xF0\x80\x80\xAF", false),
                    given_name_row("Surrogate", "\xED\xA0\x80", false),
                    given_name_row("BeyondUnicode", "\xF4\x90\x80\x80", false),
                    given_name_row("FiveByteForm", "\xF8\x88\x80\x80\x80", false),
                    given_name_row("Latin1NotUtf8", "Bo\xF0" "ko", false),
                    given_name_row("LastCodePointAccepted", "\xF4\x8F\xBF\xBF", true),
                    given_name_row("ReplacementCharacterAccepted", "\xEF\xBF\xBD", true),
                    given_name_row("EmojiAccepted", "Amina \xF0\x9F\x8C\xBB", true),
                    given_name_row("C0Control", "Am\x01ina", false),
                    given_name_row("C1Control", "Am\xC2\x85ina", false),
                    given_name_row("Delete", "Am\x7Fina", false)),
    row_name<Registration>);

INSTANTIATE_TEST_SUITE_P(
    DateOfBirth, RegistrationRule,
    testing::Values(date_of_birth_row("FullDate", "2001-04-17", true),
                    date_of_birth_row("JanuaryFirstPlaceholder", "2001-01-01", true),
                    date_of_birth_row("YearOnly", "2001", true), date_of_birth_row("YearAndMonth", "2001-04", true),
                    date_of_birth_row("LeapDay", "2004-02-29", true),
                    date_of_birth_row("Today", "2025-06-15", true),
                    date_of_birth_row("TomorrowUtcIsTodaySomewhere", "2025-06-16", true),
                    date_of_birth_row("ThisYear", "2025", true),
                    date_of_birth_row("Future", "2025-06-17", false),
                    date_of_birth_row("FutureMonth", "2025-07", false),
                    date_of_birth_row("FutureYear", "2026", false),
                    date_of_birth_row("NotALeapYear", "2003-02-29", false),
                    date_of_birth_row("ThirtiethOfFebruary", "2004-02-30", false),
                    date_of_birth_row("MonthThirteen", "2001-13", false),
                    date_of_birth_row("MonthZero", "2001-00", false),
                    date_of_birth_row("DayZero", "2001-04-00", false),
                    date_of_birth_row("DayMonthYear", "17/04/2001", false),
                    date_of_birth_row("UnpaddedMonth", "2001-4-17", false),
                    date_of_birth_row("WithTime", "2001-04-17T00:00:00Z", false),
                    date_of_birth_row("BeforeEarliestYear", "1899-12-31", false)),
    row_name<Registration>);

INSTANTIATE_TEST_SUITE_P(
    Age, RegistrationRule,
    testing::Values(
        RegistrationRow{"AgeMissing", [](Registration& r) { person_of(r).clear_age(); },
                        "encounter.person.age.certainty"},
        RegistrationRow{"CertaintyUndefined",
                        [](Registration& r) { age_of(r).set_certainty(static_cast<common::AgeCertainty>(9)); },
                        "encounter.person.age.certainty"},
        RegistrationRow{"CertaintyUnknownWithYears",
                        [](Registration& r) { age_of(r).set_certainty(common::AGE_CERTAINTY_UNKNOWN); },
                        "encounter.person.age.certainty"},
        RegistrationRow{"YearsTooHigh", [](Registration& r) { age_of(r).set_years(121); },
                        "encounter.person.age.years"},
        RegistrationRow{"OldestAccepted",
                        [](Registration& r) {
                          age_of(r).set_years(120);
                          age_of(r).set_band(common::AGE_BAND_48_PLUS);
                        },
                        ""},
        RegistrationRow{"EstimateWithoutUpperBound", [](Registration& r) { age_of(r).set_estimate_min_years(22); },
                        "encounter.person.age.estimate_max_years"},
        RegistrationRow{"EstimateBoundsReversed",
                        [](Registration& r) {
                          age_of(r).set_estimate_min_years(30);
                          age_of(r).set_estimate_max_years(20);
                        },
                        "encounter.person.age.estimate_min_years"},
        RegistrationRow{"YearsOutsideEstimate",
                        [](Registration& r) {
                          age_of(r).set_estimate_min_years(30);
                          age_of(r).set_estimate_max_years(35);
                        },
                        "encounter.person.age.years"},
        RegistrationRow{"BandDoesNotContainYears",
                        [](Registration& r) { age_of(r).set_band(common::AGE_BAND_30_38); },
                        "encounter.person.age.band"},
        RegistrationRow{"BandUnknownWithYears", [](Registration& r) { age_of(r).set_band(common::AGE_BAND_UNKNOWN); },
                        "encounter.person.age.band"},
        RegistrationRow{"BandUndefined",
                        [](Registration& r) { age_of(r).set_band(static_cast<common::AgeBand>(77)); },
                        "encounter.person.age.band"},
        RegistrationRow{"BandMayBeLeftUnspecified", [](Registration& r) { age_of(r).clear_band(); }, ""},
        RegistrationRow{"EstimateOverlappingBandAccepted",
                        [](Registration& r) {
                          age_of(r).clear_years();
                          age_of(r).set_certainty(common::AGE_CERTAINTY_ESTIMATED);
                          age_of(r).set_estimate_min_years(16);
                          age_of(r).set_estimate_max_years(19);
                          age_of(r).set_band(common::AGE_BAND_18_20);
                        },
                        ""},
        RegistrationRow{"EstimateOutsideBand",
                        [](Registration& r) {
                          age_of(r).clear_years();
                          age_of(r).set_certainty(common::AGE_CERTAINTY_ESTIMATED);
                          age_of(r).set_estimate_min_years(10);
                          age_of(r).set_estimate_max_years(15);
                          age_of(r).set_band(common::AGE_BAND_18_20);
                        },
                        "encounter.person.age.band"},
        // Presumed minors: the doubted adult age or band never blocks the registration.
        RegistrationRow{"PresumedMinorWithAdultBandAccepted",
                        [](Registration& r) {
                          age_of(r).clear_years();
                          age_of(r).set_certainty(common::AGE_CERTAINTY_ESTIMATED);
                          age_of(r).set_estimate_min_years(14);
                          age_of(r).set_estimate_max_years(16);
                          age_of(r).set_band(common::AGE_BAND_18_20);
                          age_of(r).set_presumed_minor(true);
                        },
                        ""},
        RegistrationRow{"PresumedMinorWithAdultDocumentAccepted",
                        [](Registration& r) {
                          age_of(r).set_certainty(common::AGE_CERTAINTY_DOCUMENTED);
                          age_of(r).set_years(19);
                          age_of(r).set_band(common::AGE_BAND_9_17);
                          age_of(r).set_presumed_minor(true);
                        },
                        ""},
        RegistrationRow{"PresumedMinorWithoutBandAccepted",
                        [](Registration& r) {
                          age_of(r).clear_years();
                          age_of(r).clear_band();
                          age_of(r).set_certainty(common::AGE_CERTAINTY_UNKNOWN);
                          age_of(r).set_presumed_minor(true);
                        },
                        ""},
        RegistrationRow{"PresumedMinorStillNeedsPlausibleYears",
                        [](Registration& r) {
                          age_of(r).set_years(200);
                          age_of(r).set_presumed_minor(true);
                        },
                        "encounter.person.age.years"}),
    row_name<Registration>);

INSTANTIATE_TEST_SUITE_P(
    Nationality, RegistrationRule,
    testing::Values(
        RegistrationRow{"KosovoAccepted", [](Registration& r) { nationality_of(r).set_country_code("XK"); }, ""},
        RegistrationRow{"UnassignedCode", [](Registration& r) { nationality_of(r).set_country_code("XX"); },
                        "encounter.person.nationality.country_code"},
        RegistrationRow{"LowerCase", [](Registration& r) { nationality_of(r).set_country_code("sy"); },
                        "encounter.person.nationality.country_code"},
        RegistrationRow{"Alpha3", [](Registration& r) { nationality_of(r).set_country_code("SYR"); },
                        "encounter.person.nationality.country_code"},
        RegistrationRow{"KnownWithoutCode", [](Registration& r) { nationality_of(r).clear_country_code(); },
                        "encounter.person.nationality.country_code"},
        RegistrationRow{"StatelessWithCode",
                        [](Registration& r) { nationality_of(r).set_status(common::NATIONALITY_STATUS_STATELESS); },
                        "encounter.person.nationality.country_code"},
        RegistrationRow{"UnknownWithCode",
                        [](Registration& r) { nationality_of(r).set_status(common::NATIONALITY_STATUS_UNKNOWN); },
                        "encounter.person.nationality.country_code"},
        RegistrationRow{"StatelessAccepted",
                        [](Registration& r) {
                          nationality_of(r).set_status(common::NATIONALITY_STATUS_STATELESS);
                          nationality_of(r).clear_country_code();
                        },
                        ""},
        RegistrationRow{"UnknownAccepted",
                        [](Registration& r) {
                          nationality_of(r).set_status(common::NATIONALITY_STATUS_UNKNOWN);
                          nationality_of(r).clear_country_code();
                        },
                        ""},
        RegistrationRow{"StatelessWithAdditionalCode",
                        [](Registration& r) {
                          nationality_of(r).set_status(common::NATIONALITY_STATUS_STATELESS);
                          nationality_of(r).clear_country_code();
                          nationality_of(r).add_additional_country_codes("IQ");
                        },
                        "encounter.person.nationality.additional_country_codes"},
        RegistrationRow{"CodeWithoutStatus", [](Registration& r) { nationality_of(r).clear_status(); },
                        "encounter.person.nationality.status"},
        RegistrationRow{"StatusUndefined",
                        [](Registration& r) {
                          nationality_of(r).set_status(static_cast<common::NationalityStatus>(8));
                        },
                        "encounter.person.nationality.status"},
        RegistrationRow{"SecondNationalityAccepted",
                        [](Registration& r) { nationality_of(r).add_additional_country_codes("TR"); }, ""},
        RegistrationRow{"SecondNationalityInvalid",
                        [](Registration& r) { nationality_of(r).add_additional_country_codes("ZZ"); },
                        "encounter.person.nationality.additional_country_codes[0]"},
        RegistrationRow{"SecondNationalityRepeatsFirst",
                        [](Registration& r) { nationality_of(r).add_additional_country_codes("SY"); },
                        "encounter.person.nationality.additional_country_codes[0]"}),
    row_name<Registration>);

INSTANTIATE_TEST_SUITE_P(
    PersonDetails, RegistrationRule,
    testing::Values(
        RegistrationRow{"GenderUndefined",
                        [](Registration& r) { person_of(r).set_gender(static_cast<common::Gender>(5)); },
                        "encounter.person.gender"},
        RegistrationRow{"LanguageUpperCase", [](Registration& r) { person_of(r).set_languages(0, "AR"); },
                        "encounter.person.languages[0]"},
        RegistrationRow{"LanguageWithScript", [](Registration& r) { person_of(r).set_languages(1, "sr-Latn"); },
                        "encounter.person.languages[1]"},
        RegistrationRow{"LanguageTooLong", [](Registration& r) { person_of(r).set_languages(0, "arab"); },
                        "encounter.person.languages[0]"},
        RegistrationRow{"ThreeLetterLanguageAccepted", [](Registration& r) { person_of(r).set_languages(1, "prs"); },
                        ""},
        RegistrationRow{"TooManyLanguages",
                        [](Registration& r) {
                          for (int i = 0; i < 15; ++i) person_of(r).add_languages("fa");
                        },
                        "encounter.person.languages"},
        RegistrationRow{"CompanionStatusUndefined",
                        [](Registration& r) {
                          person_of(r).set_companion_status(static_cast<common::CompanionStatus>(6));
                        },
                        "encounter.person.companion_status"},
        RegistrationRow{"IdentifierTypeMissing",
                        [](Registration& r) { person_of(r).mutable_identifiers(0)->clear_type(); },
                        "encounter.person.identifiers[0].type"},
        RegistrationRow{"IdentifierValueMissing",
                        [](Registration& r) { person_of(r).mutable_identifiers(0)->clear_value(); },
                        "encounter.person.identifiers[0].value"},
        RegistrationRow{"IdentifierValueTooLong",
                        [](Registration& r) { person_of(r).mutable_identifiers(0)->set_value(std::string(65, '7')); },
                        "encounter.person.identifiers[0].value"},
        RegistrationRow{"IssuingCountryInvalid",
                        [](Registration& r) { person_of(r).mutable_identifiers(0)->set_issuing_country("XX"); },
                        "encounter.person.identifiers[0].issuing_country"},
        RegistrationRow{"IssuingCountryKosovoAccepted",
                        [](Registration& r) { person_of(r).mutable_identifiers(0)->set_issuing_country("XK"); }, ""},
        RegistrationRow{"TooManyIdentifiers",
                        [](Registration& r) {
                          for (int i = 0; i < 20; ++i) *person_of(r).add_identifiers() = person_of(r).identifiers(0);
                        },
                        "encounter.person.identifiers"},
        RegistrationRow{"ContactTypeMissing", [](Registration& r) { person_of(r).mutable_contacts(0)->clear_type(); },
                        "encounter.person.contacts[0].type"},
        RegistrationRow{"ContactValueMissing", [](Registration& r) { person_of(r).mutable_contacts(0)->clear_value(); },
                        "encounter.person.contacts[0].value"},
        RegistrationRow{"ContactLabelWithControl",
                        [](Registration& r) { person_of(r).mutable_contacts(0)->set_label("his\x1B phone"); },
                        "encounter.person.contacts[0].label"}),
    row_name<Registration>);

INSTANTIATE_TEST_SUITE_P(
    IndicatorsAndNeeds, RegistrationRule,
    testing::Values(
        RegistrationRow{"IndicatorLowerCase",
                        [](Registration& r) { encounter_of(r).set_observed_indicator_ids(0, "ilo-al-d1-01"); },
                        "encounter.observed_indicator_ids[0]"},
        RegistrationRow{"IndicatorRepeated",
                        [](Registration& r) { encounter_of(r).set_observed_indicator_ids(1, "ILO-AL-D1-01"); },
                        "encounter.observed_indicator_ids[1]"},
        RegistrationRow{"FiftyIndicatorsAccepted",
                        [](Registration& r) { add_distinct_indicators(r, 48); },
                        ""},
        RegistrationRow{"TooManyIndicators",
                        [](Registration& r) { add_distinct_indicators(r, 49); },
                        "encounter.observed_indicator_ids"},
        RegistrationRow{"NeedTypeMissing", [](Registration& r) { encounter_of(r).mutable_needs(0)->clear_type(); },
                        "encounter.needs[0].type"},
        RegistrationRow{"NeedTypeRepeated",
                        [](Registration& r) { encounter_of(r).mutable_needs(1)->set_type(common::NEED_TYPE_SHELTER); },
                        "encounter.needs[1].type"},
        RegistrationRow{"NeedDetailsTooLong",
                        [](Registration& r) { encounter_of(r).mutable_needs(0)->set_details(std::string(2049, 'd')); },
                        "encounter.needs[0].details"},
        RegistrationRow{"TooManyNeeds",
                        [](Registration& r) {
                          for (int i = 0; i < 19; ++i) add_need(encounter_of(r), common::NEED_TYPE_EDUCATION, "");
                        },
                        "encounter.needs"}),
    row_name<Registration>);

INSTANTIATE_TEST_SUITE_P(
    Consent, RegistrationRule,
    testing::Values(
        RegistrationRow{"NoScopeAtAll",
                        [](Registration& r) {
                          consent_of(r).clear_scopes();
                          consent_of(r).clear_declined_scopes();
                        },
                        "encounter.consent.scopes"},
        RegistrationRow{"RefusalOfEveryScopeAccepted",
                        [](Registration& r) {
                          consent_of(r).clear_scopes();
                          consent_of(r).add_declined_scopes(common::CONSENT_SCOPE_SERVICES);
                        },
                        ""},
        RegistrationRow{"ScopeUnspecified",
                        [](Registration& r) { consent_of(r).set_scopes(0, common::CONSENT_SCOPE_UNSPECIFIED); },
                        "encounter.consent.scopes[0]"},
        RegistrationRow{"ScopeUndefined",
                        [](Registration& r) { consent_of(r).set_scopes(1, static_cast<common::ConsentScope>(99)); },
                        "encounter.consent.scopes[1]"},
        RegistrationRow{"ScopeAgreedAndDeclined",
                        [](Registration& r) { consent_of(r).set_declined_scopes(0, common::CONSENT_SCOPE_SERVICES); },
                        "encounter.consent.declined_scopes[0]"},
        RegistrationRow{"GiverMissing", [](Registration& r) { consent_of(r).clear_given_by(); },
                        "encounter.consent.given_by"},
        RegistrationRow{"GuardianUnnamed",
                        [](Registration& r) { consent_of(r).set_given_by(common::CONSENT_GIVER_GUARDIAN); },
                        "encounter.consent.giver_name"},
        RegistrationRow{"GuardianNamedAccepted",
                        [](Registration& r) {
                          consent_of(r).set_given_by(common::CONSENT_GIVER_GUARDIAN);
                          consent_of(r).set_giver_name("Драгана Јовановић");
                        },
                        ""},
        RegistrationRow{"PersonWithThirdName", [](Registration& r) { consent_of(r).set_giver_name("Someone"); },
                        "encounter.consent.giver_name"},
        RegistrationRow{"MethodMissing", [](Registration& r) { consent_of(r).clear_method(); },
                        "encounter.consent.method"},
        RegistrationRow{"LanguageMissing", [](Registration& r) { consent_of(r).clear_informed_in_language(); },
                        "encounter.consent.informed_in_language"},
        RegistrationRow{"LanguageWithScriptAccepted",
                        [](Registration& r) { consent_of(r).set_informed_in_language("sr-Cyrl-RS"); }, ""},
        RegistrationRow{"LanguageTrailingDash",
                        [](Registration& r) { consent_of(r).set_informed_in_language("sr-Latn-"); },
                        "encounter.consent.informed_in_language"},
        RegistrationRow{"GivenAtMissing", [](Registration& r) { consent_of(r).clear_given_at(); },
                        "encounter.consent.given_at"},
        RegistrationRow{"GivenInTheFuture",
                        [](Registration& r) {
                          *consent_of(r).mutable_given_at() = timestamp_at(kNow + std::chrono::minutes(10));
                        },
                        "encounter.consent.given_at"},
        RegistrationRow{"AlreadyWithdrawn", [](Registration& r) { consent_of(r).set_withdrawn(true); },
                        "encounter.consent.withdrawn"}),
    row_name<Registration>);

INSTANTIATE_TEST_SUITE_P(
    ContextAndDestination, RegistrationRule,
    testing::Values(
        RegistrationRow{"EmergencyIdWithSpace",
                        [](Registration& r) { encounter_of(r).mutable_context()->set_emergency_id("presevo surge"); },
                        "encounter.context.emergency_id"},
        RegistrationRow{"ContextSiteWithoutId",
                        [](Registration& r) { encounter_of(r).mutable_context()->mutable_site()->clear_site_id(); },
                        "encounter.context.site.site_id"},
        RegistrationRow{"LatitudeOutOfRange",
                        [](Registration& r) {
                          encounter_of(r).mutable_context()->mutable_exact_location()->set_latitude(91.0);
                        },
                        "encounter.context.exact_location.latitude"},
        RegistrationRow{"LongitudeNotANumber",
                        [](Registration& r) {
                          encounter_of(r).mutable_context()->mutable_exact_location()->set_longitude(
                              std::numeric_limits<double>::quiet_NaN());
                        },
                        "encounter.context.exact_location.longitude"},
        RegistrationRow{"LatitudeWithoutLongitude",
                        [](Registration& r) {
                          encounter_of(r).mutable_context()->mutable_exact_location()->clear_longitude();
                        },
                        "encounter.context.exact_location.longitude"},
        RegistrationRow{"DestinationJurisdictionMissing",
                        [](Registration& r) { encounter_of(r).mutable_next_destination()->clear_jurisdiction(); },
                        "encounter.next_destination.jurisdiction"},
        RegistrationRow{"DestinationOtherWithoutCountry",
                        [](Registration& r) { encounter_of(r).mutable_next_destination()->clear_country_code(); },
                        "encounter.next_destination.country_code"},
        RegistrationRow{"DestinationOtherNamingMarriParticipant",
                        [](Registration& r) { encounter_of(r).mutable_next_destination()->set_country_code("RS"); },
                        "encounter.next_destination.country_code"},
        RegistrationRow{"DestinationKosovoAccepted",
                        [](Registration& r) {
                          encounter_of(r).mutable_next_destination()->set_jurisdiction(common::JURISDICTION_XK);
                          encounter_of(r).mutable_next_destination()->clear_country_code();
                        },
                        ""},
        RegistrationRow{"DestinationCountryContradictsJurisdiction",
                        [](Registration& r) {
                          encounter_of(r).mutable_next_destination()->set_jurisdiction(common::JURISDICTION_MK);
                        },
                        "encounter.next_destination.country_code"},
        RegistrationRow{"DestinationDetailsTooLong",
                        [](Registration& r) {
                          encounter_of(r).mutable_next_destination()->set_details(std::string(2049, 'x'));
                        },
                        "encounter.next_destination.details"},
        RegistrationRow{"DepartureTimestampInvalid",
                        [](Registration& r) {
                          encounter_of(r).mutable_next_destination()->mutable_expected_departure_at()->set_nanos(-1);
                        },
                        "encounter.next_destination.expected_departure_at"}),
    row_name<Registration>);

INSTANTIATE_TEST_SUITE_P(
    NotesAndTimes, RegistrationRule,
    testing::Values(
        RegistrationRow{"LongestNotesAccepted",
                        [](Registration& r) { encounter_of(r).set_notes(std::string(8192, 'n')); }, ""},
        RegistrationRow{"NotesTooLong", [](Registration& r) { encounter_of(r).set_notes(std::string(8193, 'n')); },
                        "encounter.notes"},
        RegistrationRow{"NotesWithCarriageReturn", [](Registration& r) { encounter_of(r).set_notes("one\r\ntwo"); },
                        "encounter.notes"},
        RegistrationRow{"NotesWithNul",
                        [](Registration& r) { encounter_of(r).set_notes(std::string("one\0two", 7)); },
                        "encounter.notes"},
        RegistrationRow{"EncounteredAtMissing", [](Registration& r) { encounter_of(r).clear_encountered_at(); },
                        "encounter.encountered_at"},
        encountered_at_row("WithinClockSkewAccepted", kNow + std::chrono::minutes(4), true),
        encountered_at_row("BeyondClockSkew", kNow + std::chrono::minutes(6), false),
        encountered_at_row("LongAgoAccepted", kNow - std::chrono::hours(24 * 400), true),
        RegistrationRow{"EncounteredAtOutOfRange",
                        [](Registration& r) {
                          encounter_of(r).mutable_encountered_at()->set_seconds(-62'135'596'801);
                        },
                        "encounter.encountered_at"},
        RegistrationRow{"GuidanceLanguageInvalid", [](Registration& r) { r.set_language("english"); }, "language"},
        RegistrationRow{"GuidanceLanguageWithScriptAccepted", [](Registration& r) { r.set_language("sr-Latn"); }, ""}),
    row_name<Registration>);

void set_handoff(Registration& request, std::string handoff_id) {
  v1::HandoffOrigin& origin = *request.mutable_handoff_origin();
  origin.set_handoff_id(std::move(handoff_id));
  origin.set_sending_hub("wb-mk");
  origin.set_sending_jurisdiction(common::JURISDICTION_MK);
  origin.set_sending_case_id("case-zyxwvutsrqponmlkjihgfedc");
}

INSTANTIATE_TEST_SUITE_P(
    Handoff, RegistrationRule,
    testing::Values(
        RegistrationRow{"KeyIsHandoffIdAccepted", [](Registration& r) { set_handoff(r, r.idempotency_key()); }, ""},
        RegistrationRow{"HandoffIdDiffersFromKey", [](Registration& r) { set_handoff(r, "handoff-9"); },
                        "handoff_origin.handoff_id"},
        RegistrationRow{"SendingHubMissing",
                        [](Registration& r) {
                          set_handoff(r, r.idempotency_key());
                          r.mutable_handoff_origin()->clear_sending_hub();
                        },
                        "handoff_origin.sending_hub"},
        RegistrationRow{"SendingJurisdictionOther",
                        [](Registration& r) {
                          set_handoff(r, r.idempotency_key());
                          r.mutable_handoff_origin()->set_sending_jurisdiction(common::JURISDICTION_OTHER);
                        },
                        "handoff_origin.sending_jurisdiction"}),
    row_name<Registration>);

// ---------------------------------------------------------------------------------------------
// Amendment, consent, withdrawal.
// ---------------------------------------------------------------------------------------------

using AmendmentRow = Row<Amendment>;
class AmendmentRule : public testing::TestWithParam<AmendmentRow> {};
TEST_P(AmendmentRule, ReportsTheFieldOrAccepts) { expect_outcome(GetParam(), valid_amendment()); }

v1::CaseAmendment& change_of(Amendment& request) { return *request.mutable_amendment(); }

INSTANTIATE_TEST_SUITE_P(
    Amendment, AmendmentRule,
    testing::Values(
        AmendmentRow{"CaseIdMissing", [](Amendment& r) { r.clear_case_id(); }, "case_id"},
        AmendmentRow{"KeyMissing", [](Amendment& r) { r.clear_idempotency_key(); }, "idempotency_key"},
        AmendmentRow{"AmendmentMissing", [](Amendment& r) { r.clear_amendment(); }, "amendment"},
        AmendmentRow{"ChangesNothing", [](Amendment& r) { r.mutable_amendment()->Clear(); }, "amendment"},
        AmendmentRow{"OnlyFlagsAccepted",
                     [](Amendment& r) {
                       r.mutable_amendment()->Clear();
                       change_of(r).mutable_reported_flags()->set_urgent_medical(true);
                     },
                     ""},
        AmendmentRow{"StatusErased", [](Amendment& r) { change_of(r).set_status(v1::CASE_STATUS_ERASED); },
                     "amendment.status"},
        AmendmentRow{"StatusUndefined", [](Amendment& r) { change_of(r).set_status(static_cast<v1::CaseStatus>(9)); },
                     "amendment.status"},
        AmendmentRow{"AddedIndicatorMalformed",
                     [](Amendment& r) { change_of(r).set_added_observed_indicator_ids(0, "4-ILO"); },
                     "amendment.added_observed_indicator_ids[0]"},
        AmendmentRow{"AddedAndRetracted",
                     [](Amendment& r) { change_of(r).set_added_observed_indicator_ids(0, "ILO-AL-D1-01"); },
                     "amendment.added_observed_indicator_ids[0]"},
        AmendmentRow{"RetractedMalformed",
                     [](Amendment& r) { change_of(r).set_retracted_observed_indicator_ids(0, "ILO AL"); },
                     "amendment.retracted_observed_indicator_ids[0]"},
        AmendmentRow{"AddedNeedTypeRepeated",
                     [](Amendment& r) { change_of(r).add_added_needs()->set_type(common::NEED_TYPE_LEGAL_AID); },
                     "amendment.added_needs[1].type"},
        AmendmentRow{"ResolvedNeedUnspecified",
                     [](Amendment& r) { change_of(r).set_resolved_needs(0, common::NEED_TYPE_UNSPECIFIED); },
                     "amendment.resolved_needs[0]"},
        AmendmentRow{"ResolvedNeedAlsoAdded",
                     [](Amendment& r) { change_of(r).set_resolved_needs(0, common::NEED_TYPE_LEGAL_AID); },
                     "amendment.resolved_needs[0]"},
        // A replaced person is checked like a registered one, minus the sector's extra fields.
        AmendmentRow{"PersonWithoutSectorExtrasAccepted",
                     [](Amendment& r) {
                       change_of(r).mutable_person()->mutable_age()->set_certainty(common::AGE_CERTAINTY_STATED);
                     },
                     ""},
        AmendmentRow{"PersonWithFutureBirth",
                     [](Amendment& r) {
                       fill_person(*change_of(r).mutable_person());
                       change_of(r).mutable_person()->set_date_of_birth("2030-01-01");
                     },
                     "amendment.person.date_of_birth"},
        AmendmentRow{"PersonStatelessWithCode",
                     [](Amendment& r) {
                       fill_person(*change_of(r).mutable_person());
                       change_of(r).mutable_person()->mutable_nationality()->set_status(
                           common::NATIONALITY_STATUS_STATELESS);
                     },
                     "amendment.person.nationality.country_code"},
        AmendmentRow{"DestinationWithoutCountry",
                     [](Amendment& r) {
                       change_of(r).mutable_next_destination()->set_jurisdiction(common::JURISDICTION_OTHER);
                     },
                     "amendment.next_destination.country_code"},
        AmendmentRow{"NoteWithBell", [](Amendment& r) { change_of(r).set_note("ring\x07"); }, "amendment.note"},
        AmendmentRow{"LanguageInvalid", [](Amendment& r) { r.set_language("sr_Latn"); }, "language"}),
    row_name<Amendment>);

using ConsentRow = Row<ConsentRecord>;
class ConsentRule : public testing::TestWithParam<ConsentRow> {};
TEST_P(ConsentRule, ReportsTheFieldOrAccepts) { expect_outcome(GetParam(), valid_consent_record()); }

common::Consent& recorded_consent_of(ConsentRecord& request) { return *request.mutable_consent(); }

INSTANTIATE_TEST_SUITE_P(
    Consent, ConsentRule,
    testing::Values(
        ConsentRow{"CaseIdMissing", [](ConsentRecord& r) { r.clear_case_id(); }, "case_id"},
        ConsentRow{"KeyMissing", [](ConsentRecord& r) { r.clear_idempotency_key(); }, "idempotency_key"},
        ConsentRow{"ConsentMissing", [](ConsentRecord& r) { r.clear_consent(); }, "consent"},
        ConsentRow{"RecorderUnnamed",
                   [](ConsentRecord& r) { recorded_consent_of(r).mutable_recorded_by()->clear_display_name(); },
                   "consent.recorded_by.display_name"},
        ConsentRow{"RecorderRoleWithSpace",
                   [](ConsentRecord& r) { recorded_consent_of(r).mutable_recorded_by()->set_role("case worker"); },
                   "consent.recorded_by.role"},
        ConsentRow{"GuardianUnnamed", [](ConsentRecord& r) { recorded_consent_of(r).clear_giver_name(); },
                   "consent.giver_name"},
        ConsentRow{"LegalRepresentativeUnnamed",
                   [](ConsentRecord& r) {
                     recorded_consent_of(r).set_given_by(common::CONSENT_GIVER_LEGAL_REPRESENTATIVE);
                     recorded_consent_of(r).clear_giver_name();
                   },
                   "consent.giver_name"},
        ConsentRow{"GiverNameTooLong",
                   [](ConsentRecord& r) { recorded_consent_of(r).set_giver_name(std::string(201, 'g')); },
                   "consent.giver_name"},
        ConsentRow{"GiverUndefined",
                   [](ConsentRecord& r) {
                     recorded_consent_of(r).set_given_by(static_cast<common::ConsentGiver>(4));
                   },
                   "consent.given_by"},
        ConsentRow{"NoScopeAtAll",
                   [](ConsentRecord& r) {
                     recorded_consent_of(r).clear_scopes();
                     recorded_consent_of(r).clear_declined_scopes();
                   },
                   "consent.scopes"},
        ConsentRow{"TooManyScopes",
                   [](ConsentRecord& r) {
                     for (int i = 0; i < 15; ++i) recorded_consent_of(r).add_scopes(common::CONSENT_SCOPE_SERVICES);
                   },
                   "consent.scopes"},
        ConsentRow{"MethodUndefined",
                   [](ConsentRecord& r) { recorded_consent_of(r).set_method(static_cast<common::ConsentMethod>(7)); },
                   "consent.method"},
        ConsentRow{"LanguageSpelledOut",
                   [](ConsentRecord& r) { recorded_consent_of(r).set_informed_in_language("Arabic"); },
                   "consent.informed_in_language"},
        ConsentRow{"GivenInTheFuture",
                   [](ConsentRecord& r) {
                     *recorded_consent_of(r).mutable_given_at() = timestamp_at(kNow + std::chrono::hours(1));
                   },
                   "consent.given_at"},
        ConsentRow{"WithdrawnAtSet",
                   [](ConsentRecord& r) {
                     *recorded_consent_of(r).mutable_withdrawn_at() = timestamp_at(kNow);
                   },
                   "consent.withdrawn_at"}),
    row_name<ConsentRecord>);

using WithdrawalRow = Row<Withdrawal>;
class WithdrawalRule : public testing::TestWithParam<WithdrawalRow> {};
TEST_P(WithdrawalRule, ReportsTheFieldOrAccepts) { expect_outcome(GetParam(), valid_withdrawal()); }

INSTANTIATE_TEST_SUITE_P(
    Withdrawal, WithdrawalRule,
    testing::Values(
        WithdrawalRow{"CaseIdMissing", [](Withdrawal& r) { r.clear_case_id(); }, "case_id"},
        WithdrawalRow{"KeyMissing", [](Withdrawal& r) { r.clear_idempotency_key(); }, "idempotency_key"},
        WithdrawalRow{"AllScopesAccepted", [](Withdrawal& r) { r.clear_scopes(); }, ""},
        WithdrawalRow{"ScopeUnspecified", [](Withdrawal& r) { r.set_scopes(0, common::CONSENT_SCOPE_UNSPECIFIED); },
                      "scopes[0]"},
        WithdrawalRow{"TooManyScopes",
                      [](Withdrawal& r) {
                        for (int i = 0; i < 16; ++i) r.add_scopes(common::CONSENT_SCOPE_POLICE);
                      },
                      "scopes"},
        WithdrawalRow{"WithdrawnByMissing", [](Withdrawal& r) { r.clear_withdrawn_by(); }, "withdrawn_by"},
        WithdrawalRow{"NoteTooLong", [](Withdrawal& r) { r.set_note(std::string(8193, 'w')); }, "note"},
        WithdrawalRow{"NoteInvalidUtf8", [](Withdrawal& r) { r.set_note("\xED\xBF\xBF"); }, "note"}),
    row_name<Withdrawal>);

// ---------------------------------------------------------------------------------------------
// Indicator ids.
// ---------------------------------------------------------------------------------------------

TEST(IndicatorId, AcceptsCatalogueForms) {
  for (std::string_view id : {"ILO-AL-D1-01", "HEALTH-PHY-03", "ABC", "X-1", "UNODC-CH-07"}) {
    EXPECT_TRUE(is_well_formed_indicator_id(id)) << id;
  }
  EXPECT_TRUE(is_well_formed_indicator_id(std::string(40, 'A')));
}

TEST(IndicatorId, RejectsOtherForms) {
  for (std::string_view id : {"", "AB", "1LO-AL", "-ILO", "ilo-al-d1-01", "ILO_AL", "ILO AL", "ILO-ÄL", "ILO.AL"}) {
    EXPECT_FALSE(is_well_formed_indicator_id(id)) << id;
  }
  EXPECT_FALSE(is_well_formed_indicator_id(std::string(41, 'A')));
}

}  // namespace
}  // namespace pact::intake
